import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { TextReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { AppError } from '../platform/errors.ts';
import { type AttachmentRules, inspectAttachment } from './attachment-pipeline.ts';
import { detectLockedDocument, findQpdf } from './locked-documents.ts';

const rules: AttachmentRules = {
  allowed: ['text', 'image', 'pdf', 'archive', 'office', 'other'],
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 10,
  passwordProtectedAccepted: true,
  passwordChannel: 'sms',
};

async function zip(options: { password?: string; zipCrypto?: boolean }): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { ...options, encryptionStrength: 3 });
  await writer.add('findings.txt', new TextReader('The login page accepts any redirect.'));
  return Buffer.from(await writer.close());
}

const MINIMAL_PDF =
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';

/** A CFB container whose directory holds the named streams (only what detection reads). */
function cfb(streams: string[]): Buffer {
  const bytes = Buffer.alloc(512 + 128 * (streams.length + 1));
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes);
  const entries = ['Root Entry', ...streams];
  entries.forEach((name, i) => {
    const at = 512 + 128 * i;
    bytes.write(name, at, 'utf16le');
    bytes.writeUInt16LE((name.length + 1) * 2, at + 64);
    bytes[at + 66] = i === 0 ? 5 : 2;
  });
  return bytes;
}

/** A 7z signature header pointing at a next header that starts with `headerType`. */
function sevenZip(headerType: number, body: number[] = []): Buffer {
  const header = Buffer.from([headerType, ...body]);
  const start = Buffer.alloc(32);
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]).copy(start);
  start.writeBigUInt64LE(0n, 12);
  start.writeBigUInt64LE(BigInt(header.length), 20);
  return Buffer.concat([start, header]);
}

test('ZIP archives with AES or ZipCrypto entries are locked; a plain ZIP is not', async () => {
  assert.equal(await detectLockedDocument(await zip({ password: 'hunter2' })), 'zip');
  assert.equal(await detectLockedDocument(await zip({ password: 'hunter2', zipCrypto: true })), 'zip');
  assert.equal(await detectLockedDocument(await zip({})), undefined);
  // A damaged archive is not a lock: it goes through as sent.
  assert.equal(await detectLockedDocument(Buffer.from('PK\x03\x04 not a zip at all')), undefined);
});

test('an Office file with EncryptionInfo and EncryptedPackage is locked; another CFB is not', async () => {
  assert.equal(await detectLockedDocument(cfb(['EncryptionInfo', 'EncryptedPackage'])), 'office');
  assert.equal(await detectLockedDocument(cfb(['WordDocument', 'SummaryInformation'])), undefined);
  assert.equal(await detectLockedDocument(cfb(['EncryptionInfo'])), undefined);
});

test('7z: an encoded header counts as locked, a plain header only with the AES coder', async () => {
  assert.equal(await detectLockedDocument(sevenZip(0x17, [0x06, 0x00])), '7z');
  assert.equal(await detectLockedDocument(sevenZip(0x01, [0x04, 0x06, 0xf1, 0x07, 0x01, 0x00])), '7z');
  assert.equal(await detectLockedDocument(sevenZip(0x01, [0x04, 0x0b, 0x00])), undefined);
});

test('a PDF without /Encrypt is not locked; text and images never are', async () => {
  assert.equal(await detectLockedDocument(Buffer.from(MINIMAL_PDF)), undefined);
  assert.equal(await detectLockedDocument(Buffer.from('hello')), undefined);
});

test('a PDF encrypted with a user password is locked; one with only an owner password is not', async (t) => {
  const qpdf = await findQpdf();
  if (!qpdf) {
    if (process.env.CI === 'true') throw new Error('qpdf is required in CI');
    t.skip('qpdf is not installed');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-pdf-'));
  try {
    execFileSync(qpdf, ['--empty', path.join(dir, 'in.pdf')]);
    const encrypt = (user: string, out: string) =>
      execFileSync(qpdf, ['--encrypt', user, 'owner', '256', '--', path.join(dir, 'in.pdf'), out]);
    encrypt('user-secret', path.join(dir, 'locked.pdf'));
    encrypt('', path.join(dir, 'restricted.pdf'));
    assert.equal(await detectLockedDocument(fs.readFileSync(path.join(dir, 'locked.pdf'))), 'pdf');
    assert.equal(await detectLockedDocument(fs.readFileSync(path.join(dir, 'restricted.pdf'))), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the pipeline keeps a locked file quarantined, or refuses it when the policy wants none', async () => {
  const locked = { fileName: 'report.zip', bytes: await zip({ password: 'pw' }), proofOfConcept: false };
  const kept = await inspectAttachment(locked, rules, 'enforce');
  assert.equal(kept.locked, true);
  assert.equal(kept.lockKind, 'zip');
  assert.equal(kept.quarantined, true);
  assert.equal(kept.deviation, undefined);

  const strict = { ...rules, passwordProtectedAccepted: false };
  await assert.rejects(
    inspectAttachment(locked, strict, 'enforce'),
    (error) => error instanceof AppError && error.code === 'attachment.locked_not_accepted',
  );
  const recorded = await inspectAttachment(locked, strict, 'record');
  assert.equal(recorded.locked, true);
  assert.equal(recorded.deviation, 'locked_not_accepted');

  const plain = await inspectAttachment({ ...locked, bytes: await zip({}) }, strict, 'enforce');
  assert.equal(plain.locked, false);
  assert.equal(plain.lockKind, undefined);
});
