/** What an explicit dispatch carries besides the room and the agent's name. */
export interface LiveKitCreateAgentDispatchOptions {
  /** Data handed to the agent with its job (`ctx.job.metadata`); not the room's or a participant's metadata. */
  metadata?: string;
}
