import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/platform/logger.ts';
import { freePort, freshPostgresDatabase } from '../../test/resources.ts';

/** One line of a benchmark's summary: where it ran, what it measured, and the figures. */
export type Row = { bench: string; engine: string; what: string; figures: string };

export type Benchmark = { name: string; run(): Promise<Row[]> };

/** The PostgreSQL server the PostgreSQL parts run against, when there is one. */
export function benchDatabaseUrl(): string | undefined {
  const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  return url || undefined;
}

/** A fresh, empty database on the bench server; the returned `drop` removes it. */
export function freshDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  return freshPostgresDatabase(base, 'haven_bench');
}

export function tempDir(prefix = 'haven-bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export { freePort };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Stats = { n: number; min: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentiles. */
export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: at(0.5) ?? Number.NaN,
    p95: at(0.95) ?? Number.NaN,
    p99: at(0.99) ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function mb(kib: number | undefined): string {
  return kib === undefined ? '-' : `${(kib / 1024).toFixed(1)} MB`;
}

/** VmRSS and VmHWM of a process, in KiB (Linux). */
export function memoryOf(pid: number): { rss?: number; hwm?: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match?.[1] ? Number(match[1]) : undefined;
    };
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return {};
  }
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printTable(rows: readonly Row[]): void {
  const header: Row = { bench: 'benchmark', engine: 'engine', what: 'measured', figures: 'figures' };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const w = { bench: width('bench'), engine: width('engine'), what: width('what') };
  const line = (r: Row) =>
    `${r.bench.padEnd(w.bench)}  ${r.engine.padEnd(w.engine)}  ${r.what.padEnd(w.what)}  ${r.figures}`;
  say(line(header));
  say('-'.repeat(w.bench + w.engine + w.what + 6 + width('figures')));
  for (const r of rows) say(line(r));
}

/** Runs one benchmark on its own (`node bench/x.ts`) and prints its summary. */
export async function runAlone(benchmark: Benchmark): Promise<void> {
  const rows = await benchmark.run();
  say('');
  printTable(rows);
}

/**
 * A pino destination that keeps warnings and errors (level >= 40) for the report and drops the rest.
 */
export function warningCollector(): { stream: { write(line: string): void }; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    stream: {
      write(line: string) {
        try {
          const parsed = JSON.parse(line) as { level?: number };
          if ((parsed.level ?? 0) >= 40) lines.push(line.trim());
        } catch {
          lines.push(line.trim());
        }
      },
    },
  };
}

/** Prints up to a few collected log lines, shortened. */
export function reportLogLines(label: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  say(`  ${label}: ${lines.length} warning/error log line(s), first ones:`);
  for (const line of lines.slice(0, 3)) say(`    ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
}

export type BenchStore = {
  /** `pglite (disk)` or `postgres`, as the tables print it. */
  label: string;
  config: Config;
  /** Haven's logger at info, as in production; only warnings and errors are kept, for the report. */
  log: Logger;
  /** Drops the database, removes the data dir and prints the warnings the run logged. */
  close(): Promise<void>;
};

/** What a benchmark runs Haven on: a fresh data dir, and a fresh database on PostgreSQL. */
export async function benchStore(
  engine: 'pglite' | 'postgres',
  serverUrl: string | undefined,
  publicUrl = 'http://127.0.0.1',
): Promise<BenchStore> {
  const dataDir = tempDir();
  const postgres = engine === 'postgres' && serverUrl ? await freshDatabase(serverUrl) : undefined;
  const label = engine === 'pglite' ? 'pglite (disk)' : 'postgres';
  const config = loadConfig({
    HAVEN_DATA_DIR: dataDir,
    HAVEN_HOST: '127.0.0.1',
    HAVEN_PORT: '0',
    HAVEN_PUBLIC_URL: publicUrl,
    ...(postgres
      ? { DATABASE_URL: postgres.url, HAVEN_MASTER_KEY: randomBytes(32).toString('base64url') }
      : {}),
  });
  const warnings = warningCollector();
  return {
    label,
    config,
    log: createLogger('info', warnings.stream),
    async close() {
      await postgres?.drop();
      removeDir(dataDir);
      reportLogLines(label, warnings.lines);
    },
  };
}
