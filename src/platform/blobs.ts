import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { open as openSealed, seal } from './crypto.ts';

/**
 * Where large binary things (attachments, original messages) live, by opaque key. The embedded
 * store keeps files under the data dir; an S3-compatible store implements the same three calls.
 * Stores hold ciphertext only: callers go through `putEncrypted` / `getEncrypted`.
 */
export type BlobStore = {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
};

const KEY_PATTERN = /^[a-z0-9][a-z0-9/_-]{0,200}$/;

function assertKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes('..') || key.includes('//'))
    throw new Error(`invalid blob key ${key}`);
}

/** Makes a rename (or a new entry) in `dir` survive a crash, where the platform can sync a directory. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Files under `dir`; a put is written to a temporary file with a random name, synced, renamed into
 * place, and the directory synced (with any directories the put made), so a put that returned
 * survives a crash.
 */
export function fileBlobStore(dir: string): BlobStore {
  const file = (key: string) => {
    assertKey(key);
    return path.join(dir, ...key.split('/'));
  };
  return {
    async put(key, bytes) {
      const target = file(key);
      const parent = path.dirname(target);
      const made = await fs.mkdir(parent, { recursive: true, mode: 0o700 });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await fs.open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fs.rename(tmp, target);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
      await syncDir(parent);
      // Directories this put made: each one's entry lives in its own parent.
      if (made) {
        const top = path.dirname(path.resolve(made));
        for (let d = path.resolve(parent); d.length > top.length; d = path.dirname(d))
          await syncDir(path.dirname(d));
      }
    },
    async get(key) {
      try {
        return await fs.readFile(file(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      await fs.rm(file(key), { force: true });
    },
  };
}

/** Encrypts with the data key (AES-256-GCM, bound to the blob key) and stores; returns the plaintext's SHA-256. */
export async function putEncrypted(store: BlobStore, key: string, dataKey: Buffer, bytes: Uint8Array) {
  await store.put(key, seal(dataKey, bytes, `blob:${key}`));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

export async function getEncrypted(
  store: BlobStore,
  key: string,
  dataKey: Buffer,
): Promise<Buffer | undefined> {
  const sealed = await store.get(key);
  return sealed ? openSealed(dataKey, sealed, `blob:${key}`) : undefined;
}
