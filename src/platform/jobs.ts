import type { PGlite } from '@electric-sql/pglite';
import type { Kysely, Transaction } from 'kysely';
import { fromKysely, fromPglite, type JobResult, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from './clock.ts';

/**
 * A kind of job: a queue name and the schema of its payload. Payloads hold ids only: pg-boss keeps
 * finished jobs for days, so no personal data goes in.
 */
export type JobType<S extends z.ZodType = z.ZodType> = Readonly<{
  name: string;
  payload: S;
  retryLimit?: number;
}>;

export function jobType<S extends z.ZodType>(
  name: string,
  payload: S,
  options?: { retryLimit?: number },
): JobType<S> {
  return Object.freeze({ name, payload, retryLimit: options?.retryLimit });
}

/** What runs a job. Delivery is at least once, so a handler must be idempotent. */
export type JobHandler<S extends z.ZodType = z.ZodType> = Readonly<{
  type: JobType<S>;
  handle(payload: z.output<S>, context: { jobId: string; attempt: number }): Promise<void>;
}>;

export function handleJob<S extends z.ZodType>(
  type: JobType<S>,
  handle: JobHandler<S>['handle'],
): JobHandler<S> {
  return Object.freeze({ type, handle });
}

export type Jobs = {
  /** Enqueues inside the caller's transaction: the job exists if and only if the transaction commits. */
  enqueue<DB, S extends z.ZodType>(
    trx: Transaction<DB>,
    type: JobType<S>,
    payload: z.input<S>,
  ): Promise<void>;
  /** Starts the workers of every registered job (not done by CLI commands that only enqueue). */
  startWorkers(): Promise<void>;
  /** Stops workers, letting running handlers finish; then closes pg-boss's own connections. */
  stop(): Promise<void>;
  boss: PgBoss;
};

export type JobsOptions = {
  engine: 'pglite' | 'postgres';
  pglite: PGlite | undefined;
  connectionString: string | undefined;
  handlers: JobHandler[];
  log: Logger;
  clock?: Clock;
};

export async function createJobs(options: JobsOptions): Promise<Jobs> {
  const { log, handlers } = options;
  const common = {
    useListenNotify: true,
    schedule: false,
    supervise: true,
    // How soon a job whose node died (missed heartbeat) is handed out again.
    superviseIntervalSeconds: 15,
    migrate: true,
    // pg-boss's own clock sits at system time: Haven's clock drives domain deadlines, not job timing.
  } as const;
  const boss =
    options.engine === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(requirePglite(options.pglite)), backend: 'pglite' })
      : new PgBoss({
          ...common,
          connectionString: options.connectionString,
          max: 4,
          application_name: 'haven-jobs',
        });
  boss.on('error', (error) => log.error({ err: error }, 'job system error'));
  boss.on('warning', (warning) => log.warn({ warning }, 'job system warning'));
  await boss.start();

  const byName = new Map<string, JobHandler>();
  // Every queue is created at boot: on PGlite, a send to a queue pg-boss has not cached deadlocks
  // inside a transaction.
  for (const handler of handlers) {
    const definition = handler.type;
    if (byName.has(definition.name)) throw new Error(`job ${definition.name} handled twice`);
    byName.set(definition.name, handler);
    const queue = {
      notify: true,
      retryLimit: definition.retryLimit ?? 8,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 3600,
      expireInSeconds: 300,
      deleteAfterSeconds: 7 * 24 * 3600,
      // Shared PostgreSQL: a node that dies mid-job stops its heartbeat, and another node retries the
      // job within a minute instead of after expireInSeconds.
      ...(options.engine === 'postgres' ? { heartbeatSeconds: 30 } : {}),
    };
    if (!(await boss.getQueue(definition.name))) await boss.createQueue(definition.name, queue);
    else await boss.updateQueue(definition.name, queue);
    // Embedded: the data-dir lock makes this the only process, so a job still active was cut off by
    // a crash. Failing it now retries it in seconds, not after its claim expires.
    if (options.engine === 'pglite') {
      const interrupted = (await boss.findJobs(definition.name, { limit: 10_000 }))
        .filter((job) => job.state === 'active')
        .map((job) => job.id);
      if (interrupted.length > 0) {
        await boss.fail(definition.name, interrupted, { error: 'interrupted: Haven stopped while it ran' });
        log.warn({ queue: definition.name, jobs: interrupted.length }, 'retrying jobs a stop interrupted');
      }
    }
  }

  let workers: string[] = [];
  return {
    boss,
    async enqueue(trx, type, payload) {
      if (!byName.has(type.name)) throw new Error(`job ${type.name} has no handler`);
      const data = type.payload.parse(payload) as object;
      await boss.send(type.name, data, { db: fromKysely(trx as unknown as Kysely<unknown>) });
    },
    async startWorkers() {
      for (const handler of handlers) {
        const definition = handler.type;
        const id = await boss.work(
          definition.name,
          {
            batchSize: 4,
            perJobResults: true,
            burstWhenBatchFull: true,
            pollingIntervalSeconds: 2,
            notifyPollingIntervalSeconds: 2,
          },
          async (batch): Promise<JobResult[]> => {
            const results: JobResult[] = [];
            for (const job of batch) {
              const parsed = definition.payload.safeParse(job.data);
              if (!parsed.success) {
                log.error({ job: job.id, queue: definition.name }, 'job payload does not match its schema');
                results.push({ id: job.id, status: 'deadletter', output: { error: 'invalid payload' } });
                continue;
              }
              try {
                await handler.handle(parsed.data, { jobId: job.id, attempt: job.retryCount });
                results.push({ id: job.id, status: 'completed' });
              } catch (error) {
                log.error({ err: error, job: job.id, queue: definition.name }, 'job failed');
                results.push({ id: job.id, status: 'failed', output: { error: 'handler failed' } });
              }
            }
            return results;
          },
        );
        workers.push(id);
      }
    },
    async stop() {
      workers = [];
      await boss.stop({ graceful: true, close: true, timeout: 10_000 });
    },
  };
}

function requirePglite(pglite: PGlite | undefined): PGlite {
  if (!pglite) throw new Error('PGlite engine without an instance');
  return pglite;
}
