/** Paths served by default: the tutorials' `/webhook` and the newest OpenVidu Node server's `/livekit/webhook`. */
export const DEFAULT_WEBHOOK_PATHS = ['webhook', 'livekit/webhook'];
export const WEBHOOK_CONTENT_TYPES = ['application/webhook+json', 'application/json'];

export const LIVEKIT_EVENT_HANDLER_METADATA = 'livekit:webhook_handler';
export const LIVEKIT_WEBHOOK_ROUTE_METADATA = 'livekit:webhook_route';
/** Where the guard leaves the verified delivery on the request object. */
export const VERIFIED_DELIVERY_KEY = Symbol.for('livekit:verified_webhook');
/** Event name that matches every event, for catch-all handlers. */
export const ANY_LIVEKIT_EVENT = '*';
