/**
 * Commit-to-handler latency of the job system: a job is enqueued inside a Kysely transaction; the
 * latency is the time from the commit resolving to the handler starting, measured in one process
 * with performance.now(). On PGlite (on-disk data dir, as production runs) and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../src/database.ts';
import { openDatabase } from '../src/platform/db.ts';
import { createJobs, handleJob, type JobHandler, type Jobs, jobType } from '../src/platform/jobs.ts';
import { createLogger } from '../src/platform/logger.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import {
  type Benchmark,
  benchDatabaseUrl,
  freshDatabase,
  ms,
  type Row,
  removeDir,
  reportLogLines,
  runAlone,
  type Stats,
  say,
  sleep,
  stats,
  tempDir,
  warningCollector,
} from './lib/common.ts';

const N = 200;
const SPACING_MS = 20;
const WARMUP = 10;
const WAIT_MS = 30_000;

const benchPing = jobType(
  'bench.ping',
  z.object({ run: z.number().int().nonnegative(), seq: z.number().int().nonnegative() }),
  { retryLimit: 0 },
);

/** Handler start times by `run:seq`; the first delivery counts (delivery is at least once). */
const started = new Map<string, number>();
const key = (run: number, seq: number) => `${run}:${seq}`;

const pingHandler = handleJob(benchPing, async ({ run, seq }) => {
  const k = key(run, seq);
  if (!started.has(k)) started.set(k, performance.now());
});

type Engine = 'pglite' | 'postgres';
let runs = 0;

async function enqueue(db: Kysely<Database>, jobs: Jobs, run: number, seq: number) {
  const begun = performance.now();
  await db.transaction().execute((trx) => jobs.enqueue(trx, benchPing, { run, seq }));
  return { begun, committed: performance.now() };
}

async function waitFor(run: number, count: number): Promise<number> {
  const until = performance.now() + WAIT_MS;
  for (;;) {
    let handled = 0;
    for (let seq = 0; seq < count; seq++) if (started.has(key(run, seq))) handled++;
    if (handled === count || performance.now() > until) return handled;
    await sleep(10);
  }
}

function latencies(run: number, commits: { committed: number }[]): number[] {
  const out: number[] = [];
  commits.forEach((c, seq) => {
    const at = started.get(key(run, seq));
    if (at !== undefined) out.push(at - c.committed);
  });
  return out;
}

const figures = (s: Stats) =>
  `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (min ${ms(s.min)})`;

async function measure(engine: Engine, serverUrl: string | undefined): Promise<Row[]> {
  const dir = tempDir();
  const postgres = engine === 'postgres' && serverUrl ? await freshDatabase(serverUrl) : undefined;
  const collected = warningCollector();
  const log = createLogger('warn', collected.stream);
  const label = engine === 'pglite' ? 'pglite (disk)' : 'postgres';
  const rows: Row[] = [];
  const database = await openDatabase<Database>({ databaseUrl: postgres?.url, dataDir: dir });
  let jobs: Jobs | undefined;
  try {
    await migrateToLatest(database.db);
    jobs = await createJobs({
      engine: database.engine,
      pglite: database.pglite,
      connectionString: database.connectionString,
      handlers: [pingHandler as unknown as JobHandler],
      log,
    });
    await jobs.startWorkers();

    const warm = ++runs;
    for (let seq = 0; seq < WARMUP; seq++) await enqueue(database.db, jobs, warm, seq);
    await waitFor(warm, WARMUP);

    // Spaced: one send every SPACING_MS (a slow send pushes the next one back, never overlaps).
    const spaced = ++runs;
    const spacedCommits: { begun: number; committed: number }[] = [];
    const t0 = performance.now();
    for (let seq = 0; seq < N; seq++) {
      const wait = t0 + seq * SPACING_MS - performance.now();
      if (wait > 0) await sleep(wait);
      spacedCommits.push(await enqueue(database.db, jobs, spaced, seq));
    }
    const spacedHandled = await waitFor(spaced, N);
    const spacedStats = stats(latencies(spaced, spacedCommits));
    const commitStats = stats(spacedCommits.map((c) => c.committed - c.begun));
    say(`  ${label} spaced: handled ${spacedHandled}/${N}; latency ${figures(spacedStats)}`);
    say(`  ${label} enqueue transaction: p50 ${ms(commitStats.p50)}  p95 ${ms(commitStats.p95)}`);
    rows.push(
      {
        bench: 'job-latency',
        engine: label,
        what: `commit→handler, 1 per ${SPACING_MS} ms (${spacedHandled}/${N})`,
        figures: figures(spacedStats),
      },
      {
        bench: 'job-latency',
        engine: label,
        what: 'enqueue transaction (begin→commit)',
        figures: `p50 ${ms(commitStats.p50)}  p95 ${ms(commitStats.p95)}  max ${ms(commitStats.max)}`,
      },
    );

    await sleep(500);

    // Burst: N transactions started at once.
    const burst = ++runs;
    const b0 = performance.now();
    const burstCommits = await Promise.all(
      Array.from({ length: N }, (_, seq) => enqueue(database.db, jobs as Jobs, burst, seq)),
    );
    const allCommitted = performance.now();
    const burstHandled = await waitFor(burst, N);
    const lastHandled = Math.max(
      ...Array.from({ length: N }, (_, seq) => started.get(key(burst, seq)) ?? Number.NaN).filter(
        Number.isFinite,
      ),
    );
    const burstStats = stats(latencies(burst, burstCommits));
    const total = lastHandled - b0;
    say(
      `  ${label} burst: handled ${burstHandled}/${N}; all committed after ${ms(allCommitted - b0)}, ` +
        `last handler after ${ms(total)}; latency ${figures(burstStats)}`,
    );
    rows.push(
      {
        bench: 'job-latency',
        engine: label,
        what: `commit→handler, burst of ${N} (${burstHandled}/${N})`,
        figures: figures(burstStats),
      },
      {
        bench: 'job-latency',
        engine: label,
        what: `burst of ${N}: first send→last handler`,
        figures: `${ms(total)}  (${Math.round((burstHandled / total) * 1000)} jobs/s; all committed at ${ms(allCommitted - b0)})`,
      },
    );
  } finally {
    const stopping = performance.now();
    await jobs?.stop().catch((error: unknown) => say(`  ${label}: stopping jobs failed: ${String(error)}`));
    say(`  ${label}: jobs.stop() took ${ms(performance.now() - stopping)}`);
    await database.close();
    await postgres?.drop();
    removeDir(dir);
    reportLogLines(label, collected.lines);
  }
  return rows;
}

export const jobLatency: Benchmark = {
  name: 'job-latency',
  async run() {
    const serverUrl = benchDatabaseUrl();
    say(
      `job-latency: pg-boss via createJobs, ${N} jobs spaced ${SPACING_MS} ms + one burst of ${N}; ` +
        `latency = handler start − commit resolved`,
    );
    const rows = await measure('pglite', undefined);
    if (serverUrl) rows.push(...(await measure('postgres', serverUrl)));
    else say('  postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return rows;
  },
};

if (import.meta.main) await runAlone(jobLatency);
