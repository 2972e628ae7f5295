import { type DynamicModule, Module } from '@nestjs/common';
import { agentDispatchClientsProvider } from './agent-dispatch-clients.provider';
import {
  LIVEKIT_AGENT_DISPATCH_ASYNC_OPTIONS_TYPE,
  LIVEKIT_AGENT_DISPATCH_OPTIONS_TYPE,
  LiveKitAgentDispatchConfigurableModule,
} from './livekit-agent-dispatch.module-definition';
import { LiveKitAgentDispatchService } from './livekit-agent-dispatch.service';

/**
 * Agent dispatch through livekit-server's AgentDispatchService API: exports {@link LiveKitAgentDispatchService},
 * and with `routes: true` serves the admin endpoints under `/livekit/rooms/:room/agent-dispatches`, behind
 * {@link LiveKitAdminGuard} or your `guard`. Needs {@link LiveKitModule} registered (it is global by default).
 */
@Module({
  providers: [agentDispatchClientsProvider, LiveKitAgentDispatchService],
  exports: [LiveKitAgentDispatchService],
})
export class LiveKitAgentDispatchModule extends LiveKitAgentDispatchConfigurableModule {
  /** `forRoot()` alone gives the service without routes. */
  static override forRoot(options: typeof LIVEKIT_AGENT_DISPATCH_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_AGENT_DISPATCH_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
