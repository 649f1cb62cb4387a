import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../src/platform/clock.ts';
import { memoryRateLimiter } from '../src/platform/rate-limiter.ts';
import {
  client,
  engines,
  eventually,
  mailText,
  outboxMessages,
  STRONG_PASSWORD,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const [engine = 'pglite'] = engines();
const MINUTE = 60_000;

describe('session lifetime, link expiry and sign-in limits', () => {
  let haven: TestHaven;
  const clock = fixedClock(new Date('2026-11-23T09:00:00Z'));
  before(async () => {
    haven = await startTestHaven(engine, {
      clock,
      limits: {
        signInPerAccount: memoryRateLimiter({ limit: 5, windowMs: 15 * MINUTE }),
        signInPerClient: memoryRateLimiter({ limit: 1000, windowMs: 5 * MINUTE }),
      },
    });
    await setUp(haven);
  });
  after(() => haven.close());

  const signIn = async () => {
    const c = client(haven.app);
    const response = await c.post('/api/v1/auth/sign-in', {
      email: 'olga@acme.test',
      password: STRONG_PASSWORD,
    });
    assert.equal(response.statusCode, 200, response.body);
    return c;
  };

  test('a session ends after 30 minutes without use', async () => {
    const c = await signIn();
    clock.advance(29 * MINUTE);
    assert.equal((await c.get('/api/v1/auth/session')).statusCode, 200);
    clock.advance(29 * MINUTE);
    assert.equal((await c.get('/api/v1/auth/session')).statusCode, 200, 'use keeps it alive');
    clock.advance(31 * MINUTE);
    const expired = await c.get('/api/v1/auth/session');
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().error.code, 'auth.required');
  });

  test('a session ends 12 hours after sign-in, however busy', async () => {
    const c = await signIn();
    for (let elapsed = 0; elapsed < 11 * 60; elapsed += 20) {
      clock.advance(20 * MINUTE);
      assert.equal((await c.get('/api/v1/auth/session')).statusCode, 200, `after ${elapsed + 20} minutes`);
    }
    clock.advance(61 * MINUTE);
    assert.equal((await c.get('/api/v1/auth/session')).statusCode, 401);
  });

  test('a password-reset link expires after 30 minutes', async () => {
    const before = outboxMessages(haven.outbox).length;
    await client(haven.app).post('/api/v1/auth/password-reset', { email: 'olga@acme.test' });
    const mail = await eventually(() =>
      outboxMessages(haven.outbox)
        .slice(before)
        .find((m) => /Reset your Haven password/.test(m)),
    );
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mailText(mail))?.[1];
    assert.ok(token);
    clock.advance(31 * MINUTE);
    const late = await client(haven.app).post('/api/v1/auth/set-password', {
      token,
      password: 'another long passphrase',
    });
    assert.equal(late.statusCode, 410);
    assert.equal(late.json().error.code, 'auth.link_invalid');
    await signIn(); // the old password still works
  });

  test('repeated failed sign-ins for one account are refused with 429 and Retry-After', async () => {
    const known = await signIn(); // this browser has signed in to the account before
    const attempt = (password: string) =>
      client(haven.app).post('/api/v1/auth/sign-in', { email: 'olga@acme.test', password });
    for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong password!!')).statusCode, 401);
    const limited = await attempt(STRONG_PASSWORD);
    assert.equal(limited.statusCode, 429, 'even the right password waits');
    assert.equal(limited.json().error.code, 'request.rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    const device = known.cookies.find((c) => c.startsWith('__Host-haven_device='));
    assert.ok(device, 'a device cookie was set at sign-in');
    const owner = client(haven.app);
    const fromKnownBrowser = await owner.post(
      '/api/v1/auth/sign-in',
      { email: 'olga@acme.test', password: STRONG_PASSWORD },
      { cookie: device },
    );
    assert.equal(
      fromKnownBrowser.statusCode,
      200,
      'an attacker cannot lock the owner out of their own browser',
    );
    const forged = await client(haven.app).post(
      '/api/v1/auth/sign-in',
      { email: 'olga@acme.test', password: STRONG_PASSWORD },
      { cookie: '__Host-haven_device=abc.def' },
    );
    assert.equal(forged.statusCode, 429);
    clock.advance(16 * MINUTE);
    assert.equal((await attempt(STRONG_PASSWORD)).statusCode, 200, 'the window passes');
  });

  test('a password change retires every reset link still out there', async () => {
    const before = outboxMessages(haven.outbox).length;
    await client(haven.app).post('/api/v1/auth/password-reset', { email: 'olga@acme.test' });
    const mail = await eventually(() =>
      outboxMessages(haven.outbox)
        .slice(before)
        .find((m) => /Reset your Haven/.test(m)),
    );
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mailText(mail))?.[1];
    const c = await signIn();
    const changed = await c.put('/api/v1/me/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    assert.equal(changed.statusCode, 200);
    const late = await client(haven.app).post('/api/v1/auth/set-password', {
      token,
      password: 'attacker passphrase!',
    });
    assert.equal(late.statusCode, 410);
    await c.put('/api/v1/me/password', {
      currentPassword: 'a brand new passphrase',
      newPassword: STRONG_PASSWORD,
    });
  });
});
