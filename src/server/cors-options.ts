import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { ServerSettings } from './config/server.config';

/** What the CORS middleware (`cors` on Express, `@fastify/cors` on Fastify) hands the delegate: both have these. */
interface CorsRequest {
  method?: string;
  url?: string;
}

/**
 * `app.enableCors()` options of the standalone server: `CORS_ORIGINS` on the browser-facing token routes and
 * their preflight only, unless `CORS_ROUTES=all`. The admin API, metrics, health, docs and the webhook are
 * called by servers, not by pages: no `Access-Control-Allow-*` headers there, whatever the origin.
 */
export function standaloneCorsOptions(
  settings: Pick<ServerSettings, 'corsOrigins' | 'corsRoutes'>,
  isTokenRoute: (method: string, url: string, anyMethod?: boolean) => boolean,
): CorsOptions | CorsOptionsDelegate<CorsRequest> {
  const allowed: CorsOptions = { origin: settings.corsOrigins };
  if (settings.corsRoutes === 'all') return allowed;
  const refused: CorsOptions = { origin: false };
  return (req, callback) => {
    const browserRoute = isTokenRoute(req.method ?? 'GET', req.url ?? '/', req.method === 'OPTIONS');
    callback(null, browserRoute ? allowed : refused);
  };
}
