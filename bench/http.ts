import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { ensureUser } from '../src/auth/ensure-user.ts';
import { createOrganisation } from '../src/orgs/create-organisation.ts';
import { getOrganisationAccess } from '../src/orgs/organisation-access.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import {
  type Benchmark,
  benchDatabaseUrl,
  benchStore,
  ms,
  type Row,
  runAlone,
  say,
  stats,
} from './lib/common.ts';
import type { LoadResult, LoadSpec } from './lib/http-load.ts';

const CONCURRENCY = 32;
const DURATION_MS = 5_000;
const MAX_REQUESTS = 20_000;
const WARMUP_REQUESTS = 500;
const ORG = 'bench';

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/http-load.ts', import.meta.url), { workerData: spec });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

/** An organisation with an owner and a read-only API token for it, as `haven token create` makes one. */
async function seed(runtime: Runtime): Promise<string> {
  const { deps } = runtime;
  const userId = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { user } = await ensureUser(trx, { email: 'owner@bench.test', name: 'Bench Owner', now });
    await createOrganisation(deps, trx, {
      slug: ORG,
      name: 'Bench',
      defaultLanguage: 'en',
      timezone: 'Europe/Amsterdam',
      ownerUserId: user.id,
    });
    return user.id;
  });
  const access = await getOrganisationAccess(
    deps,
    { via: 'session', userId, sessionIdHash: Buffer.alloc(0) },
    ORG,
  );
  const { token } = await createApiToken(deps, access, { name: 'bench', scopes: ['org:read'] });
  return token;
}

async function measure(engine: 'pglite' | 'postgres', serverUrl: string | undefined): Promise<Row[]> {
  const store = await benchStore(engine, serverUrl);
  const { label, config, log } = store;
  const rows: Row[] = [];
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  try {
    runtime = await openRuntime(config, { log, limits: { http: false } });
    app = await buildApp(runtime.deps);
    await runtime.deps.jobs.startWorkers();
    await app.listen({ host: config.host, port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const token = await seed(runtime);
    const base = `http://127.0.0.1:${port}`;
    const probe = await fetch(`${base}/api/v1/orgs/${ORG}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    say(`  ${label}: GET /api/v1/orgs/${ORG} with the token → ${probe.status} ${await probe.text()}`);

    const targets: { what: string; url: string; headers: Record<string, string> }[] = [
      { what: 'GET /healthz', url: `${base}/healthz`, headers: {} },
      {
        what: `GET /api/v1/orgs/{org} (bearer)`,
        url: `${base}/api/v1/orgs/${ORG}`,
        headers: { authorization: `Bearer ${token}` },
      },
    ];
    for (const target of targets) {
      const result = await runLoad({
        url: target.url,
        headers: target.headers,
        concurrency: CONCURRENCY,
        durationMs: DURATION_MS,
        maxRequests: MAX_REQUESTS,
        warmupRequests: WARMUP_REQUESTS,
      });
      const s = stats(result.latencies);
      const rps = (result.requests / result.elapsedMs) * 1000;
      const ok = result.statuses['200'] ?? 0;
      const other = Object.entries(result.statuses)
        .filter(([status]) => status !== '200')
        .map(([status, n]) => `${n}×${status}`);
      if (result.failures > 0) other.push(`${result.failures} failed (${result.firstFailure})`);
      const figures =
        `${Math.round(rps)} req/s  p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  ` +
        `(${result.requests} in ${ms(result.elapsedMs)}${other.length ? `; non-200: ${other.join(', ')}` : ''})`;
      say(`  ${label} ${target.what}: ${figures}; ${ok} × 200`);
      rows.push({ bench: 'http', engine: label, what: `${target.what}, c=${CONCURRENCY}`, figures });
    }
  } finally {
    await app?.close();
    await runtime?.close();
    await store.close();
  }
  return rows;
}

export const http: Benchmark = {
  name: 'http',
  async run() {
    const serverUrl = benchDatabaseUrl();
    say(
      `http: fetch from a worker thread → Haven in this process on 127.0.0.1, concurrency ${CONCURRENCY}, ` +
        `${DURATION_MS / 1000} s or ${MAX_REQUESTS} requests per endpoint after ${WARMUP_REQUESTS} warm-up; ` +
        'API rate limit off',
    );
    const rows = await measure('pglite', undefined);
    if (serverUrl) rows.push(...(await measure('postgres', serverUrl)));
    else say('  postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return rows;
  },
};

if (import.meta.main) await runAlone(http);
