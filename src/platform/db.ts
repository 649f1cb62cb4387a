import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { pglitePool } from './pglite-pool.ts';

export type Engine = 'pglite' | 'postgres';

export type DatabaseHandle<DB> = {
  db: Kysely<DB>;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (pg-boss talks to it directly). */
  pglite: PGlite | undefined;
  connectionString: string | undefined;
  close(): Promise<void>;
};

// Both engines hand back the same JavaScript types: int8 and numeric as strings, dates as
// 'YYYY-MM-DD' strings, bytea as Buffer, timestamptz as Date.
const OID = { bytea: 17, int8: 20, numeric: 1700, date: 1082 } as const;
const asText = (value: string) => value;

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.date) return asText;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export type OpenDatabaseOptions = {
  databaseUrl: string | undefined;
  dataDir: string;
  /** PGlite only: an in-memory database that never touches the data dir (tests). */
  inMemory?: boolean;
  poolSize?: number;
  /**
   * The data-dir lock, when the caller already holds it (the runtime takes it before the key file).
   * The handle takes it over: it is released when the handle closes or opening fails. Without it an
   * embedded database takes the lock itself.
   */
  lock?: DataDirLock;
};

/**
 * PGlite writes its files readable by everyone, whatever the umask: its directory is made (or kept)
 * 0700 so nobody else can reach them.
 */
function privateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (fs.statSync(dir).mode & 0o077) fs.chmodSync(dir, 0o700);
  return dir;
}

export async function openDatabase<DB>(options: OpenDatabaseOptions): Promise<DatabaseHandle<DB>> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
      application_name: 'haven',
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries report their own errors.
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const lock = options.lock;
    return {
      db,
      engine: 'postgres',
      pglite: undefined,
      connectionString: options.databaseUrl,
      async close() {
        try {
          await db.destroy();
        } finally {
          lock?.release();
        }
      },
    };
  }

  const lock = options.lock ?? (options.inMemory ? { release() {} } : lockDataDir(options.dataDir));
  try {
    const pgdata = options.inMemory ? undefined : privateDir(path.join(options.dataDir, 'pgdata'));
    const pglite = await PGlite.create({
      dataDir: pgdata,
      extensions: { pg_trgm },
      relaxedDurability: false,
      parsers: {
        [OID.bytea]: (value: string) => Buffer.from(value.slice(2), 'hex'),
        [OID.int8]: asText,
        [OID.numeric]: asText,
        [OID.date]: asText,
      },
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
    return {
      db,
      engine: 'pglite',
      pglite,
      connectionString: undefined,
      async close() {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
