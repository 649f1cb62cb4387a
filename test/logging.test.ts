import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serializeError } from '../src/platform/logger.ts';
import { engines, STRONG_PASSWORD, setUp, startTestHaven, type TestHaven } from './harness.ts';

const [engine = 'pglite'] = engines();

describe('logs', () => {
  let haven: TestHaven;
  before(async () => {
    haven = await startTestHaven(engine);
  });
  after(() => haven.close());

  test('request logs hold no tokens, cookies, passwords, e-mail addresses or client IP addresses', async () => {
    const owner = await setUp(haven);
    const created = await owner.post('/api/v1/orgs/acme/tokens', { name: 'log test', scopes: ['org:read'] });
    const token = created.json().token as string;
    const remoteAddress = '203.0.113.77';
    await haven.app.inject({
      url: '/api/v1/orgs/acme',
      headers: { authorization: `Bearer ${token}` },
      remoteAddress,
    });
    await haven.app.inject({
      url: '/api/v1/orgs/acme?token=querysecret123',
      headers: { authorization: `Bearer ${token}` },
      remoteAddress,
    });
    await haven.app.inject({
      url: '/api/v1/orgs/acme',
      headers: { authorization: 'Bearer haven_wrongwrongwrong' },
      remoteAddress,
    });
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/set-password',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token: 'linksecretlinksecretlinksecret', password: STRONG_PASSWORD }),
      remoteAddress,
    });
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'olga@acme.test', password: STRONG_PASSWORD }),
      remoteAddress,
    });
    await haven.app.inject({ url: '/set-password#token=fragmentsecret', remoteAddress });
    const cookieValue = owner.cookie?.split('=')[1] ?? '';
    const logs = haven.logLines.join('');
    const requestLines = haven.logLines.filter((l) => l.includes('"msg":"request"'));
    assert.ok(requestLines.length >= 6, 'requests are logged');
    const line = JSON.parse(requestLines.at(-1) ?? '{}');
    assert.deepEqual(Object.keys(line).sort(), [
      'level',
      'method',
      'ms',
      'msg',
      'requestId',
      'route',
      'service',
      'status',
      'time',
    ]);
    for (const secret of [
      token,
      token.slice(6),
      cookieValue,
      'querysecret123',
      'linksecret',
      STRONG_PASSWORD,
      'olga@acme.test',
      remoteAddress,
      'haven_wrong',
    ]) {
      assert.ok(secret.length > 5);
      assert.equal(logs.includes(secret), false, `log holds ${secret.slice(0, 12)}…`);
    }
    assert.match(logs, /"route":"\/api\/v1\/orgs\/:org"/);
  });

  test('logged errors keep their type, code and stack but no personal data', () => {
    const error = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email_key"'),
      {
        code: '23505',
        constraint: 'users_email_key',
        detail: 'Key (email)=(someone@example.org) already exists.',
        where: 'somewhere',
      },
    );
    const logged = serializeError(error);
    assert.equal(logged.code, '23505');
    assert.equal(logged.constraint, 'users_email_key');
    assert.match(String(logged.stack), /Error: duplicate key/);
    assert.doesNotMatch(JSON.stringify(logged), /someone@example\.org|detail|where/);
    const smtp = serializeError(new Error('Recipient <carl@acme.test> rejected: mailbox unavailable'));
    assert.doesNotMatch(JSON.stringify(smtp), /carl@acme\.test/);
  });

  test('an unexpected error answers 500 with a generic message; the stack goes to the log only', async () => {
    const broken = await startTestHaven(engine);
    const owner = await setUp(broken);
    await broken.runtime.database.db.destroy(); // the database goes away under a running app
    const response = await owner.get('/api/v1/auth/session');
    assert.equal(response.statusCode, 500);
    const body = response.json();
    assert.deepEqual(body.error, {
      code: 'internal.error',
      message: 'Something went wrong on our side.',
      details: [],
    });
    assert.doesNotMatch(response.body, /at |\.ts|Error:/);
    const logged = broken.logLines.find((l) => l.includes('unhandled error'));
    assert.ok(logged);
    assert.match(logged, /"stack":/);
    assert.match(logged, new RegExp(body.requestId));
    await broken.app.close();
    await broken.runtime.deps.jobs.stop().catch(() => {});
  });
});
