import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** A plain SELECT outside a transaction changed nothing: no sync needed. */
const READ_ONLY = /^\s*select\b/i;
const COMMAND = /^\s*(insert|update|delete|merge|commit|end|rollback|abort|begin|start)\b/i;

/**
 * A pg-compatible pool over one PGlite instance, for Kysely's PostgresDialect.
 *
 * PGlite has a single session. A checked-out client holds PGlite's transaction lock for as long as
 * it is checked out, so Kysely transactions are serialised and no other caller (pg-boss's polling
 * included, which goes through `pglite.query`) can run a statement inside someone else's transaction.
 * PGlite's `transaction()` opens a BEGIN of its own: it is committed at once and a fresh one is issued
 * on release, so the wrapper's final COMMIT ends an empty transaction.
 *
 * PGlite resolves a `transaction()` without syncing the file system (electric-sql/pglite#1065), so
 * every COMMIT, and every statement that ran outside a transaction, is followed by `syncToFs()`
 * before the caller hears of it.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let ended = false;
  return {
    options: {},
    async connect(): Promise<PostgresPoolClient> {
      if (ended) throw new Error('database is closed');
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
            // Whatever the caller left open is rolled back, never committed by the wrapper.
            await tx.exec('ROLLBACK; BEGIN');
          })
          .catch(reject);
      });
      const tx = await acquired;
      let inTransaction = false;
      let done = false;
      const client = {
        async query<R>(sql: string, params: readonly unknown[] = []): Promise<PostgresQueryResult<R>> {
          if (done) throw new Error('client already released');
          const command = (COMMAND.exec(sql)?.[1] ?? 'SELECT').toUpperCase();
          const result =
            params.length > 0 ? await tx.query(sql, params as unknown[]) : await runSimple(tx, sql);
          if (command === 'BEGIN' || command === 'START') inTransaction = true;
          const ended =
            command === 'COMMIT' || command === 'END' || command === 'ROLLBACK' || command === 'ABORT';
          if (ended) inTransaction = false;
          const wrote = command !== 'ROLLBACK' && command !== 'ABORT' && !READ_ONLY.test(sql);
          if (!inTransaction && wrote) await pglite.syncToFs();
          return {
            command: kyselyCommand(command),
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows as R[],
          };
        },
        release() {
          if (done) return;
          done = true;
          release();
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
async function runSimple(tx: Transaction, sql: string) {
  const results = await tx.exec(sql);
  const withRows = [...results].reverse().find((r) => r.fields.length > 0);
  const last = results[results.length - 1];
  return {
    rows: withRows?.rows ?? [],
    affectedRows: last?.affectedRows,
  };
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
