import fs from 'node:fs/promises';
import path from 'node:path';
import { ERR_INVALID_PASSWORD, type FileEntry, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { AppError } from '../platform/errors.ts';
import { ATTACHMENT_HARD_LIMITS } from './attachment-pipeline.ts';
import { findQpdf, type LockKind, runQpdf, withPrivateDir } from './locked-documents.ts';

/** What one unlock may unpack: an archive beyond these is refused whole, never partly stored. */
export const UNLOCK_LIMITS = {
  maxEntries: 1000,
  maxTotalBytes: 100 * 1024 * 1024,
  maxEntryBytes: ATTACHMENT_HARD_LIMITS.maxBytes,
  maxRatio: 100,
  /** Small files compress far better than 100:1 innocently (a page of repeated characters). */
  ratioFloorBytes: 64 * 1024,
} as const;

export type UnlockedFile = { fileName: string; bytes: Buffer };
export type UnlockedDocument = {
  files: UnlockedFile[];
  /** Entries left out: directories are flattened away, symbolic links are never followed or kept. */
  skipped: { symlinks: number };
};

/**
 * Decrypts a locked ZIP or PDF with `password`, which appears in no error, log or command line.
 * Names are taken as given: the attachment pipeline reduces each to a safe base name. A ZIP inside
 * the ZIP stays a file (depth 1).
 */
export async function unlockDocument(
  kind: LockKind,
  fileName: string,
  bytes: Buffer,
  password: string,
): Promise<UnlockedDocument> {
  if (kind === 'zip') return unlockZip(bytes, password);
  if (kind === 'pdf')
    return { files: [{ fileName, bytes: await unlockPdf(bytes, password) }], skipped: { symlinks: 0 } };
  throw new AppError(
    'attachment.cannot_unlock',
    `A ${kind} document is kept locked: download it and open it locally.`,
  );
}

async function unlockZip(bytes: Buffer, password: string): Promise<UnlockedDocument> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { filenameValidation: 'tolerant' });
  try {
    let entries: Awaited<ReturnType<typeof reader.getEntries>>;
    try {
      entries = await reader.getEntries();
    } catch {
      throw new AppError('attachment.unreadable', 'The archive could not be read.');
    }
    const files = entries.filter((e): e is FileEntry => !e.directory && !e.symlink);
    const symlinks = entries.filter((e) => !e.directory && e.symlink).length;
    checkDeclaredSizes(files);
    const unpacked: UnlockedFile[] = [];
    let total = 0;
    for (const entry of files) {
      const limit = Math.min(
        entry.uncompressedSize,
        UNLOCK_LIMITS.maxEntryBytes,
        UNLOCK_LIMITS.maxTotalBytes - total,
      );
      const content = await readEntry(entry, password, limit);
      total += content.length;
      if (
        content.length > UNLOCK_LIMITS.ratioFloorBytes &&
        content.length / Math.max(entry.compressedSize, 1) > UNLOCK_LIMITS.maxRatio
      ) {
        throw unsafe('an entry is compressed more than the allowed ratio');
      }
      unpacked.push({ fileName: entry.filename, bytes: content });
    }
    return { files: unpacked, skipped: { symlinks } };
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/** The central directory's sizes may lie; they are checked here, and the real bytes while reading. */
function checkDeclaredSizes(files: FileEntry[]): void {
  if (files.length > UNLOCK_LIMITS.maxEntries) throw unsafe(`more than ${UNLOCK_LIMITS.maxEntries} files`);
  let total = 0;
  let compressed = 0;
  for (const entry of files) {
    if (entry.uncompressedSize > UNLOCK_LIMITS.maxEntryBytes)
      throw unsafe(`a file larger than ${UNLOCK_LIMITS.maxEntryBytes} bytes`);
    if (
      entry.uncompressedSize > UNLOCK_LIMITS.ratioFloorBytes &&
      entry.uncompressedSize / Math.max(entry.compressedSize, 1) > UNLOCK_LIMITS.maxRatio
    ) {
      throw unsafe('an entry is compressed more than the allowed ratio');
    }
    total += entry.uncompressedSize;
    compressed += entry.compressedSize;
  }
  if (total > UNLOCK_LIMITS.maxTotalBytes)
    throw unsafe(`more than ${UNLOCK_LIMITS.maxTotalBytes} bytes in all`);
  if (total > UNLOCK_LIMITS.ratioFloorBytes && total / Math.max(compressed, 1) > UNLOCK_LIMITS.maxRatio)
    throw unsafe('the archive is compressed more than the allowed ratio');
}

class LimitExceeded extends Error {}

/** Decompresses into memory and stops the moment more than `limit` bytes come out. */
async function readEntry(entry: FileEntry, password: string, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      size += chunk.length;
      if (size > limit) throw new LimitExceeded();
      chunks.push(chunk);
    },
  });
  try {
    await entry.getData(sink, entry.encrypted ? { password } : {});
  } catch (error) {
    if (error instanceof LimitExceeded || size > limit)
      throw unsafe('a file is larger than it claims or allowed');
    const message = error instanceof Error ? error.message : '';
    // ZipCrypto checks a password with one byte only: a wrong one may pass that and fail the CRC.
    if (message === ERR_INVALID_PASSWORD || (entry.encrypted && /signature|checksum|crc/i.test(message))) {
      throw wrongPassword();
    }
    throw new AppError('attachment.unreadable', 'A file in the archive could not be read.');
  }
  return Buffer.concat(chunks);
}

async function unlockPdf(bytes: Buffer, password: string): Promise<Buffer> {
  const qpdf = await findQpdf();
  if (!qpdf) {
    throw new AppError(
      'attachment.cannot_unlock',
      'qpdf is not installed on the server: download the PDF and open it locally.',
    );
  }
  // qpdf reads the first line of the password file: a line break cannot be part of it.
  if (/[\r\n]/.test(password)) throw wrongPassword();
  return withPrivateDir(async (dir) => {
    const input = path.join(dir, 'in.pdf');
    const output = path.join(dir, 'out.pdf');
    await fs.writeFile(input, bytes, { mode: 0o600 });
    // The password goes through stdin (--password-file=-): never on a command line that ps shows.
    const result = await runQpdf(qpdf, ['--password-file=-', '--decrypt', input, output], `${password}\n`);
    if (/invalid password/i.test(result.stderr)) throw wrongPassword();
    // 3: done with warnings (a damaged but readable file).
    if ((result.code !== 0 && result.code !== 3) || !(await exists(output))) {
      throw new AppError('attachment.unreadable', 'The PDF could not be decrypted.');
    }
    const { size } = await fs.stat(output);
    if (size > UNLOCK_LIMITS.maxEntryBytes)
      throw unsafe(`a file larger than ${UNLOCK_LIMITS.maxEntryBytes} bytes`);
    return fs.readFile(output);
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function wrongPassword(): AppError {
  return new AppError('attachment.wrong_password', 'The password is not correct; nothing was stored.');
}

function unsafe(why: string): AppError {
  return new AppError(
    'attachment.unsafe_archive',
    `Not unpacked: ${why}. Download it and open it in a safe place.`,
    [{ field: 'attachment', code: 'unsafe_archive', message: why }],
  );
}
