import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ADAPTERS, startStandalone } from './support/standalone-app';

jest.setTimeout(30_000);

describe.each(ADAPTERS)('OpenAPI of the standalone server on %s', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await startStandalone(adapter));
  });
  afterAll(() => close());

  it('serves Swagger UI at /docs with its assets', async () => {
    const html = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('swagger-ui');
    const css = await request(app.getHttpServer()).get('/docs/swagger-ui.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    await request(app.getHttpServer()).get('/docs/swagger-ui-init.js').expect(200);
  });

  it('documents both token endpoints from their DTOs', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ title: 'LiveKit application server', version: expect.any(String) });

    const openvidu = doc.paths['/token'].post;
    expect(openvidu.tags).toEqual(['tokens']);
    expect(openvidu.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OpenViduTokenRequestDto' });
    expect(Object.keys(openvidu.responses).sort()).toEqual(['200', '400', '413', '429']);
    expect(openvidu.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OpenViduTokenResponseDto' });
    expect(openvidu.responses['429'].headers['Retry-After']).toBeDefined();

    const standard = doc.paths['/livekit/token'].post;
    expect(standard.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StandardTokenRequestDto' });
    expect(Object.keys(standard.responses).sort()).toEqual(['201', '400', '403', '413', '429']);

    const schemas = doc.components.schemas;
    expect(schemas.OpenViduTokenRequestDto).toMatchObject({
      type: 'object',
      required: ['roomName', 'participantName'],
      properties: { roomName: { type: 'string', maxLength: 256 }, participantName: { type: 'string', maxLength: 256 } },
    });
    expect(Object.keys(schemas.StandardTokenRequestDto.properties)).toEqual([
      'room_name',
      'participant_identity',
      'participant_name',
      'participant_metadata',
      'participant_attributes',
      'room_config',
    ]);
    expect(schemas.StandardTokenRequestDto.required ?? []).toEqual([]);
    expect(schemas.StandardTokenResponseDto.required).toEqual(['server_url', 'participant_token']);
    expect(schemas.ErrorResponseDto.properties).toEqual({ errorMessage: expect.objectContaining({ type: 'string' }) });
  });

  it('documents health, and leaves the webhook and metrics routes out', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(doc.paths['/health/live'].get.tags).toEqual(['health']);
    expect(doc.paths['/health/ready'].get.responses['503']).toBeDefined();
    for (const path of ['/webhook', '/livekit/webhook', '/metrics']) expect(doc.paths[path]).toBeUndefined();
    expect(doc.components.securitySchemes['livekit-admin']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('serves the same document as YAML', async () => {
    const yaml = await request(app.getHttpServer()).get('/docs-yaml').expect(200);
    expect(yaml.text).toContain('/livekit/token:');
  });
});

describe.each(ADAPTERS)('OPENAPI_ENABLED=false on %s', (adapter) => {
  it('serves no documentation', async () => {
    const { app, close } = await startStandalone(adapter, { OPENAPI_ENABLED: 'false' });
    try {
      await request(app.getHttpServer()).get('/docs').expect(404);
      await request(app.getHttpServer()).get('/docs-json').expect(404);
    } finally {
      await close();
    }
  });
});
