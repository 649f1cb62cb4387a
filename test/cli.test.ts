import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import { engines, freshPostgresDatabase, tempDir } from './harness.ts';
import { haven, ROOT, spawnNode, waitForOutput } from './process.ts';
import { freePort } from './resources.ts';

const key = () => generateMasterKeySecret().toString('base64url');

describe('configuration and master key', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('invalid configuration: one line per problem, exit 2', async () => {
    const result = await haven(['migrate'], {
      HAVEN_PORT: 'eighty',
      HAVEN_LOG_LEVEL: 'loud',
      HAVEN_TRUST_PROXY: 'everyone',
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /HAVEN_PORT: /);
    assert.match(result.stderr, /HAVEN_LOG_LEVEL: /);
    assert.match(result.stderr, /HAVEN_TRUST_PROXY: .*everyone/);
  });

  test('DATABASE_URL without HAVEN_MASTER_KEY exits 2 with a clear message', async () => {
    const result = await haven(['migrate'], { DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /HAVEN_MASTER_KEY: required when DATABASE_URL is set/);
  });

  test('embedded: the key file is made once with mode 0600; a different key is refused with exit 2', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await haven(['migrate'], { HAVEN_DATA_DIR: dataDir });
    assert.equal(first.code, 0, first.stderr);
    const keyFile = path.join(dataDir, 'master.key');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const before = fs.readFileSync(keyFile, 'utf8');
    assert.equal((await haven(['migrate'], { HAVEN_DATA_DIR: dataDir })).code, 0);
    assert.equal(fs.readFileSync(keyFile, 'utf8'), before, 'the key is not replaced');
    const wrong = await haven(['migrate'], { HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: key() });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /master key does not match this database/);
  });

  test('embedded: master-key rotate replaces the key file; the old key is refused afterwards', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    assert.equal((await haven(['migrate'], { HAVEN_DATA_DIR: dataDir })).code, 0);
    const oldKey = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim();
    const rotated = await haven(['master-key', 'rotate'], { HAVEN_DATA_DIR: dataDir });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /Master key rotated: [0-9a-f]{16} -> [0-9a-f]{16}/);
    const newKey = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim();
    assert.notEqual(newKey, oldKey);
    assert.equal(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777, 0o600);
    assert.equal((await haven(['migrate'], { HAVEN_DATA_DIR: dataDir })).code, 0);
    assert.equal((await haven(['migrate'], { HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: oldKey })).code, 2);
  });

  for (const engine of engines().filter((e) => e === 'postgres')) {
    test(`${engine}: a wrong HAVEN_MASTER_KEY against an existing database exits 2`, async () => {
      const db = await freshPostgresDatabase();
      try {
        const right = key();
        assert.equal((await haven(['migrate'], { DATABASE_URL: db.url, HAVEN_MASTER_KEY: right })).code, 0);
        const wrong = await haven(['migrate'], { DATABASE_URL: db.url, HAVEN_MASTER_KEY: key() });
        assert.equal(wrong.code, 2);
        assert.match(wrong.stderr, /master key does not match this database/);
        assert.equal((await haven(['migrate'], { DATABASE_URL: db.url, HAVEN_MASTER_KEY: right })).code, 0);
      } finally {
        await db.drop();
      }
    });
  }

  test('the haven command refuses Node.js older than 24', (t) => {
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
      if (!fs.existsSync(p)) return false;
      return Number(execFileSync(p, ['-p', 'process.versions.node.split(".")[0]']).toString()) < 24;
    });
    if (!old) {
      t.skip('no Node.js older than 24 on this machine to try');
      return;
    }
    try {
      execFileSync(old, ['bin/haven.js', 'help'], { cwd: ROOT, stdio: 'pipe' });
      assert.fail('expected exit 2');
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      assert.equal(e.status, 2);
      assert.match(e.stderr.toString(), /Node\.js 24 or newer is required/);
    }
  });
});

describe('haven commands on an embedded data dir', () => {
  const dataDir = tempDir();
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { HAVEN_DATA_DIR: dataDir };

  test('org create, user create (set-password link), token create (token), then the token works', async () => {
    const org = await haven(['org', 'create', '--slug', 'cli-org', '--name', 'CLI Org'], env);
    assert.equal(org.code, 0, org.stderr);
    const bad = await haven(['org', 'create', '--slug', 'Not Valid', '--name', 'x'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /slug: Use 1–40 lower-case letters/);
    const hosts = await haven(
      ['org', 'host-names', '--org', 'cli-org', '--set', 'Security.CLI.example,cli.example'],
      env,
    );
    assert.equal(hosts.code, 0, hosts.stderr);
    assert.deepEqual(hosts.stdout.trim().split('\n'), ['cli.example', 'security.cli.example']);
    const user = await haven(
      ['user', 'create', '--org', 'cli-org', '--email', 'Ann@Example.org', '--role', 'owner'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    assert.match(user.stdout, /ann@example\.org is now owner of cli-org/);
    assert.match(user.stdout, /http:\/\/localhost:8080\/set-password#token=[A-Za-z0-9_-]{43}/);
    const token = await haven(
      ['token', 'create', '--org', 'cli-org', '--user', 'ann@example.org', '--scopes', 'org:read'],
      env,
    );
    assert.equal(token.code, 0, token.stderr);
    const secret = token.stdout.trim();
    assert.match(secret, /^haven_[A-Za-z0-9_-]{43}$/);
    const usage = await haven(['token', 'create', '--org', 'cli-org'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing --user/);

    const port = await freePort();
    const server = spawnNode(['bin/haven.js', 'start'], {
      ...env,
      HAVEN_PORT: String(port),
      HAVEN_HOST: '127.0.0.1',
      HAVEN_SMTP_PORT: 'off',
    });
    try {
      await waitForOutput(server, /Haven is running at/);
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/orgs/cli-org`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { name: string }).name, 'CLI Org');
      assert.doesNotMatch(server.stdout(), /setup#token/, 'no setup link once an organisation exists');
      const tooLong = await fetch(`http://127.0.0.1:${port}/api/v1/orgs/${'x'.repeat(300)}`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      assert.equal(tooLong.status, 404, 'the router refuses an over-long segment in Haven’s own format');
      assert.equal(((await tooLong.json()) as { error: { code: string } }).error.code, 'request.not_found');
      assert.ok(tooLong.headers.get('x-request-id'));

      const refused = await haven(['org', 'create', '--slug', 'second', '--name', 'Second'], env);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /in use by another Haven process \(pid \d+\)/);
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal(await server.exited, 0, 'a clean shutdown on SIGTERM');
    assert.match(server.stdout(), /haven stopped/);
    assert.equal(fs.existsSync(path.join(dataDir, 'haven.lock')), false, 'the lock is released');
  });
});
