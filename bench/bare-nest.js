'use strict';
/**
 * The bare Nest reference of the benchmark: what a Nest app reaches with the tutorial's logic and
 * nothing else (no validation, no logging, no guard, no filter, no telemetry). One controller, the
 * SDK's `AccessToken` for the token routes and the SDK's `WebhookReceiver` over the raw body for the
 * webhook route. Our server divided by this one is the cost of our own layers on the same adapter.
 *
 *   POST /token          {roomName, participantName}             -> 200 {token} | 400 {errorMessage}
 *   POST /livekit/token  {room_name, participant_identity, ...}  -> 201 {server_url, participant_token} | 400
 *   POST /webhook        application/webhook+json, Authorization -> 200 | 401
 *
 * Env: HTTP_ADAPTER (express | fastify), SERVER_PORT (6080), SERVER_HOST (127.0.0.1),
 * LIVEKIT_API_KEY (devkey), LIVEKIT_API_SECRET (secret), LIVEKIT_URL. Prints `ready` once listening.
 * Plain JavaScript, so the decorators are applied as functions.
 */
require('reflect-metadata');
const { Body, Controller, Headers, HttpCode, HttpException, Module, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { AccessToken, WebhookReceiver } = require('livekit-server-sdk');

const adapterName = process.env.HTTP_ADAPTER || 'express';
const port = Number(process.env.SERVER_PORT || 6080);
const host = process.env.SERVER_HOST || '127.0.0.1';
const apiKey = process.env.LIVEKIT_API_KEY || 'devkey';
const apiSecret = process.env.LIVEKIT_API_SECRET || 'secret';
const serverUrl = process.env.LIVEKIT_URL || 'ws://127.0.0.1:7880';
const receiver = new WebhookReceiver(apiKey, apiSecret);

const badRequest = (errorMessage) => new HttpException({ errorMessage }, 400);

class BareController {
  async token(body) {
    const { roomName, participantName } = body ?? {};
    if (!roomName || !participantName) throw badRequest('roomName and participantName are required');
    const at = new AccessToken(apiKey, apiSecret, { identity: participantName });
    at.addGrant({ roomJoin: true, room: roomName });
    return { token: await at.toJwt() };
  }

  async standardToken(body) {
    const { room_name, participant_identity, participant_name } = body ?? {};
    if (!room_name || !participant_identity) throw badRequest('room_name and participant_identity are required');
    const at = new AccessToken(apiKey, apiSecret, { identity: participant_identity, name: participant_name });
    at.addGrant({ roomJoin: true, room: room_name });
    return { server_url: serverUrl, participant_token: await at.toJwt() };
  }

  async webhook(body, authorization) {
    try {
      // body is the raw Buffer from the application/webhook+json parser registered below.
      await receiver.receive(body.toString(), authorization);
    } catch {
      throw new HttpException('unauthorized', 401);
    }
  }
}

function route(name, path, status, params) {
  const descriptor = Object.getOwnPropertyDescriptor(BareController.prototype, name);
  params.forEach((param, index) => param(BareController.prototype, name, index));
  Post(path)(BareController.prototype, name, descriptor);
  HttpCode(status)(BareController.prototype, name, descriptor);
}
route('token', 'token', 200, [Body()]);
route('standardToken', 'livekit/token', 201, [Body()]);
route('webhook', 'webhook', 200, [Body(), Headers('authorization')]);
Controller()(BareController);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

async function createApp() {
  if (adapterName === 'fastify') {
    const { FastifyAdapter } = require('@nestjs/platform-fastify');
    const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser('application/webhook+json', { parseAs: 'buffer' }, (_req, raw, done) => done(null, raw));
    return app;
  }
  const app = await NestFactory.create(BareModule, { logger: false });
  app.useBodyParser('raw', { type: 'application/webhook+json' });
  return app;
}

createApp()
  .then(async (app) => {
    await app.listen(port, host);
    console.log('ready');
    process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  })
  .catch((error) => {
    console.error(`bare-nest: ${error.message}`);
    process.exit(1);
  });
