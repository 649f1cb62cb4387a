import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { z } from 'zod';
import { createKeyring, generateMasterKeySecret, masterKeyFrom } from '../src/platform/crypto.ts';
import { createJobs, handleJob, type Jobs, jobType } from '../src/platform/jobs.ts';
import { createDataKey, openDataKey, rotateMasterKey } from '../src/platform/keys.ts';
import { createLogger } from '../src/platform/logger.ts';
import { engines, eventually, startTestHaven, type TestHaven } from './harness.ts';

for (const engine of engines()) {
  describe(`database and jobs on ${engine}`, () => {
    let haven: TestHaven;
    let jobs: Jobs;
    const handled: number[] = [];
    const probe = jobType('test.probe', z.object({ n: z.number().int() }));
    before(async () => {
      haven = await startTestHaven(engine);
      jobs = await createJobs({
        engine: haven.runtime.database.engine,
        pglite: haven.runtime.database.pglite,
        connectionString: haven.runtime.database.connectionString,
        handlers: [
          handleJob(probe, async ({ n }) => {
            handled.push(n);
          }),
        ],
        log: createLogger('silent'),
      });
      await jobs.startWorkers();
    });
    after(async () => {
      await jobs.stop();
      await haven.close();
    });

    test('concurrent transactions are isolated: one rolling back never takes the other with it', async () => {
      const db = haven.deps.db;
      await sql`create table probe (id int primary key)`.execute(db);
      const failing = db.transaction().execute(async (trx) => {
        await trx
          .insertInto('probe' as never)
          .values({ id: 1 } as never)
          .execute();
        await new Promise((r) => setTimeout(r, 30));
        throw new Error('roll back');
      });
      const committing = db.transaction().execute(async (trx) => {
        await trx
          .insertInto('probe' as never)
          .values({ id: 2 } as never)
          .execute();
      });
      await assert.rejects(failing, /roll back/);
      await committing;
      const rows = await sql<{ id: number }>`select id from probe order by id`.execute(db);
      assert.deepEqual(rows.rows, [{ id: 2 }]);
    });

    test('both engines hand back the same types', async () => {
      const row = await sql<{ b: Buffer; n: string; d: string; t: Date; j: unknown; a: string[] }>`
        select '\\x6869'::bytea as b, 9007199254740993::int8 as n, '2026-03-01'::date as d,
               '2026-03-01T10:00:00Z'::timestamptz as t, '{"x":1}'::jsonb as j, array['a','b'] as a`.execute(
        haven.deps.db,
      );
      const r = row.rows[0];
      assert.ok(Buffer.isBuffer(r?.b));
      assert.equal(r?.b.toString(), 'hi');
      assert.equal(r?.n, '9007199254740993');
      assert.equal(r?.d, '2026-03-01');
      assert.ok(r?.t instanceof Date);
      assert.equal(r?.t.toISOString(), '2026-03-01T10:00:00.000Z');
      assert.deepEqual(r?.j, { x: 1 });
      assert.deepEqual(r?.a, ['a', 'b']);
    });

    test('pg_trgm is available', async () => {
      const r = await sql<{ s: number }>`select similarity('vulnerability', 'vulnerabilty') as s`.execute(
        haven.deps.db,
      );
      assert.ok((r.rows[0]?.s ?? 0) > 0.5);
    });

    test('a job enqueued in a committed transaction runs; one in a rolled-back transaction never does', async () => {
      await haven.deps.db.transaction().execute((trx) => jobs.enqueue(trx, probe, { n: 1 }));
      await assert.rejects(
        haven.deps.db.transaction().execute(async (trx) => {
          await jobs.enqueue(trx, probe, { n: 2 });
          throw new Error('changed my mind');
        }),
      );
      await haven.deps.db.transaction().execute((trx) => jobs.enqueue(trx, probe, { n: 3 }));
      await eventually(() => handled.includes(1) && handled.includes(3));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(handled.includes(2), false);
    });

    test('payloads are checked against their schema before they are stored', async () => {
      await assert.rejects(
        haven.deps.db.transaction().execute((trx) => jobs.enqueue(trx, probe, { n: 'x' } as never)),
        /expected number/,
      );
    });

    test('data keys are wrapped under the master key and survive its rotation', async () => {
      const current = haven.deps.keyring.current;
      const dataKey = await createDataKey(haven.deps.db, haven.deps.keyring, 'case');
      const stored = await haven.deps.db
        .selectFrom('data_keys')
        .selectAll()
        .where('id', '=', dataKey.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.master_key_id, current.id);
      assert.ok(!stored.wrapped.includes(dataKey.key), 'never stored in the clear');
      const next = masterKeyFrom(generateMasterKeySecret());
      const { rewrapped } = await rotateMasterKey(haven.deps.db, current, next);
      assert.ok(rewrapped >= 1);
      const reopened = await openDataKey(haven.deps.db, createKeyring(next), dataKey.id);
      assert.deepEqual(reopened, dataKey.key);
      await assert.rejects(
        openDataKey(haven.deps.db, haven.deps.keyring, dataKey.id),
        /wrapped under master key/,
      );
      // put things back for the other tests
      await rotateMasterKey(haven.deps.db, next, current).catch(() => undefined);
    });
  });
}
