import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: embedded data dir, port 8080, public URL from the port, no proxy trusted', () => {
  const config = loadConfig({});
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.equal(config.port, 8080);
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.equal(config.trustProxy, false);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.logLevel, 'info');
  assert.ok(Object.isFrozen(config));
});

test('every problem is reported, each on its own', () => {
  assert.throws(
    () =>
      loadConfig({
        HAVEN_PORT: '99999',
        HAVEN_PUBLIC_URL: 'ftp://x',
        SMTP_URL: 'mail.example.org',
        HAVEN_MASTER_KEY: 'short',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 4);
      assert.deepEqual(error.problems.map((p) => p.split(':')[0]).sort(), [
        'HAVEN_MASTER_KEY',
        'HAVEN_PORT',
        'HAVEN_PUBLIC_URL',
        'SMTP_URL',
      ]);
      return true;
    },
  );
});

test('PostgreSQL needs a shared master key', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://db/haven' }),
    /HAVEN_MASTER_KEY: required when DATABASE_URL/,
  );
  const key = Buffer.alloc(32, 7);
  const config = loadConfig({
    DATABASE_URL: 'postgres://db/haven',
    HAVEN_MASTER_KEY: key.toString('base64url'),
  });
  assert.deepEqual(config.masterKey, key);
  assert.deepEqual(loadConfig({ HAVEN_MASTER_KEY: key.toString('hex') }).masterKey, key);
});

test('trusted proxies: off, a hop count, or an address list', () => {
  assert.equal(loadConfig({ HAVEN_TRUST_PROXY: 'false' }).trustProxy, false);
  assert.equal(loadConfig({ HAVEN_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.deepEqual(loadConfig({ HAVEN_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, [
    'loopback',
    '10.0.0.0/8',
  ]);
  assert.throws(() => loadConfig({ HAVEN_TRUST_PROXY: 'any proxy at all' }), /HAVEN_TRUST_PROXY/);
});

test('a public URL loses its trailing slash and names the mail sender', () => {
  const config = loadConfig({ HAVEN_PUBLIC_URL: 'https://cvd.example.org/' });
  assert.equal(config.publicUrl, 'https://cvd.example.org');
  assert.equal(config.mailFrom, 'haven@cvd.example.org');
});

test('inbound SMTP: port 2525 on HAVEN_HOST by default, 0 or off turns it off, STARTTLS needs both files', () => {
  const config = loadConfig({ HAVEN_HOST: '0.0.0.0' });
  assert.deepEqual(config.smtp, { host: '0.0.0.0', port: 2525, maxBytes: 30 * 1024 * 1024, tls: undefined });
  assert.equal(loadConfig({ HAVEN_SMTP_PORT: '0' }).smtp, undefined);
  assert.equal(loadConfig({ HAVEN_SMTP_PORT: 'OFF' }).smtp, undefined);
  const custom = loadConfig({
    HAVEN_SMTP_PORT: '25',
    HAVEN_SMTP_HOST: '127.0.0.1',
    HAVEN_SMTP_MAX_BYTES: '1048576',
    HAVEN_SMTP_TLS_CERT: '/etc/haven/cert.pem',
    HAVEN_SMTP_TLS_KEY: '/etc/haven/key.pem',
  });
  assert.deepEqual(custom.smtp, {
    host: '127.0.0.1',
    port: 25,
    maxBytes: 1048576,
    tls: { certFile: '/etc/haven/cert.pem', keyFile: '/etc/haven/key.pem' },
  });
  assert.throws(() => loadConfig({ HAVEN_SMTP_PORT: 'smtp' }), /HAVEN_SMTP_PORT/);
  assert.throws(() => loadConfig({ HAVEN_SMTP_MAX_BYTES: '10' }), /HAVEN_SMTP_MAX_BYTES/);
  assert.throws(() => loadConfig({ HAVEN_SMTP_TLS_CERT: '/etc/haven/cert.pem' }), /HAVEN_SMTP_TLS_KEY/);
});
