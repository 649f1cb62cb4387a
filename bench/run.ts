/**
 * All benchmarks, one after another, then one summary table. Measurements only: nothing here
 * passes or fails. PostgreSQL parts run when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 */
import os from 'node:os';
import { http } from './http.ts';
import { intake } from './intake.ts';
import { jobLatency } from './job-latency.ts';
import { type Benchmark, benchDatabaseUrl, ms, printTable, type Row, say } from './lib/common.ts';
import { mail } from './mail.ts';
import { startup } from './startup.ts';

const benchmarks: Benchmark[] = [jobLatency, startup, http, intake, mail];

const server = benchDatabaseUrl();
say(
  `Haven benchmarks — Node ${process.versions.node}, ${os.cpus().length} CPU(s), ` +
    `${Math.round(os.totalmem() / 1024 ** 3)} GB; PostgreSQL: ${
      server ? new URL(server).host : 'not set (PGlite only)'
    }`,
);
const rows: Row[] = [];
const begun = performance.now();
for (const benchmark of benchmarks) {
  say('');
  const t = performance.now();
  try {
    rows.push(...(await benchmark.run()));
  } catch (error) {
    say(`  ${benchmark.name} did not complete: ${error instanceof Error ? error.message : String(error)}`);
    rows.push({ bench: benchmark.name, engine: '-', what: 'did not complete', figures: String(error) });
  }
  say(`  (${benchmark.name} took ${ms(performance.now() - t)})`);
}
say('');
say(`Summary (${Math.round((performance.now() - begun) / 1000)} s):`);
printTable(rows);
