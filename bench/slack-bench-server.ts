/**
 * The server side of bench/slack.bench.ts, in its own process as in production (Slack is on the other side of
 * the network): `app` starts the Slack app on a scripted engine, `bare` a node:http server that checks the same
 * signature and answers 200. Prints the port, then serves until killed.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp } from '../packages/slack/src/app.ts';
import { createLog } from '../packages/slack/src/logger.ts';
import { createFakeEngine } from '../test/slack/fake-engine.ts';

const [kind, secret, apiUrl] = process.argv.slice(2) as [string, string, string];

if (kind === 'app') {
  const engine = createFakeEngine();
  engine.delayMs = 50; // the cloud behind the engine: the answer comes later, the ack must not wait for it
  const bot = createSlackApp({
    engine,
    mode: 'http',
    botToken: 'xoxb-bench',
    signingSecret: secret,
    apiUrl,
    log: createLog({ write: () => {} }),
  });
  const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
  console.log(port);
} else {
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const expected = `v0=${createHmac('sha256', secret).update(`v0:${req.headers['x-slack-request-timestamp']}:${body}`).digest('hex')}`;
      res.writeHead(expected === req.headers['x-slack-signature'] ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  console.log((bare.address() as AddressInfo).port);
}

// SIGINT ends the process normally, so that a --cpu-prof profile is written.
process.once('SIGINT', () => process.exit(0));
