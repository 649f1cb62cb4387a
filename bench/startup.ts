/**
 * Start-up time and idle memory of `haven start` as its own process: spawn → first GET /healthz 200,
 * on a brand-new data dir and again after a clean restart; then VmRSS/VmHWM after ~5 s idle.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Benchmark,
  benchDatabaseUrl,
  freePort,
  freshDatabase,
  mb,
  memoryOf,
  ms,
  type Row,
  removeDir,
  reportLogLines,
  runAlone,
  say,
  sleep,
  tempDir,
} from './lib/common.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const POLL_MS = 25;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const IDLE_MS = 5_000;

type Running = {
  child: ChildProcess;
  pid: number;
  /** spawn → first /healthz 200 */
  startMs: number;
  /** what Haven itself reports ("ready in N ms") */
  readyMs: number | undefined;
  warnings: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** The environment of the child: ours minus anything that would point Haven elsewhere. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('HAVEN_') || name === 'DATABASE_URL' || name === 'SMTP_URL') delete env[name];
  }
  return { ...env, HAVEN_HOST: '127.0.0.1', HAVEN_LOG_LEVEL: 'info', ...extra };
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function startHavenProcess(env: NodeJS.ProcessEnv, port: number): Promise<Running> {
  const spawned = performance.now();
  const child = spawn(process.execPath, ['bin/haven.js', 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const warnings: string[] = [];
  let readyMs: number | undefined;
  let output = '';
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    if (!line.trim()) return;
    const ready = /ready in (\d+) ms/.exec(line);
    if (ready?.[1]) readyMs = Number(ready[1]);
    if (stream === 'stderr') {
      warnings.push(line);
      return;
    }
    try {
      const parsed = JSON.parse(line) as { level?: number };
      if ((parsed.level ?? 0) >= 40) warnings.push(line);
    } catch {
      // a plain line from the CLI (running at…, setup link)
    }
  };
  for (const [stream, name] of [
    [child.stdout, 'stdout'],
    [child.stderr, 'stderr'],
  ] as const) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output += chunk;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line, name);
    });
  }
  let exitedEarly = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedEarly = true;
      resolve({ code, signal });
    });
  });
  const until = spawned + START_TIMEOUT_MS;
  for (;;) {
    if (await healthy(port)) break;
    if (exitedEarly || performance.now() > until) {
      child.kill('SIGKILL');
      throw new Error(
        `haven did not become healthy (${exitedEarly ? 'it exited' : 'timeout'}); output:\n${output.slice(-2000)}`,
      );
    }
    await sleep(POLL_MS);
  }
  const startMs = performance.now() - spawned;
  if (!child.pid) throw new Error('no pid');
  return { child, pid: child.pid, startMs, readyMs, warnings, exited };
}

async function stopHavenProcess(running: Running): Promise<{ ms: number; code: number | null }> {
  const t = performance.now();
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const { code, signal } = await running.exited;
  clearTimeout(timer);
  if (signal) say(`    exited on signal ${signal} (stop timed out after ${STOP_TIMEOUT_MS} ms)`);
  return { ms: performance.now() - t, code };
}

async function measure(engine: 'pglite' | 'postgres', serverUrl: string | undefined): Promise<Row[]> {
  const dataDir = tempDir();
  const postgres = engine === 'postgres' && serverUrl ? await freshDatabase(serverUrl) : undefined;
  const label = engine === 'pglite' ? 'pglite (disk)' : 'postgres';
  const port = await freePort();
  const env = childEnv({
    HAVEN_DATA_DIR: dataDir,
    HAVEN_PORT: String(port),
    ...(postgres
      ? { DATABASE_URL: postgres.url, HAVEN_MASTER_KEY: randomBytes(32).toString('base64url') }
      : {}),
  });
  const rows: Row[] = [];
  const warnings: string[] = [];
  let running: Running | undefined;
  try {
    running = await startHavenProcess(env, port);
    const fresh = running;
    const freshMemory = memoryOf(fresh.pid);
    const freshStop = await stopHavenProcess(fresh);
    running = undefined;
    warnings.push(...fresh.warnings);
    say(
      `  ${label} new data: healthy after ${ms(fresh.startMs)} (Haven says ready in ${fresh.readyMs ?? '?'} ms), ` +
        `VmHWM ${mb(freshMemory.hwm)}; SIGTERM→exit ${ms(freshStop.ms)} (code ${freshStop.code})`,
    );

    running = await startHavenProcess(env, port);
    const again = running;
    say(
      `  ${label} restart: healthy after ${ms(again.startMs)} (Haven says ready in ${again.readyMs ?? '?'} ms)`,
    );
    await sleep(IDLE_MS);
    const idle = memoryOf(again.pid);
    const againStop = await stopHavenProcess(again);
    running = undefined;
    warnings.push(...again.warnings);
    say(
      `  ${label} idle ${IDLE_MS / 1000} s after restart: VmRSS ${mb(idle.rss)}, VmHWM ${mb(idle.hwm)}; ` +
        `SIGTERM→exit ${ms(againStop.ms)} (code ${againStop.code})`,
    );
    const dirKiB = engine === 'pglite' ? duKiB(dataDir) : undefined;
    if (dirKiB !== undefined) say(`  ${label} data dir after two starts: ${mb(dirKiB)}`);

    rows.push(
      {
        bench: 'startup',
        engine: label,
        what: 'spawn→/healthz 200, new data dir',
        figures: `${ms(fresh.startMs)}  (Haven: ready in ${fresh.readyMs ?? '?'} ms; VmHWM ${mb(freshMemory.hwm)})`,
      },
      {
        bench: 'startup',
        engine: label,
        what: 'spawn→/healthz 200, restart',
        figures: `${ms(again.startMs)}  (Haven: ready in ${again.readyMs ?? '?'} ms)`,
      },
      {
        bench: 'startup',
        engine: label,
        what: `memory idle ${IDLE_MS / 1000} s after restart`,
        figures: `VmRSS ${mb(idle.rss)}  VmHWM ${mb(idle.hwm)}`,
      },
      {
        bench: 'startup',
        engine: label,
        what: 'SIGTERM→exit (new, restart)',
        figures:
          `${ms(freshStop.ms)}, ${ms(againStop.ms)}  (exit codes ${freshStop.code}, ${againStop.code})` +
          (dirKiB !== undefined ? `; data dir ${mb(dirKiB)}` : ''),
      },
    );
  } finally {
    if (running) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    await postgres?.drop();
    removeDir(dataDir);
    reportLogLines(label, warnings);
  }
  return rows;
}

/** Disk usage of a directory tree in KiB (allocated blocks). */
function duKiB(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = `${d}/${entry.name}`;
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) total += fs.statSync(p).blocks * 512;
    }
  };
  walk(dir);
  return total / 1024;
}

export const startup: Benchmark = {
  name: 'startup',
  async run() {
    const serverUrl = benchDatabaseUrl();
    const web = fs.existsSync(new URL('../web/dist/index.html', import.meta.url));
    say(
      `startup: \`${process.execPath} bin/haven.js start\` (Node ${process.versions.node}), ` +
        `spawn→first GET /healthz 200 polled every ${POLL_MS} ms; web build ${web ? 'present' : 'absent (API only)'}`,
    );
    const rows = await measure('pglite', undefined);
    if (serverUrl) rows.push(...(await measure('postgres', serverUrl)));
    else say('  postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return rows;
  },
};

if (import.meta.main) await runAlone(startup);
