import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { HttpAdapterName } from '../../src/server/config/server.config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';

/** Compiles a module into an initialized app on the given adapter, ready for supertest. */
export async function createApp(
  adapter: HttpAdapterName,
  imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>,
  options: NestApplicationOptions = {},
  beforeInit?: (app: INestApplication) => void,
): Promise<{ app: INestApplication; moduleRef: TestingModule }> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app =
    adapter === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false, ...options })
      : moduleRef.createNestApplication({ logger: false, ...options });
  beforeInit?.(app);
  await app.init();
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return { app, moduleRef };
}
