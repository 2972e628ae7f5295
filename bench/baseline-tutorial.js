'use strict';
/**
 * Baseline for the benchmark: the behaviour of the OpenVidu Node "application server" tutorial
 * (Express + cors + express.json() + livekit-server-sdk), written here from its documented contract.
 * Unlike the tutorial, a webhook that fails verification is answered 401, so the baseline pays for
 * verification exactly as our server does.
 *
 *   POST /token                      {roomName, participantName} -> 200 {token} | 400 {errorMessage}
 *   POST /livekit/webhook, /webhook  application/webhook+json, Authorization: <jwt> -> 200 | 401
 *
 * Env: SERVER_PORT (6080), SERVER_HOST (127.0.0.1), LIVEKIT_API_KEY (devkey), LIVEKIT_API_SECRET (secret).
 * Prints `ready` once listening.
 */
const cors = require('cors');
const express = require('express');
const { AccessToken, WebhookReceiver } = require('livekit-server-sdk');

const port = Number(process.env.SERVER_PORT || 6080);
const host = process.env.SERVER_HOST || '127.0.0.1';
const apiKey = process.env.LIVEKIT_API_KEY || 'devkey';
const apiSecret = process.env.LIVEKIT_API_SECRET || 'secret';

const receiver = new WebhookReceiver(apiKey, apiSecret);
const app = express();
app.use(cors());
app.use(express.json());

app.post('/token', async (req, res) => {
  const { roomName, participantName } = req.body ?? {};
  if (!roomName || !participantName) {
    res.status(400).json({ errorMessage: 'roomName and participantName are required' });
    return;
  }
  const at = new AccessToken(apiKey, apiSecret, { identity: participantName });
  at.addGrant({ roomJoin: true, room: roomName });
  res.json({ token: await at.toJwt() });
});

const rawWebhook = express.raw({ type: 'application/webhook+json' });
async function webhook(req, res) {
  try {
    // req.body is the raw Buffer (undefined for another content type, which lands in the catch).
    await receiver.receive(req.body.toString(), req.get('Authorization'));
    res.status(200).end();
  } catch {
    res.status(401).end();
  }
}
app.post('/livekit/webhook', rawWebhook, webhook);
app.post('/webhook', rawWebhook, webhook);

const server = app.listen(port, host, (error) => {
  if (error) {
    console.error(`baseline: cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  }
  console.log('ready');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
