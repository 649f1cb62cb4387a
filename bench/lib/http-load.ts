/**
 * The load generator of bench/http.ts, run in a worker thread so that it does not share an event
 * loop with the Haven under test: `concurrency` lanes, each sending its next request as soon as the
 * previous answer's body is read, until `durationMs` has passed or `maxRequests` were sent.
 */
import { parentPort, workerData } from 'node:worker_threads';

export type LoadSpec = {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  warmupRequests: number;
};

export type LoadResult = {
  requests: number;
  elapsedMs: number;
  /** Per request, milliseconds from sending to the whole body read. */
  latencies: number[];
  statuses: Record<string, number>;
  failures: number;
  firstFailure: string | undefined;
};

async function load(spec: LoadSpec, maxRequests: number, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  let firstFailure: string | undefined;
  let issued = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const lane = async () => {
    while (issued < maxRequests && performance.now() < deadline) {
      issued++;
      const t = performance.now();
      try {
        const response = await fetch(spec.url, { headers: spec.headers });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
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
  };
}

if (parentPort && workerData) {
  const spec = workerData as LoadSpec;
  await load(spec, spec.warmupRequests, spec.durationMs);
  parentPort.postMessage(await load(spec, spec.maxRequests, spec.durationMs));
}
