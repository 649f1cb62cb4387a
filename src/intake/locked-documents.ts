import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configure, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';

// Node has no module workers by URL here, and inspecting a central directory needs none.
configure({ useWebWorkers: false });

export type LockKind = 'zip' | 'pdf' | '7z' | 'office';

const SEVEN_ZIP_MAGIC = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The coder id of 7-Zip's AES-256 + SHA-256. */
const SEVEN_ZIP_AES = Buffer.from([0x06, 0xf1, 0x07, 0x01]);
const QPDF_TIMEOUT_MS = 20_000;

/**
 * Which password-protected format `bytes` is, judged from the content only, or undefined when it
 * opens without a password. Damaged files are not locked: they go through the pipeline as sent.
 */
export async function detectLockedDocument(bytes: Buffer): Promise<LockKind | undefined> {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    return (await zipHasEncryptedEntries(bytes)) ? 'zip' : undefined;
  }
  if (bytes.subarray(0, 6).equals(SEVEN_ZIP_MAGIC)) return sevenZipMayBeLocked(bytes) ? '7z' : undefined;
  if (bytes.subarray(0, 8).equals(CFB_MAGIC)) return cfbHasEncryptedPackage(bytes) ? 'office' : undefined;
  // PDF allows junk before the header within the first KiB.
  if (bytes.subarray(0, 1024).includes('%PDF-')) return (await pdfNeedsPassword(bytes)) ? 'pdf' : undefined;
  return undefined;
}

/** Reads only the central directory: `encrypted` covers both AES and ZipCrypto entries. */
export async function zipHasEncryptedEntries(bytes: Buffer): Promise<boolean> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { filenameValidation: 'tolerant' });
  try {
    const entries = await reader.getEntries();
    return entries.some((entry) => entry.encrypted);
  } catch {
    return false;
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/**
 * A plain 7z header lists its coders, so AES shows; an encoded (compressed or encrypted) header
 * cannot be read without decompressing it, so such an archive counts as locked.
 */
function sevenZipMayBeLocked(bytes: Buffer): boolean {
  if (bytes.length < 32) return false;
  const offset = bytes.readBigUInt64LE(12);
  const size = bytes.readBigUInt64LE(20);
  const start = 32n + offset;
  if (size === 0n || start + size > BigInt(bytes.length)) return true;
  const header = bytes.subarray(Number(start), Number(start + size));
  if (header[0] !== 0x01) return true; // 0x17: kEncodedHeader
  return header.includes(SEVEN_ZIP_AES);
}

/**
 * An Office file saved with a password is a CFB container with the streams EncryptionInfo and
 * EncryptedPackage (MS-OFFCRYPTO). Directory entries are 128 bytes, aligned on 128 after the header.
 */
function cfbHasEncryptedPackage(bytes: Buffer): boolean {
  const names = new Set<string>();
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const nameLength = bytes.readUInt16LE(at + 64);
    const objectType = bytes[at + 66];
    if (objectType !== 2 || nameLength < 4 || nameLength > 64 || nameLength % 2 !== 0) continue;
    const name = bytes.subarray(at, at + nameLength - 2).toString('utf16le');
    if (name === 'EncryptionInfo' || name === 'EncryptedPackage') names.add(name);
    if (names.size === 2) return true;
  }
  return false;
}

/**
 * `/Encrypt` in a trailer (or a cross-reference stream's dictionary) marks an encrypted PDF; qpdf,
 * when installed, confirms that a password is needed to open it (an owner password alone is not a lock).
 */
async function pdfNeedsPassword(bytes: Buffer): Promise<boolean> {
  if (!/\/Encrypt[\s<]*(\d+\s+\d+\s+R|<<)/.test(bytes.toString('latin1'))) return false;
  const qpdf = await findQpdf();
  if (!qpdf) return true;
  return withPrivateDir(async (dir) => {
    const input = path.join(dir, 'in.pdf');
    await fs.writeFile(input, bytes, { mode: 0o600 });
    const { code } = await runQpdf(qpdf, ['--requires-password', input]);
    // 0: a password is required; 2: not encrypted; 3: opens with the empty password.
    return code === 0 || code === null;
  });
}

let qpdfLookup: Promise<string | undefined> | undefined;

/** Debian's qpdf on PATH, or undefined; looked up once. */
export function findQpdf(): Promise<string | undefined> {
  qpdfLookup ??= (async () => {
    for (const dir of (process.env.PATH ?? '/usr/bin').split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, 'qpdf');
      try {
        await fs.access(candidate, constants.X_OK);
        return candidate;
      } catch {}
    }
    return undefined;
  })();
  return qpdfLookup;
}

export type QpdfResult = { code: number | null; stderr: string };

/** Runs qpdf without a shell; `stdin` (e.g. a password for `--password-file=-`) never appears in `ps`. */
export function runQpdf(qpdf: string, args: string[], stdin?: string): Promise<QpdfResult> {
  return new Promise((resolve) => {
    const child = execFile(
      qpdf,
      args,
      { timeout: QPDF_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, env: {} },
      (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stderr: String(stderr) });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}

/** A directory only this process can read, removed afterwards whatever happens. */
export async function withPrivateDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'haven-locked-'));
  await fs.chmod(dir, 0o700);
  try {
    return await work(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
