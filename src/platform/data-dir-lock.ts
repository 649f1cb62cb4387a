import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export class DataDirLockedError extends Error {
  readonly pid: number | undefined;
  constructor(dir: string, owner: LockOwner | undefined) {
    const where =
      owner === undefined
        ? ''
        : owner.hostname && owner.hostname !== os.hostname()
          ? ` (pid ${owner.pid} on ${owner.hostname})`
          : ` (pid ${owner.pid})`;
    super(
      `The data directory ${dir} is in use by another Haven process${where}. ` +
        'An embedded database belongs to one process: stop Haven first, or run this against PostgreSQL (DATABASE_URL).',
    );
    this.pid = owner?.pid;
  }
}

/** The file whose kernel lock is the data-dir lock. It is never written to, and never removed. */
export const LOCK_FILE = 'haven.lock.db';
/** Who holds the lock (pid, host), for the refusal message only: it decides nothing. Removed on release. */
export const OWNER_FILE = 'haven.lock';

type LockOwner = { pid: number; hostname: string | undefined };

export type DataDirLock = {
  readonly dir: string;
  /** Releases the lock (idempotent). A process that dies without calling it loses the lock too. */
  release(): void;
};

/**
 * Held locks: the SQLite handle must stay reachable, or collecting it closes it and drops the lock
 * while the caller believes it still holds it.
 */
const held = new Set<DatabaseSync>();

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_NOTADB = 26;

/**
 * Makes the data dir (0700) or tightens an existing one to 0700: PGlite writes its files readable by
 * everyone, and a directory made by someone else (a Docker volume) is often 0755. Returns the mode it
 * had when it had to be changed, and whether the change failed (not ours to change).
 */
export function secureDataDir(
  dir: string,
  options: { create: boolean } = { create: true },
): { tightenedFrom?: number; failed?: NodeJS.ErrnoException } {
  if (options.create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (!fs.existsSync(dir)) return {};
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return {};
  try {
    fs.chmodSync(dir, 0o700);
  } catch (error) {
    return { tightenedFrom: mode, failed: error as NodeJS.ErrnoException };
  }
  return { tightenedFrom: mode };
}

function readOwner(dir: string): LockOwner | undefined {
  try {
    const text = fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8');
    const parsed = JSON.parse(text) as { pid?: unknown; hostname?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined;
    return { pid: parsed.pid, hostname: typeof parsed.hostname === 'string' ? parsed.hostname : undefined };
  } catch {
    return undefined; // not written yet, just removed, or from an older Haven
  }
}

function writeOwner(dir: string): void {
  const file = path.join(dir, OWNER_FILE);
  const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  const owner = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
  fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/**
 * Takes the single-owner lock of an embedded data directory: two processes on one PGlite data dir
 * corrupt it without any error.
 *
 * The lock is a kernel lock (POSIX fcntl, taken through SQLite, which Node ships) on `haven.lock.db`,
 * held for as long as this process has it open. The kernel drops it when the process ends however it
 * ends (SIGKILL, OOM, power loss of a container), so there is no stale lock to judge: no pid checks,
 * which fail when a restarted container has the same pid or another pid namespace shares the volume,
 * and no check-then-remove race. It holds across containers on one host and over NFS with working
 * locks. `haven.lock` beside it only names the holder for the refusal message.
 *
 * Never open `haven.lock.db` in this process by other means: closing any descriptor of a file drops
 * the process's POSIX locks on it.
 */
export function lockDataDir(dir: string): DataDirLock {
  secureDataDir(dir);
  const file = path.join(dir, LOCK_FILE);
  let handle: DatabaseSync;
  try {
    handle = new DatabaseSync(file, { timeout: 0 });
  } catch (error) {
    throw new Error(`could not open the lock file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // Takes the exclusive lock at once (no busy wait) and holds it until the connection closes.
    handle.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    handle.close();
    const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    if (code === SQLITE_BUSY || code === SQLITE_LOCKED) throw new DataDirLockedError(dir, readOwner(dir));
    if (code === SQLITE_NOTADB) {
      throw new Error(
        `${file} is not Haven's lock file (it has content). Make sure no Haven runs on ${dir}, then remove it.`,
        { cause: error },
      );
    }
    throw new Error(`could not lock ${dir}: ${(error as Error).message}`, { cause: error });
  }
  try {
    writeOwner(dir);
  } catch (error) {
    handle.close();
    throw error;
  }
  held.add(handle);
  let released = false;
  return {
    dir,
    release() {
      if (released) return;
      released = true;
      try {
        fs.rmSync(path.join(dir, OWNER_FILE), { force: true });
      } finally {
        held.delete(handle);
        handle.close(); // rolls back the empty transaction and drops the kernel lock
      }
    },
  };
}
