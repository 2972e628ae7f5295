import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Writable } from 'node:stream';
import { type HttpAdapterName, loadServerSettings } from '../../src/server/config/server.config';
import { createStandaloneApp } from '../../src/server/create-standalone-app';
import { useEnv } from './env';

export const TEST_API_KEY = 'test-key';
export const TEST_API_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const ADAPTERS: HttpAdapterName[] = ['express', 'fastify'];

/**
 * The standalone server exactly as main.ts builds it, on the given adapter, ready for supertest. Its logs
 * are off unless `logTo` is given: then its JSON lines (Nest's and the request lines, at LOG_LEVEL) go there.
 */
export async function startStandalone(
  adapter: HttpAdapterName,
  env: Record<string, string | undefined> = {},
  logTo?: Writable,
): Promise<{ app: INestApplication; close: () => Promise<void> }> {
  const restore = useEnv({
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    LIVEKIT_KEYS: undefined,
    LIVEKIT_URL: 'ws://127.0.0.1:7880',
    HTTP_ADAPTER: adapter,
    // The request log writes to stdout whatever Nest's logger is; quiet unless a suite asks.
    LOG_LEVEL: 'silent',
    ...env,
  });
  try {
    const settings = loadServerSettings(process.env);
    const app = logTo ? await createStandaloneApp(settings, undefined, logTo) : await createStandaloneApp(settings, false);
    await app.init();
    if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    return {
      app,
      close: async () => {
        await app.close();
        restore();
      },
    };
  } catch (error) {
    restore();
    throw error;
  }
}
