import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createNotifier } from './notifier.ts';

test('without a webhook, texts are written whole to the outbox', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-sms-'));
  try {
    const notifier = createNotifier({ webhookUrl: undefined, webhookToken: undefined, outboxDir: dir });
    await notifier.sendText('+31 6 12345678', 'Send us the password, please.');
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0] ?? '', /\.txt$/);
    assert.equal(
      fs.readFileSync(path.join(dir, files[0] ?? ''), 'utf8'),
      'To: +31 6 12345678\n\nSend us the password, please.\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the webhook gets { to, text } as JSON with the bearer token; a failure is an error', async () => {
  const received: { auth: string | undefined; body: unknown }[] = [];
  let status = 202;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ auth: request.headers.authorization, body: JSON.parse(body) });
      response.statusCode = status;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const notifier = createNotifier({
      webhookUrl: `http://127.0.0.1:${port}/sms`,
      webhookToken: 'hook-token',
      outboxDir: '/nonexistent',
    });
    assert.equal(notifier.outboxDir, undefined);
    await notifier.sendText('+31612345678', 'hello');
    assert.deepEqual(received, [{ auth: 'Bearer hook-token', body: { to: '+31612345678', text: 'hello' } }]);
    status = 500;
    await assert.rejects(notifier.sendText('+31612345678', 'again'), /answered 500/);
  } finally {
    server.close();
  }
});
