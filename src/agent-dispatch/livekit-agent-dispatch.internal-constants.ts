/** Internal: the SDK clients built from the module options (`AgentDispatchClients`). */
export const LIVEKIT_AGENT_DISPATCH_CLIENTS = Symbol('LIVEKIT_AGENT_DISPATCH_CLIENTS');
