import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileBlobStore, getEncrypted, putEncrypted } from './blobs.ts';
import { generateMasterKeySecret } from './crypto.ts';

test('encrypted blobs: stored as ciphertext, read back with the same key only', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-blobs-'));
  try {
    const store = fileBlobStore(dir);
    const key = generateMasterKeySecret();
    const secret = Buffer.from('proof of concept: ?id=1 OR 1=1');
    const { sha256, size } = await putEncrypted(store, 'cases/abc/attachment-1', key, secret);
    assert.equal(size, secret.length);
    assert.equal(sha256, createHash('sha256').update(secret).digest('hex'));
    const onDisk = fs.readFileSync(path.join(dir, 'cases', 'abc', 'attachment-1'));
    assert.equal(onDisk.includes(secret), false, 'no plaintext on disk');
    assert.equal(fs.statSync(path.join(dir, 'cases', 'abc', 'attachment-1')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(dir, 'cases', 'abc')).mode & 0o777, 0o700);
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'cases', 'abc')),
      ['attachment-1'],
      'no temporary file left',
    );
    assert.deepEqual(await getEncrypted(store, 'cases/abc/attachment-1', key), secret);
    await assert.rejects(getEncrypted(store, 'cases/abc/attachment-1', generateMasterKeySecret()));
    assert.equal(await getEncrypted(store, 'cases/abc/missing', key), undefined);
    await store.put('cases/other/attachment-1', onDisk);
    await assert.rejects(
      getEncrypted(store, 'cases/other/attachment-1', key),
      'a blob moved to another key does not open',
    );
    await store.delete('cases/abc/attachment-1');
    assert.equal(await store.get('cases/abc/attachment-1'), undefined);
    await assert.rejects(store.put('../escape', secret), /invalid blob key/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
