import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
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

/** Makes a rename, link or unlink in `dir` survive a crash (where the platform can sync a directory). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Platforms and file systems that cannot open or sync a directory (Windows, some FUSE mounts).
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes a key file only if none is there: the key is written to a temporary file with a random name
 * and synced, then hard-linked to its name, which fails if that name exists. An existing key is never
 * replaced, not even by a process racing this one. Returns false when the file was there.
 */
function createKeyFileExclusive(file: string, secret: Buffer): boolean {
  const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${secret.toString('base64url')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  let created: boolean;
  try {
    try {
      fs.linkSync(tmp, file);
      created = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') created = false;
      else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
        // No hard links here (some FUSE and SMB mounts): an exclusive copy never replaces either.
        try {
          fs.copyFileSync(tmp, file, fs.constants.COPYFILE_EXCL);
          const copy = fs.openSync(file, 'r+');
          try {
            fs.fsyncSync(copy);
          } finally {
            fs.closeSync(copy);
          }
          created = true;
        } catch (copyError) {
          if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
          created = false;
        }
      } else throw error;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(path.dirname(file));
  return created;
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

export type KeyFile = {
  secret: Buffer;
  created: boolean;
  /** The next key of an interrupted rotation, if one is staged. */
  pending?: Buffer;
  /** The mode the key file had when it was readable by others and had to be tightened to 0600. */
  tightenedFrom?: number;
};

/**
 * The master key of an embedded install lives in a 0600 file in the data dir, made on first start.
 * (Back it up apart from the data: a backup holding both protects nothing.) Call it holding the
 * data-dir lock; even without it, an existing key file is never replaced: a process that loses the
 * race to make it reads the winner's key.
 */
export function loadOrCreateKeyFile(dataDir: string): KeyFile {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = keyFilePath(dataDir);
  const next = path.join(dataDir, NEXT_KEY_FILE);
  const pending = fs.existsSync(next) ? readKeyFile(next) : undefined;
  if (!fs.existsSync(file)) {
    const secret = generateMasterKeySecret();
    if (createKeyFileExclusive(file, secret)) return { secret, created: true, pending };
  }
  const mode = fs.statSync(file).mode & 0o777;
  let tightenedFrom: number | undefined;
  if (mode & 0o077) {
    fs.chmodSync(file, 0o600);
    tightenedFrom = mode;
  }
  return { secret: readKeyFile(file), created: false, pending, tightenedFrom };
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
  // The database took the next key: finish the rotation's last step (the one rename over master.key).
  if (pending.id === accepted.id) fs.renameSync(next, keyFilePath(dataDir));
  else fs.rmSync(next);
  fsyncDir(dataDir);
}

export type DataKey = { id: string; key: Buffer };

/**
 * A fresh random data key for one purpose, stored wrapped under the current master key. The wrapping
 * binds the key to its row (id), purpose and master key: copied into another row it does not open.
 * Refused when the keyring's master key has been retired (a node still running with the key from
 * before a rotation): the check holds the master key's row until the insert commits, so a rotation
 * either waits for this key and rewraps it, or retires the key first and this is refused.
 */
export async function createDataKey<DB extends PlatformTables>(
  dbOrTrx: Kysely<DB> | Transaction<DB>,
  keyring: Keyring,
  purpose: string,
): Promise<DataKey> {
  const dataKey = newDataKey();
  await storeDataKey(dbOrTrx, keyring, purpose, dataKey);
  return dataKey;
}

/**
 * A data key that exists in memory only, so that work which needs it (encrypting files) can be
 * done before the transaction that stores it with `storeDataKey` opens.
 */
export function newDataKey(): DataKey {
  return { id: randomUUID(), key: generateMasterKeySecret() };
}

export async function storeDataKey<DB extends PlatformTables>(
  dbOrTrx: Kysely<DB> | Transaction<DB>,
  keyring: Keyring,
  purpose: string,
  dataKey: DataKey,
): Promise<void> {
  const db = dbOrTrx as unknown as Kysely<PlatformTables>; // a database or transaction with these tables
  const master = keyring.current;
  const { id, key } = dataKey;
  const insert = async (trx: Kysely<PlatformTables>) => {
    const current = await trx
      .selectFrom('master_keys')
      .select('id')
      .where('id', '=', master.id)
      .where('check_value', '=', master.checkValue)
      .where('retired_at', 'is', null)
      .forShare()
      .executeTakeFirst();
    if (!current) {
      throw new MasterKeyError(
        `master key ${master.id} is not the current master key of this database (it was rotated): ` +
          'no data key is made under it. Restart this node with the current master key.',
      );
    }
    await trx
      .insertInto('data_keys')
      .values({ id, purpose, master_key_id: master.id, wrapped: wrapKey(master, key, purpose, id) })
      .execute();
  };
  if (db.isTransaction) await insert(db);
  else await db.transaction().execute(insert);
}

export async function openDataKey<DB extends PlatformTables>(
  dbOrTrx: Kysely<DB> | Transaction<DB>,
  keyring: Keyring,
  id: string,
): Promise<Buffer | undefined> {
  const db = dbOrTrx as unknown as Kysely<PlatformTables>;
  const row = await db
    .selectFrom('data_keys')
    .select(['id', 'purpose', 'master_key_id', 'wrapped'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.master_key_id !== keyring.current.id) {
    throw new MasterKeyError(
      `data key ${id} is wrapped under master key ${row.master_key_id}, not the current one`,
    );
  }
  try {
    return unwrapKey(keyring.current, row.wrapped, row.purpose, row.id);
  } catch (error) {
    throw new Error(`data key ${id} does not open: it was altered, or copied from another row`, {
      cause: error,
    });
  }
}

/** Rewraps every data key under `next` and makes it the current master key, in one transaction. */
export async function rotateMasterKey(
  db: Kysely<PlatformTables>,
  current: MasterKey,
  next: MasterKey,
): Promise<{ rewrapped: number }> {
  return db.transaction().execute(async (trx) => {
    // Retire the current key first (only one may be current); this waits for data keys being made
    // under it (they hold its row), so none is left behind wrapped under a retired key.
    const retired = await trx
      .updateTable('master_keys')
      .set({ retired_at: new Date() })
      .where('id', '=', current.id)
      .where('check_value', '=', current.checkValue)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (retired.numUpdatedRows === 0n) {
      throw new MasterKeyError(
        `master key ${current.id} is not the current master key of this database: nothing was rotated`,
      );
    }
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
      const key = unwrapKey(current, row.wrapped, row.purpose, row.id);
      await trx
        .updateTable('data_keys')
        .set({ master_key_id: next.id, wrapped: wrapKey(next, key, row.purpose, row.id) })
        .where('id', '=', row.id)
        .execute();
    }
    return { rewrapped: rows.length };
  });
}

/**
 * Writes the next key beside the current one before the database changes, so a crash loses neither.
 * Start settles any earlier staged key, so one still there is refused rather than replaced.
 */
export function stageNextKeyFile(dataDir: string, secret: Buffer): void {
  const file = path.join(dataDir, NEXT_KEY_FILE);
  if (!createKeyFileExclusive(file, secret)) {
    throw new MasterKeyError(`${file} is already there: start Haven once to settle it, then rotate again`);
  }
}

/** The rotation's last step, after the database committed: the only rename over master.key. */
export function commitNextKeyFile(dataDir: string): void {
  fs.renameSync(path.join(dataDir, NEXT_KEY_FILE), keyFilePath(dataDir));
  fsyncDir(dataDir);
}

export { createKeyring };
