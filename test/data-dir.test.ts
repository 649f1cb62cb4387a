import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../src/config.ts';
import { generateMasterKeySecret, masterKeyFrom } from '../src/platform/crypto.ts';
import { DataDirLockedError, LOCK_FILE, lockDataDir, OWNER_FILE } from '../src/platform/data-dir-lock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { tempDir } from './harness.ts';
import { haven, ROOT, type Spawned, spawnNode, waitForOutput } from './process.ts';

const FIXTURE = 'test/fixtures/open-data-dir.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = tempDir('haven-data-dir-');
  dirs.push(dir);
  return dir;
}

/** Waits for a fixture to say `locked` or `busy` (it exits 3 when busy). */
async function outcome(spawned: Spawned): Promise<'locked' | 'busy'> {
  const [word] = await waitForOutput(spawned, /^(locked|busy)/m).catch(async (error) => {
    if ((await spawned.exited) === 3) return ['busy'];
    throw error;
  });
  return word as 'locked' | 'busy';
}

async function stop(spawned: Spawned, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill(signal);
  await spawned.exited;
}

/** A pid that no process has now: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const lockMessage = (pid: number) => new RegExp(`in use by another Haven process \\(pid ${pid}\\)`);

describe('the data-dir lock', () => {
  test('a lock held by a live process refuses, naming it; after SIGKILL it is taken at once', async () => {
    const dir = freshDir();
    const holder = spawnNode([FIXTURE, 'lock', dir], {});
    try {
      assert.equal(await outcome(holder), 'locked');
      const pid = holder.child.pid ?? 0;
      assert.throws(
        () => lockDataDir(dir),
        (error) =>
          error instanceof DataDirLockedError && error.pid === pid && lockMessage(pid).test(error.message),
      );
      // The kernel drops the lock with the process: no staleness timeout, no pid to judge.
      holder.child.kill('SIGKILL');
      await holder.exited;
      const startedAt = Date.now();
      const lock = lockDataDir(dir);
      assert.ok(Date.now() - startedAt < 1000, 'taken over at once');
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')).pid, process.pid);
      lock.release();
      lock.release(); // idempotent
      assert.equal(fs.existsSync(path.join(dir, OWNER_FILE)), false, 'release removes the lock record');
      lockDataDir(dir).release();
    } finally {
      await stop(holder, 'SIGKILL');
    }
  });

  test('one process cannot take its own data dir twice', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    try {
      assert.throws(() => lockDataDir(dir), DataDirLockedError);
    } finally {
      lock.release();
    }
    lockDataDir(dir).release();
  });

  test('a lock whose handle nobody keeps is still held after garbage collection', () => {
    const dir = freshDir();
    (() => {
      lockDataDir(dir); // the returned handle is dropped at once
    })();
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    gc();
    assert.throws(() => lockDataDir(dir), DataDirLockedError);
  });

  test('a lock record left by an earlier process with our pid, pid 1 or a dead pid does not block', () => {
    // After a crash in a container the restarted process usually has the same pid (often 1).
    const dir = freshDir();
    for (const record of [
      JSON.stringify({ pid: process.pid, hostname: os.hostname() }),
      JSON.stringify({ pid: 1, hostname: os.hostname() }),
      `${process.pid}\n`, // what an older Haven wrote
      '1\n',
      JSON.stringify({ pid: deadPid(), hostname: os.hostname() }),
      'garbage',
    ]) {
      fs.writeFileSync(path.join(dir, OWNER_FILE), record);
      const lock = lockDataDir(dir);
      lock.release();
      assert.equal(fs.existsSync(path.join(dir, OWNER_FILE)), false);
    }
  });

  test('three processes racing for a lock left by a SIGKILLed process: exactly one gets it', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = freshDir();
      const crashed = spawnNode([FIXTURE, 'lock', dir], {});
      assert.equal(await outcome(crashed), 'locked');
      crashed.child.kill('SIGKILL');
      await crashed.exited;
      const startAt = String(Date.now() + 700);
      const racers = [0, 1, 2].map(() => spawnNode([FIXTURE, 'lock', dir, startAt], {}));
      try {
        const outcomes = await Promise.all(racers.map(outcome));
        assert.equal(
          outcomes.filter((o) => o === 'locked').length,
          1,
          `round ${round}: ${outcomes.join(', ')}`,
        );
        const winner = racers[outcomes.indexOf('locked')];
        for (const [i, racer] of racers.entries()) {
          if (outcomes[i] === 'busy') assert.match(racer.stdout(), /in use by another Haven process/);
        }
        assert.throws(() => lockDataDir(dir), DataDirLockedError, 'and it still holds it');
        if (winner) await stop(winner, 'SIGKILL');
        lockDataDir(dir).release();
      } finally {
        await Promise.all(racers.map((r) => stop(r, 'SIGKILL')));
      }
    }
  });

  test('a holder in another pid namespace (where it is pid 1) is seen', async (t) => {
    const probe = spawnSync('unshare', ['--pid', '--fork', process.execPath, '-p', '1'], { timeout: 5000 });
    if (probe.status !== 0) {
      t.skip('cannot make a pid namespace here (unshare needs root)');
      return;
    }
    const dir = freshDir();
    const child = spawn(
      'unshare',
      ['--pid', '--fork', '--kill-child', process.execPath, FIXTURE, 'lock', dir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const until = Date.now() + 15_000;
      while (!/locked/.test(out) && Date.now() < until && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.match(out, /locked 1\b/, 'the holder is pid 1 in its namespace');
      assert.throws(
        () => lockDataDir(dir),
        (error) => error instanceof DataDirLockedError && error.pid === 1,
      );
    } finally {
      child.kill('SIGKILL'); // its child, pid 1 inside, gets SIGKILL too (--kill-child)
      await exited;
    }
    const until = Date.now() + 5000;
    for (;;) {
      try {
        lockDataDir(dir).release();
        break;
      } catch (error) {
        if (!(error instanceof DataDirLockedError) || Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  });
});

describe('the master key file on a fresh data dir', () => {
  test('processes racing to make it all end up with one key: an existing key file is never replaced', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = path.join(freshDir(), 'data');
      const startAt = String(Date.now() + 800);
      const racers = Array.from({ length: 6 }, () => spawnNode([FIXTURE, 'key', dir, startAt], {}));
      const codes = await Promise.all(racers.map((r) => r.exited));
      assert.deepEqual(
        codes,
        racers.map(() => 0),
        racers.map((r) => r.stderr()).join('\n'),
      );
      const ids = new Set(racers.map((r) => /key ([0-9a-f]{16})/.exec(r.stdout())?.[1]));
      const onDisk = masterKeyFrom(
        Buffer.from(fs.readFileSync(path.join(dir, 'master.key'), 'utf8').trim(), 'base64url'),
      ).id;
      assert.deepEqual([...ids], [onDisk], `round ${round}: every process has the key on disk`);
      assert.equal(racers.filter((r) => / created/.test(r.stdout())).length, 1, 'one made it');
      assert.deepEqual(fs.readdirSync(dir), ['master.key'], 'no temporary files left');
    }
  });

  test('haven migrate started four times at once on a fresh data dir never loses the key', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = path.join(freshDir(), 'data');
      const runs = await Promise.all([0, 1, 2, 3].map(() => haven(['migrate'], { HAVEN_DATA_DIR: dir })));
      assert.ok(
        runs.some((r) => r.code === 0),
        runs.map((r) => r.stderr).join('\n'),
      );
      for (const run of runs) {
        if (run.code !== 0) {
          assert.equal(run.code, 1, run.stderr);
          assert.match(run.stderr, /in use by another Haven process/);
        }
      }
      const key = fs.readFileSync(path.join(dir, 'master.key'), 'utf8');
      const again = await haven(['migrate'], { HAVEN_DATA_DIR: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(fs.readFileSync(path.join(dir, 'master.key'), 'utf8'), key);
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f.startsWith('master.key')),
        ['master.key'],
        'one key file, no temporary ones',
      );
    }
  });
});

describe('data dir permissions', () => {
  test('a data dir made 0755 by someone else ends up 0700, pgdata 0700, a loose key file 0600 with a warning', async () => {
    const dir = path.join(freshDir(), 'volume');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    const secret = generateMasterKeySecret();
    fs.writeFileSync(path.join(dir, 'master.key'), `${secret.toString('base64url')}\n`, { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'master.key'), 0o644);
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => lines.push(line) });
    const runtime = await openRuntime(loadConfig({ HAVEN_DATA_DIR: dir }), { log });
    try {
      assert.equal(runtime.deps.keyring.current.id, masterKeyFrom(secret).id, 'the key file was kept');
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(dir, 'pgdata')).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(dir, 'master.key')).mode & 0o777, 0o600);
      const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string; was?: string });
      assert.ok(warnings.some((w) => w.level === 40 && /data dir was open/.test(w.msg) && w.was === '0755'));
      assert.ok(
        warnings.some(
          (w) => w.level === 40 && /master key file was readable/.test(w.msg) && w.was === '0644',
        ),
      );
      assert.ok(fs.existsSync(path.join(dir, LOCK_FILE)));
    } finally {
      await runtime.close();
    }
    assert.equal(fs.existsSync(path.join(dir, OWNER_FILE)), false, 'the lock is released on close');

    // pgdata loosened behind Haven's back is made private again on the next start.
    fs.chmodSync(path.join(dir, 'pgdata'), 0o777);
    const again = await openRuntime(loadConfig({ HAVEN_DATA_DIR: dir }), { log });
    await again.close();
    assert.equal(fs.statSync(path.join(dir, 'pgdata')).mode & 0o777, 0o700);
  });
});
