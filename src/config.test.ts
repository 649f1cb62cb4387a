import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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

test('DKIM: all three settings or none; the key file must hold an RSA private key in PEM', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-dkim-'));
  try {
    const file = (name: string, content: string) => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const good = file('dkim.pem', String(rsa));
    const env = { HAVEN_DKIM_DOMAIN: 'Mail.Example.org', HAVEN_DKIM_SELECTOR: 'haven2026' };
    assert.equal(loadConfig({}).dkim, undefined);
    assert.deepEqual(loadConfig({ ...env, HAVEN_DKIM_PRIVATE_KEY_FILE: good }).dkim, {
      domain: 'mail.example.org',
      selector: 'haven2026',
      privateKey: String(rsa),
    });
    assert.throws(() => loadConfig(env), /set all three/);
    const ed25519 = String(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    for (const [content, message] of [
      ['not a key', /not an unencrypted PEM private key/],
      [ed25519, /ed25519 key; DKIM signing needs an RSA key/],
    ] as const) {
      assert.throws(
        () => loadConfig({ ...env, HAVEN_DKIM_PRIVATE_KEY_FILE: file('bad.pem', content) }),
        (error: unknown) => error instanceof ConfigError && message.test(error.problems.join('\n')),
      );
    }
    assert.throws(
      () => loadConfig({ ...env, HAVEN_DKIM_PRIVATE_KEY_FILE: path.join(dir, 'missing.pem') }),
      /HAVEN_DKIM_PRIVATE_KEY_FILE: cannot read .*missing\.pem \(ENOENT\)/,
    );
    assert.throws(
      () => loadConfig({ ...env, HAVEN_DKIM_DOMAIN: 'exa mple.org', HAVEN_DKIM_PRIVATE_KEY_FILE: good }),
      /HAVEN_DKIM_DOMAIN: must be a DNS name/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

test('IMAP polling: every 60 seconds by default, between 1 second and a day', () => {
  assert.equal(loadConfig({}).imapPollSeconds, 60);
  assert.equal(loadConfig({ HAVEN_IMAP_POLL_SECONDS: '15' }).imapPollSeconds, 15);
  assert.throws(() => loadConfig({ HAVEN_IMAP_POLL_SECONDS: '0' }), /HAVEN_IMAP_POLL_SECONDS/);
  assert.throws(() => loadConfig({ HAVEN_IMAP_POLL_SECONDS: 'often' }), /HAVEN_IMAP_POLL_SECONDS/);
});
