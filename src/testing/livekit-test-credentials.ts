import type { LiveKitModuleOptions } from '../livekit/interfaces/livekit-module-options.interface';

/** Credentials for tests: a key and a secret long enough for every check of the options. Never for production. */
export const LIVEKIT_TEST_CREDENTIALS = Object.freeze({
  apiKey: 'livekit-test-key',
  apiSecret: 'livekit-test-secret-0123456789abcdef0123456789',
});

/** `LiveKitModule` options for a test app: the test credentials and a loopback server URL, then `overrides`. */
export function liveKitTestOptions(overrides: Partial<LiveKitModuleOptions> = {}): LiveKitModuleOptions {
  return { ...LIVEKIT_TEST_CREDENTIALS, url: 'ws://127.0.0.1:7880', ...overrides };
}
