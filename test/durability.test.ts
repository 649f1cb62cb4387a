import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/database.ts';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import { openDatabase } from '../src/platform/db.ts';
import { engines, freshPostgresDatabase, tempDir } from './harness.ts';
import { spawnNode, waitForOutput } from './process.ts';

for (const engine of engines()) {
  describe(`durability on ${engine}`, () => {
    test('a row committed just before SIGKILL is there after restart', async () => {
      const dataDir = tempDir();
      const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
      const env = {
        HAVEN_DATA_DIR: dataDir,
        DATABASE_URL: postgres?.url,
        HAVEN_MASTER_KEY: generateMasterKeySecret().toString('base64url'),
      };
      try {
        const child = spawnNode(['test/fixtures/commit-then-hang.ts', 'survivor'], env);
        await waitForOutput(child, /committed survivor/);
        child.child.kill('SIGKILL'); // no chance to flush or close anything
        await child.exited;
        const config = loadConfig(env);
        const handle = await openDatabase<Database>({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
        });
        try {
          const row = await handle.db
            .selectFrom('organisations')
            .select(['slug', 'name'])
            .where('slug', '=', 'survivor')
            .executeTakeFirst();
          assert.deepEqual(row, { slug: 'survivor', name: 'Durable' });
        } finally {
          await handle.close();
        }
      } finally {
        await postgres?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
