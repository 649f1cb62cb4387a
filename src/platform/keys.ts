import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import {
  createKeyring,
  generateMasterKeySecret,
  type Keyring,
  type MasterKey,
  masterKeyFrom,
  unwrapKey,
  wrapKey,
} from './crypto.ts';
import type { PlatformTables } from './keys.table.ts';

export class MasterKeyError extends Error {}

const KEY_FILE = 'master.key';
const NEXT_KEY_FILE = 'master.key.next';

function readKeyFile(file: string): Buffer {
  const text = fs.readFileSync(file, 'utf8').trim();
  const secret = Buffer.from(text, 'base64url');
  if (secret.length !== 32) throw new MasterKeyError(`${file} does not hold a 32-byte key`);
  return secret;
}

function writeKeyFile(file: string, secret: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${secret.toString('base64url')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

/**
 * The master key of an embedded install lives in a 0600 file in the data dir, made on first start.
 * (Back it up apart from the data: a backup holding both protects nothing.)
 */
export function loadOrCreateKeyFile(dataDir: string): { secret: Buffer; created: boolean; pending?: Buffer } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = keyFilePath(dataDir);
  const next = path.join(dataDir, NEXT_KEY_FILE);
  const pending = fs.existsSync(next) ? readKeyFile(next) : undefined;
  if (fs.existsSync(file)) {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) fs.chmodSync(file, 0o600);
    return { secret: readKeyFile(file), created: false, pending };
  }
  const secret = generateMasterKeySecret();
  writeKeyFile(file, secret);
  return { secret, created: true, pending };
}

/**
 * Checks the key against the check value the database stores (recording it on a fresh database), so a
 * wrong key is refused at start instead of wrapping new data under a key nobody has.
 * With `candidates`, the first key the database accepts wins (an interrupted rotation).
 */
export async function verifyMasterKey(db: Kysely<PlatformTables>, candidates: Buffer[]): Promise<MasterKey> {
  const current = await db
    .selectFrom('master_keys')
    .select(['id', 'check_value'])
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  const keys = candidates.map(masterKeyFrom);
  if (!current) {
    const first = keys[0];
    if (!first) throw new MasterKeyError('no master key');
    await db
      .insertInto('master_keys')
      .values({ id: first.id, check_value: first.checkValue, retired_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return verifyMasterKey(db, [first.secret]);
  }
  const match = keys.find((k) => k.id === current.id && k.checkValue === current.check_value);
  if (!match) {
    const given = keys.map((k) => k.id).join(', ');
    throw new MasterKeyError(
      `The master key does not match this database: the database was set up with key ${current.id}, ` +
        `the key given is ${given}. Start Haven with the key it was set up with (HAVEN_MASTER_KEY or the key file); ` +
        'nothing was changed.',
    );
  }
  return match;
}

/** Settles the key file after an interrupted rotation: keeps whichever key the database accepts. */
export function settleKeyFile(dataDir: string, accepted: MasterKey): void {
  const next = path.join(dataDir, NEXT_KEY_FILE);
  if (!fs.existsSync(next)) return;
  const pending = masterKeyFrom(readKeyFile(next));
  if (pending.id === accepted.id) fs.renameSync(next, keyFilePath(dataDir));
  else fs.rmSync(next);
}

export type DataKey = { id: string; key: Buffer };

/** A fresh random data key for one purpose, stored wrapped under the current master key. */
export async function createDataKey(
  db: Kysely<PlatformTables>,
  keyring: Keyring,
  purpose: string,
): Promise<DataKey> {
  const key = generateMasterKeySecret();
  const row = await db
    .insertInto('data_keys')
    .values({ purpose, master_key_id: keyring.current.id, wrapped: wrapKey(keyring.current, key, purpose) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}

export async function openDataKey(
  db: Kysely<PlatformTables>,
  keyring: Keyring,
  id: string,
): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('data_keys')
    .select(['purpose', 'master_key_id', 'wrapped'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.master_key_id !== keyring.current.id) {
    throw new MasterKeyError(
      `data key ${id} is wrapped under master key ${row.master_key_id}, not the current one`,
    );
  }
  return unwrapKey(keyring.current, row.wrapped, row.purpose);
}

/** Rewraps every data key under `next` and makes it the current master key, in one transaction. */
export async function rotateMasterKey(
  db: Kysely<PlatformTables>,
  current: MasterKey,
  next: MasterKey,
): Promise<{ rewrapped: number }> {
  return db.transaction().execute(async (trx) => {
    // The new key's row first: data keys point at it.
    await trx
      .updateTable('master_keys')
      .set({ retired_at: new Date() })
      .where('id', '=', current.id)
      .execute();
    await trx
      .insertInto('master_keys')
      .values({ id: next.id, check_value: next.checkValue, retired_at: null })
      .onConflict((oc) => oc.column('id').doUpdateSet({ retired_at: null, check_value: next.checkValue }))
      .execute();
    const rows = await trx
      .selectFrom('data_keys')
      .select(['id', 'purpose', 'master_key_id', 'wrapped'])
      .forUpdate()
      .execute();
    for (const row of rows) {
      if (row.master_key_id !== current.id) {
        throw new MasterKeyError(
          `data key ${row.id} is wrapped under ${row.master_key_id}, not ${current.id}`,
        );
      }
      const key = unwrapKey(current, row.wrapped, row.purpose);
      await trx
        .updateTable('data_keys')
        .set({ master_key_id: next.id, wrapped: wrapKey(next, key, row.purpose) })
        .where('id', '=', row.id)
        .execute();
    }
    return { rewrapped: rows.length };
  });
}

/** Writes the next key beside the current one before the database changes, so a crash loses neither. */
export function stageNextKeyFile(dataDir: string, secret: Buffer): void {
  writeKeyFile(path.join(dataDir, NEXT_KEY_FILE), secret);
}

export function commitNextKeyFile(dataDir: string): void {
  fs.renameSync(path.join(dataDir, NEXT_KEY_FILE), keyFilePath(dataDir));
}

export { createKeyring };
