/**
 * Report intake under sustained load: `POST /api/v1/orgs/{org}/reports` with a ~2 KB English report
 * from a named reporter with an e-mail address (so every case also gets its acknowledgement job and
 * mail), to an organisation with the `reconi` preset published, each request with a new
 * Idempotency-Key. Beside it, in the same run and on the same database (same Kysely pool), a
 * baseline: a bare Fastify route that inserts the same JSON into a plain table. Haven is built as
 * `haven start` builds it (runtime, app, job workers, listen on 127.0.0.1), with proof-of-work and
 * every rate limit turned off through `openRuntime`'s options. The load comes over real HTTP from a
 * worker thread (bench/lib/http-load.ts); a non-201 answer counts as an error.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { ensureUser } from '../src/auth/ensure-user.ts';
import type { RateLimits } from '../src/deps.ts';
import { createOrganisation } from '../src/orgs/create-organisation.ts';
import { noRateLimit } from '../src/platform/rate-limiter.ts';
import { publishPresetForNewOrganisation } from '../src/policies/policies.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import {
  type Benchmark,
  benchDatabaseUrl,
  benchStore,
  ms,
  type Row,
  runAlone,
  type Stats,
  say,
  sleep,
  stats,
} from './lib/common.ts';
import type { LoadResult, LoadSpec } from './lib/http-load.ts';

const CONCURRENCY = 16;
const DURATION_MS = 10_000;
const WARMUP_MS = 3_000;
const ORG = 'reconi';
/** How long the acknowledgement backlog may take to drain after the load stops. */
const DRAIN_TIMEOUT_MS = 180_000;
/** Settle time between the two runs, so that one's background work does not land in the other. */
const PAUSE_MS = 1_000;

/** Every limit off: the benchmark measures intake, not the limiter's refusals. */
const NO_LIMITS: Partial<RateLimits> = {
  signInPerAccount: noRateLimit,
  signInPerClient: noRateLimit,
  mailRequestsPerClient: noRateLimit,
  mailsPerAccount: noRateLimit,
  submissionsPerClient: noRateLimit,
  reporterMessagesPerCase: noRateLimit,
  http: false,
};

const STEPS = `The password reset form at https://mijn.reconi.test/account/reset accepts a return address in the parameter "next" and sends the browser there after the new password is saved, without checking that the address belongs to Reconi.

Steps to reproduce:
1. Open https://mijn.reconi.test/account/reset?next=https://attacker.example/welcome in a private window.
2. Request a reset link for your own account and open the link from the e-mail.
3. Choose a new password and submit the form.
4. The browser is redirected to https://attacker.example/welcome, a page that looks like the Reconi login page.

I tested this only with my own account, from my own address, on a weekday morning. I did not try other accounts, I did not look at anyone else's data, and I stopped as soon as the redirect was confirmed. The same parameter is also read by the login form, but there the address is checked against a list of allowed hosts, so the reset form seems to have been missed when that check was added.

A simple fix would be to reuse the check of the login form, or to accept only relative paths that start with a single slash. Please let me know if you need more details or a screen recording of the steps above.`;

const IMPACT = `An attacker can send a genuine Reconi password reset link to a customer. After the customer has chosen a new password on the real site, they land on a page the attacker controls, which can ask them to log in again and so capture the new password. Because the first part of the journey happens on the real domain, the customer has little reason to be suspicious. I rate this as medium: it needs a user to follow a link, but the trust it borrows is high.`;

/** A realistic named report in English: about 2 KB of JSON. */
export function benchReport(policyVersion: number) {
  return {
    title: 'Open redirect after password reset on mijn.reconi.test',
    assets: [
      'https://mijn.reconi.test/account/reset?next=https://attacker.example/welcome',
      'https://mijn.reconi.test/account/login',
    ],
    ipAddresses: ['192.0.2.44'],
    objects: 'query parameter "next" of /account/reset; the new-password form',
    steps: STEPS,
    impact: IMPACT,
    proofOfConcept:
      'GET /account/reset?next=https://attacker.example/welcome HTTP/1.1\nHost: mijn.reconi.test',
    cwe: 'CWE-601',
    reporter: { identity: 'named', name: 'Femke de Vries', email: 'femke@researcher.test' },
    credit: { wanted: true, name: 'Femke de Vries' },
    language: 'en',
    acceptedPolicyVersion: policyVersion,
  };
}

/** The load generator's thread name: its CPU time is left out of the server's. */
const LOAD_THREAD = 'haven-load';

/** Runs the load generator; `onMeasuring` is called when its warm-up is over. */
function runLoad(spec: LoadSpec, onMeasuring: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/http-load.ts', import.meta.url), {
      workerData: { ...spec, announceMeasuring: true },
      name: LOAD_THREAD,
    });
    worker.on('message', (message: LoadResult | { measuring: true }) => {
      if ('measuring' in message) return onMeasuring();
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

/** The organisation with the `reconi` preset published, through the use cases `haven org create` uses. */
async function seed(runtime: Runtime): Promise<number> {
  const { deps } = runtime;
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { user } = await ensureUser(trx, { email: 'owner@reconi.test', name: 'Bench Owner', now });
    const organisation = await createOrganisation(deps, trx, {
      slug: ORG,
      name: 'Reconi',
      defaultLanguage: 'nl',
      timezone: 'Europe/Amsterdam',
      ownerUserId: user.id,
    });
    return publishPresetForNewOrganisation(deps, trx, organisation.id, 'reconi');
  });
}

/**
 * The baseline: Fastify with its defaults and one route that stores the JSON body as it came, through
 * the same Kysely instance (so the same pg pool or PGlite pool) Haven uses.
 */
async function baselineApp(runtime: Runtime): Promise<FastifyInstance> {
  const { db } = runtime.deps;
  await sql`create table bench_reports (
    id bigint generated always as identity primary key,
    body jsonb not null,
    received_at timestamptz not null default now()
  )`.execute(db);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/bench/reports', async (request, reply) => {
    const { rows } = await sql<{ id: string }>`
      insert into bench_reports (body) values (${JSON.stringify(request.body)}::jsonb) returning id
    `.execute(db);
    return reply.code(201).send({ id: rows[0]?.id });
  });
  return app;
}

/** CPU seconds from /proc (Linux): this process less the load thread, its main thread, and PostgreSQL. */
type Cpu = { server: number; main: number; postgres: number };

function ticks(statPath: string): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the thread or process is gone
  }
}

const TICK_SECONDS = 0.01; // USER_HZ is 100 on Linux

/** PostgreSQL backends serving `database` (their command line names it). */
function postgresBackends(database: string): string[] {
  const pids: string[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `)) pids.push(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

function cpuNow(database: string | undefined): Map<string, number> | undefined {
  if (!fs.existsSync('/proc/self/task')) return undefined;
  const at = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let name = '';
    try {
      name = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (name === LOAD_THREAD) continue;
    at.set(tid === String(process.pid) ? 'main' : `t${tid}`, ticks(`/proc/self/task/${tid}/stat`));
  }
  if (database) for (const pid of postgresBackends(database)) at.set(`pg${pid}`, ticks(`/proc/${pid}/stat`));
  return at;
}

function cpuSince(
  before: Map<string, number> | undefined,
  after: Map<string, number> | undefined,
): Cpu | undefined {
  if (!before || !after) return undefined;
  const cpu: Cpu = { server: 0, main: 0, postgres: 0 };
  for (const [key, value] of after) {
    const delta = (value - (before.get(key) ?? 0)) * TICK_SECONDS;
    if (key.startsWith('pg')) cpu.postgres += delta;
    else cpu.server += delta;
    if (key === 'main') cpu.main = delta;
  }
  return cpu;
}

type Measured = {
  rps: number;
  s: Stats;
  requests: number;
  errors: number;
  note: string;
  /** CPU milliseconds per request, during the measured part. */
  cpu: Cpu | undefined;
  /** The machine's 1-minute load average when the measured part ended: other work skews the figures. */
  load: number;
};

async function drive(url: string, body: string, database: string | undefined): Promise<Measured> {
  let before: Map<string, number> | undefined;
  const result = await runLoad(
    {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      uniqueIdempotencyKey: true,
      expectStatus: 201,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      maxRequests: Number.MAX_SAFE_INTEGER,
      warmupRequests: Number.MAX_SAFE_INTEGER,
      warmupMs: WARMUP_MS,
    },
    () => {
      before = cpuNow(database);
    },
  );
  const after = cpuNow(database);
  const used = cpuSince(before, after);
  const created = result.statuses['201'] ?? 0;
  const errors = result.requests - created;
  const other = Object.entries(result.statuses)
    .filter(([status]) => status !== '201')
    .map(([status, n]) => `${n}×${status}`);
  if (result.failures > 0) other.push(`${result.failures} failed: ${result.firstFailure}`);
  if (result.firstUnexpected) other.push(`first: ${result.firstUnexpected}`);
  return {
    rps: (created / result.elapsedMs) * 1000,
    s: stats(result.latencies),
    requests: result.requests,
    errors,
    note: other.join('; '),
    load: os.loadavg()[0] ?? Number.NaN,
    cpu: used && {
      server: (used.server * 1000) / result.requests,
      main: (used.main * 1000) / result.requests,
      postgres: (used.postgres * 1000) / result.requests,
    },
  };
}

const figures = (m: Measured) =>
  `${Math.round(m.rps)} req/s  p50 ${ms(m.s.p50)}  p99 ${ms(m.s.p99)}  errors ${m.errors}` +
  `  (${m.requests} in ${DURATION_MS / 1000} s, max ${ms(m.s.max)})`;

/** The short form for the summary table. */
const cpuShort = (m: Measured, engine: 'pglite' | 'postgres') =>
  m.cpu
    ? `; CPU/req ${m.cpu.server.toFixed(2)} ms` +
      (engine === 'postgres' ? ` + PostgreSQL ${m.cpu.postgres.toFixed(2)} ms` : '')
    : '';

const cpuFigures = (m: Measured, engine: 'pglite' | 'postgres') =>
  m.cpu
    ? `CPU per request: server ${m.cpu.server.toFixed(2)} ms (main thread ${m.cpu.main.toFixed(2)} ms)` +
      (engine === 'postgres' ? `, PostgreSQL backends ${m.cpu.postgres.toFixed(2)} ms` : ' (PGlite included)')
    : 'CPU per request: - (no /proc)';

const loadFigure = (m: Measured) => `machine load average ${m.load.toFixed(1)} (${os.cpus().length} CPUs)`;

async function count(runtime: Runtime, query: ReturnType<typeof sql<{ n: string }>>): Promise<number> {
  const { rows } = await query.execute(runtime.deps.db);
  return Number(rows[0]?.n ?? 0);
}

async function measure(engine: 'pglite' | 'postgres', serverUrl: string | undefined): Promise<Row[]> {
  const store = await benchStore(engine, serverUrl);
  const { label, config, log } = store;
  const rows: Row[] = [];
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  let baseline: FastifyInstance | undefined;
  try {
    runtime = await openRuntime(config, { log, limits: NO_LIMITS, proofOfWork: null });
    app = await buildApp(runtime.deps);
    await runtime.deps.jobs.startWorkers();
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseline = await baselineApp(runtime);
    await baseline.listen({ host: '127.0.0.1', port: 0 });
    const havenUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/orgs/${ORG}/reports`;
    const baselineUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}/bench/reports`;
    const version = await seed(runtime);
    const database = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) : undefined;
    const body = JSON.stringify(benchReport(version));

    const probe = await fetch(havenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `probe-${randomBytes(8).toString('hex')}`,
      },
      body,
    });
    const receipt = await probe.text();
    if (probe.status !== 201) throw new Error(`the probe submission got ${probe.status}: ${receipt}`);
    say(
      `  ${label}: body ${Buffer.byteLength(body)} B; probe → 201 ${(JSON.parse(receipt) as { reference: string }).reference}`,
    );

    const base = await drive(baselineUrl, body, database);
    say(`  ${label} baseline (bare Fastify insert): ${figures(base)}${base.note ? `; ${base.note}` : ''}`);
    say(`    ${cpuFigures(base, engine)}; ${loadFigure(base)}`);
    await sleep(PAUSE_MS);

    const casesBefore = await count(runtime, sql`select count(*) as n from cases`);
    const haven = await drive(havenUrl, body, database);
    const loadEnded = performance.now();
    say(`  ${label} Haven intake: ${figures(haven)}${haven.note ? `; ${haven.note}` : ''}`);
    say(`    ${cpuFigures(haven, engine)}; ${loadFigure(haven)}`);

    // Every 201 is a case, and every case gets its acknowledgement: wait for the job backlog to drain.
    const cases = await count(runtime, sql`select count(*) as n from cases`);
    const ackedQuery = () =>
      count(
        runtime as Runtime,
        sql`select count(*) as n from case_events where kind = 'acknowledgement.sent'`,
      );
    const ackedAtEnd = await ackedQuery();
    let acked = ackedAtEnd;
    while (acked < cases && performance.now() - loadEnded < DRAIN_TIMEOUT_MS) {
      await sleep(250);
      acked = await ackedQuery();
    }
    const drainMs = performance.now() - loadEnded;
    const outbox = path.join(config.dataDir, 'outbox');
    const mails = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0;
    const acks =
      `${cases} cases (${cases - casesBefore} in the run and its warm-up); acknowledgements sent ${ackedAtEnd} ` +
      `when the load stopped, ${acked} after ${ms(drainMs)}; ${mails} mails in the outbox`;
    say(`  ${label} ${acks}`);

    const ratio = haven.rps / base.rps;
    say(`  ${label} Haven / baseline: ${(ratio * 100).toFixed(0)} %`);
    rows.push(
      {
        bench: 'intake',
        engine: label,
        what: `POST /api/v1/orgs/{org}/reports, c=${CONCURRENCY}`,
        figures: figures(haven) + cpuShort(haven, engine),
      },
      {
        bench: 'intake',
        engine: label,
        what: `baseline: bare Fastify insert, c=${CONCURRENCY}`,
        figures: figures(base) + cpuShort(base, engine),
      },
      {
        bench: 'intake',
        engine: label,
        what: 'Haven / baseline (req/s)',
        figures:
          `${(ratio * 100).toFixed(0)} %` +
          (engine === 'postgres' ? ' (target ≥ 60 %)' : '') +
          `; acks: ${ackedAtEnd}/${cases} at load end, ${acked}/${cases} after ${ms(drainMs)}`,
      },
    );
  } finally {
    await baseline?.close();
    await app?.close();
    await runtime?.close();
    await store.close();
  }
  return rows;
}

export const intake: Benchmark = {
  name: 'intake',
  async run() {
    const serverUrl = benchDatabaseUrl();
    say(
      `intake: fetch from a worker thread → Haven in this process on 127.0.0.1, JSON report ~2 KB, ` +
        `named with e-mail, reconi preset, new Idempotency-Key per request; concurrency ${CONCURRENCY}, ` +
        `${WARMUP_MS / 1000} s warm-up then ${DURATION_MS / 1000} s; proof-of-work and rate limits off; ` +
        'baseline = bare Fastify route inserting the same JSON through the same pool; non-201 = error',
    );
    const rows = await measure('pglite', undefined);
    if (serverUrl) rows.push(...(await measure('postgres', serverUrl)));
    else say('  postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return rows;
  },
};

if (import.meta.main) await runAlone(intake);
