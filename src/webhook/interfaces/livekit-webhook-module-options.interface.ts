/** Options of {@link LiveKitWebhookModule.forRoot}. */
export interface LiveKitWebhookModuleOptions {
  /**
   * Route(s) of the webhook controller.
   * @default ['webhook', 'livekit/webhook']
   */
  path?: string | string[];
  /**
   * Serve the webhook controller. Set false to verify and dispatch from your own controller
   * with `LiveKitWebhookGuard` and `LiveKitWebhookIntake` (which also follows queue mode).
   * @default true
   */
  routes?: boolean;
  /**
   * Decorators applied to the webhook controller class, e.g. your own `@Public()` so that your
   * global auth guard lets LiveKit through (LiveKit cannot send your users' credentials).
   * @default []
   */
  decorators?: ClassDecorator[];
}
