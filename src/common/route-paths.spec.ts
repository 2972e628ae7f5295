import { Controller, Get, type INestApplication, Module, Post, RequestMethod, Version, VersioningType } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer, RouterModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { normalizedRequestPath, servedRoutes, servesPath } from './route-paths';

@Controller(['hooks', 'legacy-hooks'])
class HooksController {
  @Post(['in', 'alt'])
  receive(): string {
    return 'ok';
  }

  @Version('2')
  @Get('status')
  status(): string {
    return 'ok';
  }

  helper(): string {
    return 'not a route';
  }
}

@Module({ controllers: [HooksController] })
class HooksModule {}

async function routesOf(setup: (app: INestApplication) => void, mount?: string) {
  const imports = mount ? [HooksModule, RouterModule.register([{ path: mount, module: HooksModule }])] : [HooksModule];
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  setup(app);
  await app.listen(0, '127.0.0.1');
  return { app, routes: servedRoutes([HooksController], app.get(ApplicationConfig), app.get(ModulesContainer)) };
}

describe('servedRoutes', () => {
  it('lists every method path under every controller path, and nothing for plain methods', async () => {
    const { app, routes } = await routesOf(() => undefined);
    expect(routes).toEqual([
      { method: 'POST', path: '/hooks/in' },
      { method: 'POST', path: '/hooks/alt' },
      { method: 'POST', path: '/legacy-hooks/in' },
      { method: 'POST', path: '/legacy-hooks/alt' },
      { method: 'GET', path: '/hooks/status' },
      { method: 'GET', path: '/legacy-hooks/status' },
    ]);
    await app.close();
  });

  it("applies the global prefix, its exclusions, RouterModule's path and URI versioning as Nest serves them", async () => {
    const { app, routes } = await routesOf((a) => {
      a.setGlobalPrefix('api', { exclude: [{ path: 'lk/legacy-hooks/in', method: RequestMethod.POST }] });
      a.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    }, 'lk');
    const posts = routes.filter((route) => route.method === 'POST').map((route) => route.path);
    expect(posts).toEqual(['/api/v1/lk/hooks/in', '/api/v1/lk/hooks/alt', '/v1/lk/legacy-hooks/in', '/api/v1/lk/legacy-hooks/alt']);
    expect(routes).toContainEqual({ method: 'GET', path: '/api/v2/lk/hooks/status' });
    // What it computed is what Nest serves.
    for (const route of routes) {
      const call = route.method === 'POST' ? request(app.getHttpServer()).post(route.path) : request(app.getHttpServer()).get(route.path);
      expect({ route, status: (await call).status }).toEqual({ route, status: route.method === 'POST' ? 201 : 200 });
    }
    await app.close();
  });
});

describe('normalizedRequestPath and servesPath', () => {
  const token = { method: 'POST', path: '/api/token' };

  it.each(['/api/token', '/API/Token', '/api/token/', '/api/token?x=1', '/api/%74oken'])('%s reaches /api/token', (url) => {
    expect(servesPath(token, normalizedRequestPath(url))).toBe(true);
  });

  it.each(['/api/tokens', '/api', '/token', '/api/token/x', '/api/%E0%A4%A'])('%s does not', (url) => {
    expect(servesPath(token, normalizedRequestPath(url))).toBe(false);
  });

  it('matches one segment for a parameter and the rest for a wildcard', () => {
    const hook = { method: 'POST', path: '/hooks/:tenant/in' };
    expect(servesPath(hook, '/hooks/acme/in')).toBe(true);
    expect(servesPath(hook, '/hooks//in')).toBe(false);
    expect(servesPath(hook, '/hooks/acme/out')).toBe(false);
    expect(servesPath({ method: 'POST', path: '/files/*path' }, '/files/a/b')).toBe(true);
  });
});
