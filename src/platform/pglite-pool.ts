import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

const COMMAND = /^\s*(insert|update|delete|merge|commit|end|rollback|abort|begin|start)\b/i;

type Runner = Pick<Transaction, 'query' | 'exec'>;

/**
 * A pg-compatible pool over one PGlite instance, for Kysely's PostgresDialect.
 *
 * PGlite has a single session. A statement outside a transaction goes straight to PGlite, which
 * serialises it and syncs the file system before answering. A client that issues BEGIN takes
 * PGlite's transaction lock and holds it until it is released, so transactions are serialised and
 * no other caller (pg-boss's polling included, which goes through `pglite.query`) can run a
 * statement inside someone else's transaction. PGlite's `transaction()` opens a BEGIN of its own: it
 * is committed at once, and a fresh one is issued on release, so the wrapper's COMMIT ends an empty
 * transaction and whatever the client left open is rolled back, never committed.
 *
 * PGlite resolves a `transaction()` without syncing the file system (electric-sql/pglite#1065), so
 * every COMMIT is followed by `syncToFs()` before the caller hears of it.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let ended = false;

  const holdTransactionLock = () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const acquired = new Promise<Transaction>((resolve, reject) => {
      pglite
        .transaction(async (tx) => {
          await tx.exec('COMMIT');
          resolve(tx);
          await released;
          await tx.exec('ROLLBACK; BEGIN');
        })
        .catch(reject);
    });
    return acquired.then((tx) => ({ tx, release }));
  };

  return {
    options: {},
    async connect(): Promise<PostgresPoolClient> {
      if (ended) throw new Error('database is closed');
      let held: { tx: Transaction; release(): void } | undefined;
      let done = false;
      const client = {
        async query<R>(sql: string, params: readonly unknown[] = []): Promise<PostgresQueryResult<R>> {
          if (done) throw new Error('client already released');
          const command = (COMMAND.exec(sql)?.[1] ?? 'SELECT').toUpperCase();
          if (!held && (command === 'BEGIN' || command === 'START')) held = await holdTransactionLock();
          const runner: Runner = held?.tx ?? pglite;
          const result =
            params.length > 0 ? await runner.query(sql, params as unknown[]) : await runSimple(runner, sql);
          if (held && (command === 'COMMIT' || command === 'END')) await pglite.syncToFs();
          return {
            command: kyselyCommand(command),
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows as R[],
          };
        },
        release() {
          if (done) return;
          done = true;
          held?.release();
        },
      };
      // Kysely's client type also has a cursor overload, which Haven never uses.
      return client as unknown as PostgresPoolClient;
    },
    async end() {
      ended = true;
    },
  };
}

/** Statements without parameters may hold several commands (migrations); keep the last result with rows. */
async function runSimple(runner: Runner, sql: string) {
  const results = await runner.exec(sql);
  const withRows = [...results].reverse().find((r) => r.fields.length > 0);
  const last = results[results.length - 1];
  return { rows: withRows?.rows ?? [], affectedRows: last?.affectedRows };
}

function kyselyCommand(command: string): PostgresQueryResult<unknown>['command'] {
  switch (command) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'ROLLBACK':
    case 'COMMIT':
      return command;
    case 'END':
      return 'COMMIT';
    case 'ABORT':
      return 'ROLLBACK';
    default:
      return 'SELECT';
  }
}
