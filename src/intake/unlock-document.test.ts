import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { AppError } from '../platform/errors.ts';
import { UNLOCK_LIMITS, unlockDocument } from './unlock-document.ts';

type Entry = { name: string; bytes: Buffer | string; encrypt?: boolean };

async function zip(entries: Entry[], password = 'pw'): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { encryptionStrength: 3 });
  for (const e of entries) {
    const reader = typeof e.bytes === 'string' ? new TextReader(e.bytes) : new Uint8ArrayReader(e.bytes);
    await writer.add(e.name, reader, e.encrypt === false ? {} : { password });
  }
  return Buffer.from(await writer.close());
}

const code = (expected: string) => (error: unknown) => error instanceof AppError && error.code === expected;

test('the right password unpacks every file; names keep their path for the pipeline to reduce', async () => {
  const archive = await zip([
    { name: 'a/b/report.txt', bytes: 'findings' },
    { name: '../../etc/passwd', bytes: 'root:x:0:0' },
  ]);
  const unlocked = await unlockDocument('zip', 'x.zip', archive, 'pw');
  assert.deepEqual(
    unlocked.files.map((f) => [f.fileName, f.bytes.toString()]),
    [
      ['a/b/report.txt', 'findings'],
      ['../../etc/passwd', 'root:x:0:0'],
    ],
  );
});

test('a wrong password is attachment.wrong_password', async () => {
  const archive = await zip([{ name: 'report.txt', bytes: 'findings' }]);
  await assert.rejects(unlockDocument('zip', 'x.zip', archive, 'nope'), code('attachment.wrong_password'));
});

test('more files than allowed, or a high compression ratio, is refused before anything is unpacked', async () => {
  const bomb = await zip([{ name: 'zeros.bin', bytes: Buffer.alloc(4 * 1024 * 1024) }]);
  await assert.rejects(unlockDocument('zip', 'x.zip', bomb, 'pw'), code('attachment.unsafe_archive'));
  const many = await zip(
    Array.from({ length: UNLOCK_LIMITS.maxEntries + 1 }, (_, i) => ({
      name: `${i}.txt`,
      bytes: 'x',
      encrypt: false,
    })),
  );
  await assert.rejects(unlockDocument('zip', 'x.zip', many, 'pw'), code('attachment.unsafe_archive'));
});

test('an entry whose central directory understates its size is stopped while unpacking', async () => {
  // Random bytes do not compress, so the ratio check passes; the declared size is then made a lie.
  const content = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
  const archive = await zip([{ name: 'data.bin', bytes: content, encrypt: false }]);
  const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.ok(central > 0);
  assert.equal(archive.readUInt32LE(central + 24), content.length);
  archive.writeUInt32LE(1000, central + 24);
  archive.writeUInt32LE(1000, 22); // the local header says the same
  // zip.js notices the mismatch itself (unreadable); the sink's own limit (unsafe_archive) backs it up.
  await assert.rejects(
    unlockDocument('zip', 'x.zip', archive, 'pw'),
    (error) =>
      error instanceof AppError &&
      ['attachment.unreadable', 'attachment.unsafe_archive'].includes(error.code),
  );
});

test('7z and Office documents cannot be unlocked on the server', async () => {
  await assert.rejects(unlockDocument('7z', 'x.7z', Buffer.alloc(0), 'pw'), code('attachment.cannot_unlock'));
  await assert.rejects(
    unlockDocument('office', 'x.docx', Buffer.alloc(0), 'pw'),
    code('attachment.cannot_unlock'),
  );
});
