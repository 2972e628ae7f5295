/** Options of {@link LiveKitParticipantsModule} (`forRoot` or `forRootAsync`). */
export interface LiveKitParticipantsModuleOptions {
  /**
   * Most rooms this process is connected to at once (joins in progress included); one more join is refused
   * with `LiveKitParticipantLimitException` until a connection leaves. Each connection is a WebRTC peer
   * connection with its own threads and buffers in rtc-node.
   * @default 10
   */
  maxConnections?: number;
  /**
   * Signal URL the participants connect to, when it differs from `LiveKitModule`'s `url` (e.g. an
   * internal `ws://livekit.internal:7880`).
   * @default LiveKitModule's `url`
   */
  url?: string;
  /**
   * Longest wait for a join (signal connection and the room's initial state), in ms; then the join fails
   * with `LiveKitParticipantJoinException`.
   * @default 15000
   */
  connectTimeoutMs?: number;
}
