import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyLiveKitOpenApi, LIVEKIT_ADMIN_OPENAPI_SECURITY } from '../openapi';

const OPENAPI_PATH = 'docs';
const OPENAPI_TITLE = 'LiveKit application server';
const OPENAPI_DESCRIPTION =
  "Access tokens for LiveKit rooms (the OpenVidu tutorials' `POST /token` and LiveKit's standard `POST /livekit/token`), " +
  'health and, when enabled, room administration. Errors answer `{ "errorMessage": "..." }`.';

/** The package version, read from package.json (two levels up from both src/server and dist/server). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Serves the OpenAPI document of every route of the app (the webhook and metrics routes excluded) at
 * `/docs` (Swagger UI), `/docs-json` and `/docs-yaml`, on Express or Fastify (whose UI assets need
 * `@fastify/static`). The document is built from the DTOs on the first request, not at boot.
 * Call it before `app.init()`/`listen()`.
 */
export function setupOpenApi(app: INestApplication, path = OPENAPI_PATH): void {
  const config = new DocumentBuilder()
    .setTitle(OPENAPI_TITLE)
    .setDescription(OPENAPI_DESCRIPTION)
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN' }, LIVEKIT_ADMIN_OPENAPI_SECURITY)
    .build();
  const document = (): OpenAPIObject => {
    applyLiveKitOpenApi(app);
    return SwaggerModule.createDocument(app, config);
  };
  SwaggerModule.setup(path, app, document, { jsonDocumentUrl: `${path}-json`, yamlDocumentUrl: `${path}-yaml` });
}
