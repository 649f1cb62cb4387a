import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import {
  createKeyring,
  generateMasterKeySecret,
  hashPassword,
  hashToken,
  masterKeyFrom,
  open,
  seal,
  unwrapKey,
  verifyPassword,
  wrapKey,
} from './crypto.ts';

test('argon2id password hashes verify the right password only', async () => {
  const hash = await hashPassword('correct horse battery staple');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword('correct horse battery staple', hash), true);
  assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
  assert.notEqual(await hashPassword('correct horse battery staple'), hash, 'salted');
  assert.equal(await verifyPassword('x', 'not a hash'), false);
});

test('sealed data opens with the same key and context only', () => {
  const key = generateMasterKeySecret();
  const sealed = seal(key, Buffer.from('report text'), 'case:1');
  assert.equal(open(key, sealed, 'case:1').toString(), 'report text');
  assert.throws(() => open(key, sealed, 'case:2'));
  assert.throws(() => open(generateMasterKeySecret(), sealed, 'case:1'));
  const tampered = Buffer.from(sealed);
  tampered[15] = (tampered[15] ?? 0) ^ 1;
  assert.throws(() => open(key, tampered, 'case:1'));
});

test('master keys: stable id and check value, wrapping bound to key, purpose and data-key id', () => {
  const secret = generateMasterKeySecret();
  const a = masterKeyFrom(secret);
  const b = masterKeyFrom(Buffer.from(secret));
  assert.equal(a.id, b.id);
  assert.equal(a.checkValue, b.checkValue);
  assert.match(a.id, /^[0-9a-f]{16}$/);
  assert.notEqual(masterKeyFrom(generateMasterKeySecret()).id, a.id);
  const dataKey = generateMasterKeySecret();
  const id = randomUUID();
  const wrapped = wrapKey(a, dataKey, 'case', id);
  assert.deepEqual(unwrapKey(a, wrapped, 'case', id), dataKey);
  assert.throws(() => unwrapKey(a, wrapped, 'attachment', id));
  assert.throws(() => unwrapKey(a, wrapped, 'case', randomUUID()), 'another row’s id');
  assert.throws(() => unwrapKey(masterKeyFrom(generateMasterKeySecret()), wrapped, 'case', id));
  assert.throws(() => wrapKey(a, dataKey, 'case', ''), /data key id/);
  assert.throws(() => wrapKey(a, dataKey, 'case', 'x:y'), /data key id/);
});

test('purpose keys differ per purpose and per master key', () => {
  const ring = createKeyring(masterKeyFrom(generateMasterKeySecret()));
  assert.notDeepEqual(ring.purposeKey('csrf'), ring.purposeKey('session'));
  assert.deepEqual(ring.purposeKey('csrf'), ring.purposeKey('csrf'));
  assert.equal(ring.purposeKey('csrf').length, 32);
  assert.notDeepEqual(
    createKeyring(masterKeyFrom(generateMasterKeySecret())).purposeKey('csrf'),
    ring.purposeKey('csrf'),
  );
});

test('tokens are stored as their SHA-256', () => {
  assert.equal(
    hashToken('abc').toString('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});
