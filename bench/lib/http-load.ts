/**
 * The load generator of bench/http.ts and bench/intake.ts, run in a worker thread so that it does
 * not share an event loop with the Haven under test: `concurrency` lanes, each sending its next
 * request as soon as the previous answer's body is read, until `durationMs` has passed or
 * `maxRequests` were sent. A warm-up of the same kind runs first and is not counted.
 */
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

export type LoadSpec = {
  url: string;
  headers: Record<string, string>;
  /** GET when not given. */
  method?: 'GET' | 'POST';
  /** The request body, sent as it is with every request. */
  body?: string;
  /** Sends a new `Idempotency-Key` with every request, as an API client does for a new report. */
  uniqueIdempotencyKey?: boolean;
  /** The status an answer must have to count as a success (for `firstUnexpected`); any when not given. */
  expectStatus?: number;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  warmupRequests: number;
  /** Longest warm-up; `durationMs` when not given. */
  warmupMs?: number;
  /** Posts `{ measuring: true }` when the warm-up is over, before the result. */
  announceMeasuring?: boolean;
};

export type LoadResult = {
  requests: number;
  elapsedMs: number;
  /** Per request, milliseconds from sending to the whole body read. */
  latencies: number[];
  statuses: Record<string, number>;
  failures: number;
  firstFailure: string | undefined;
  /** The first answer with another status than `expectStatus`: status and the start of the body. */
  firstUnexpected: string | undefined;
};

async function load(spec: LoadSpec, maxRequests: number, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  let firstFailure: string | undefined;
  let firstUnexpected: string | undefined;
  let issued = 0;
  const keyPrefix = randomBytes(8).toString('hex');
  const started = performance.now();
  const deadline = started + durationMs;
  const lane = async () => {
    while (issued < maxRequests && performance.now() < deadline) {
      const seq = issued++;
      const headers = spec.uniqueIdempotencyKey
        ? { ...spec.headers, 'idempotency-key': `bench-${keyPrefix}-${seq}` }
        : spec.headers;
      const t = performance.now();
      try {
        const response = await fetch(spec.url, { method: spec.method ?? 'GET', headers, body: spec.body });
        const body = await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (spec.expectStatus !== undefined && response.status !== spec.expectStatus) {
          firstUnexpected ??= `${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`;
        }
      } catch (error) {
        failures++;
        firstFailure ??= String(error);
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, lane));
  return {
    requests: latencies.length,
    elapsedMs: performance.now() - started,
    latencies,
    statuses,
    failures,
    firstFailure,
    firstUnexpected,
  };
}

if (parentPort && workerData) {
  const spec = workerData as LoadSpec;
  await load(spec, spec.warmupRequests, spec.warmupMs ?? spec.durationMs);
  if (spec.announceMeasuring) parentPort.postMessage({ measuring: true });
  parentPort.postMessage(await load(spec, spec.maxRequests, spec.durationMs));
}
