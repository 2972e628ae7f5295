import type { AgentDispatch, ParticipantInfo, Room, TrackInfo } from 'livekit-server-sdk';

/** Admin responses: LiveKit's protobuf JSON (camelCase, int64 as strings, enums by name), defaults included. */
export type LiveKitJson = Record<string, unknown>;

const OPTIONS = { emitDefaultValues: true } as const;

/** A room, without the deprecated TURN password livekit-server still fills in. */
export function roomToJson(room: Room): LiveKitJson {
  const json = room.toJson(OPTIONS) as LiveKitJson;
  delete json.turnPassword;
  return json;
}

export function participantToJson(participant: ParticipantInfo): LiveKitJson {
  return participant.toJson(OPTIONS) as LiveKitJson;
}

export function trackToJson(track: TrackInfo): LiveKitJson {
  return track.toJson(OPTIONS) as LiveKitJson;
}

/** An agent dispatch, with its jobs; a job's room loses the deprecated TURN password as rooms do. */
export function agentDispatchToJson(dispatch: AgentDispatch): LiveKitJson {
  const json = dispatch.toJson(OPTIONS) as LiveKitJson & { state?: { jobs?: { room?: LiveKitJson }[] } };
  for (const job of json.state?.jobs ?? []) delete job.room?.turnPassword;
  return json;
}
