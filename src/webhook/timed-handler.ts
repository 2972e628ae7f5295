import type { WebhookEvent } from 'livekit-server-sdk';
import { isPromiseLike } from '../common/is-promise-like';
import { performance } from 'node:perf_hooks';
import type { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import type { WebhookDeliveryObserver } from './webhook-delivery-observer';

type Handle = (event: WebhookEvent) => unknown;

/**
 * Wraps a handler method so that every run reports its duration and outcome to the telemetry, whoever runs
 * it (the inline dispatcher or a queue worker), and to the delivery observer when there is one (the console). A
 * synchronous handler stays synchronous: its value or exception comes back unchanged.
 */
export function timedHandler(id: string, handle: Handle, telemetry: LiveKitTelemetry, observer?: WebhookDeliveryObserver): Handle {
  return (event) => {
    const started = performance.now();
    const settle = (failed: boolean, error?: unknown) => {
      const seconds = (performance.now() - started) / 1000;
      telemetry.handlerSettled(id, event.event, seconds, failed);
      observer?.handlerSettled(id, event, seconds, failed, error);
    };
    let result: unknown;
    try {
      result = handle(event);
    } catch (error) {
      settle(true, error);
      throw error;
    }
    if (!isPromiseLike(result)) {
      settle(false);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        settle(false);
        return value;
      },
      (error: unknown) => {
        settle(true, error);
        throw error;
      },
    );
  };
}
