import type { INestApplicationContext } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { normalizedRequestPath, servedRoutes, servesPath } from '../common/route-paths';
import { OpenViduTokenController } from './openvidu-token.controller';
import { StandardTokenController } from './standard-token.controller';

/**
 * Whether a request goes to one of our token endpoints, as `app` serves them (global prefix, `RouterModule`
 * paths and versions applied); with `anyMethod`, any method on their paths (a CORS preflight). For a host's
 * per-route middleware such as CORS: the token endpoints are the routes browsers call. Call it after
 * `app.setGlobalPrefix(…)`.
 */
export function liveKitTokenRouteMatcher(app: INestApplicationContext): (method: string, url: string, anyMethod?: boolean) => boolean {
  const routes = servedRoutes([OpenViduTokenController, StandardTokenController], app.get(ApplicationConfig), app.get(ModulesContainer));
  return (method, url, anyMethod = false) => {
    const path = normalizedRequestPath(url);
    const upper = anyMethod ? '' : method.toUpperCase();
    return routes.some((route) => (anyMethod || route.method === upper) && servesPath(route, path));
  };
}
