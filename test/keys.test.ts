import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../src/database.ts';
import {
  createKeyring,
  generateMasterKeySecret,
  type MasterKey,
  masterKeyFrom,
} from '../src/platform/crypto.ts';
import { type DatabaseHandle, openDatabase } from '../src/platform/db.ts';
import {
  createDataKey,
  MasterKeyError,
  openDataKey,
  rotateMasterKey,
  verifyMasterKey,
} from '../src/platform/keys.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { engines, freshPostgresDatabase } from './harness.ts';

for (const engine of engines()) {
  describe(`data keys on ${engine}`, () => {
    let handle: DatabaseHandle<Database>;
    let postgres: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
    let current: MasterKey;

    before(async () => {
      postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
      handle = await openDatabase<Database>({
        databaseUrl: postgres?.url,
        dataDir: 'unused',
        inMemory: engine === 'pglite',
      });
      await migrateToLatest(handle.db);
      current = await verifyMasterKey(handle.db, [generateMasterKeySecret()]);
    });
    after(async () => {
      await handle?.close();
      await postgres?.drop();
    });

    test('a wrapped data key copied into another row of the same purpose does not open', async () => {
      const ring = createKeyring(current);
      const a = await createDataKey(handle.db, ring, 'case');
      const b = await createDataKey(handle.db, ring, 'case');
      const rowA = await handle.db
        .selectFrom('data_keys')
        .select('wrapped')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      // Someone with write access to the database puts a's wrapped key in b's row.
      await handle.db
        .updateTable('data_keys')
        .set({ wrapped: rowA.wrapped })
        .where('id', '=', b.id)
        .execute();
      await assert.rejects(openDataKey(handle.db, ring, b.id), /does not open/);
      assert.deepEqual(await openDataKey(handle.db, ring, a.id), a.key, 'the original still opens');
      assert.equal(await openDataKey(handle.db, ring, crypto.randomUUID()), undefined);
    });

    test('rotation rewraps keys bound to their rows; a retired master key makes no new data keys', async () => {
      const old = current;
      const oldRing = createKeyring(old);
      const before = await createDataKey(handle.db, oldRing, 'attachment');
      const next = masterKeyFrom(generateMasterKeySecret());
      await handle.db.deleteFrom('data_keys').where('id', '!=', before.id).execute(); // the copied row above
      const { rewrapped } = await rotateMasterKey(handle.db, old, next);
      assert.equal(rewrapped, 1);
      current = next;
      const nextRing = createKeyring(next);
      assert.deepEqual(await openDataKey(handle.db, nextRing, before.id), before.key);

      // A node still running with the old key after the rotation.
      await assert.rejects(createDataKey(handle.db, oldRing, 'attachment'), (error) => {
        assert.ok(error instanceof MasterKeyError);
        assert.match(error.message, /not the current master key/);
        return true;
      });
      assert.equal(
        (await handle.db.selectFrom('data_keys').select('id').where('master_key_id', '=', old.id).execute())
          .length,
        0,
        'nothing was wrapped under the retired key',
      );
      // …nor can it rotate again from the key it has.
      await assert.rejects(
        rotateMasterKey(handle.db, old, masterKeyFrom(generateMasterKeySecret())),
        MasterKeyError,
      );
      const fresh = await createDataKey(handle.db, nextRing, 'attachment');
      assert.deepEqual(await openDataKey(handle.db, nextRing, fresh.id), fresh.key);
    });

    test('a data key made while a rotation starts is rewrapped, never left under the retired key', async () => {
      const old = current;
      const next = masterKeyFrom(generateMasterKeySecret());
      let rotation: Promise<{ rewrapped: number }> | undefined;
      const made = await handle.db.transaction().execute(async (trx) => {
        const key = await createDataKey(trx, createKeyring(old), 'case');
        // The rotation starts before this transaction commits: it must wait for it.
        rotation = rotateMasterKey(handle.db, old, next);
        await new Promise((r) => setTimeout(r, 300));
        return key;
      });
      await rotation;
      current = next;
      assert.deepEqual(await openDataKey(handle.db, createKeyring(next), made.id), made.key);
    });
  });
}
