import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
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
};

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
    return {
      db,
      engine: 'postgres',
      pglite: undefined,
      connectionString: options.databaseUrl,
      close: () => db.destroy(),
    };
  }

  const lock = options.inMemory ? { release() {} } : lockDataDir(options.dataDir);
  try {
    const pglite = await PGlite.create({
      dataDir: options.inMemory ? undefined : path.join(options.dataDir, 'pgdata'),
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
