import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.ts';
import { createKeyring, generateMasterKeySecret, masterKeyFrom } from '../platform/crypto.ts';
import { caseOfMessageId, caseReplyAddress, caseReplyHeaders, readReplyAddress } from './thread-address.ts';

const config = loadConfig({ HAVEN_PUBLIC_URL: 'https://haven.test' });
const deps = { config, keyring: createKeyring(masterKeyFrom(generateMasterKeySecret())) };
const caseId = '0b6f3c1e-2d4a-4f6b-8c9d-0123456789ab';

test('a reply address names its case and verifies only with the tag Haven made', () => {
  const address = caseReplyAddress(deps, 'acme', caseId);
  assert.match(address, /^acme\+0b6f3c1e2d4a4f6b8c9d0123456789ab\.[0-9a-f]{16}@haven\.test$/);
  assert.deepEqual(readReplyAddress(deps, address.toUpperCase()), { slug: 'acme', caseId, verified: true });
  const forged = address.replace(/\.[0-9a-f]/, (m) => (m === '.0' ? '.1' : '.0'));
  assert.equal(readReplyAddress(deps, forged)?.verified, false);
  const otherKey = { config, keyring: createKeyring(masterKeyFrom(generateMasterKeySecret())) };
  assert.equal(readReplyAddress(otherKey, address)?.verified, false);
  assert.equal(readReplyAddress(deps, address.replace('haven.test', 'evil.test')), undefined);
  assert.equal(readReplyAddress(deps, 'acme@haven.test'), undefined);
});

test('Message-IDs Haven made name their case; others do not', () => {
  assert.equal(caseOfMessageId(deps, `<case.${caseId}.abc123@haven.test>`), caseId);
  assert.equal(caseOfMessageId(deps, `<case.${caseId}@haven.test>`), caseId);
  assert.equal(caseOfMessageId(deps, `<case.${caseId}.abc@evil.test>`), undefined);
  assert.equal(caseOfMessageId(deps, '<1234@haven.test>'), undefined);
});

test('mail carries a reply address only while Haven receives mail itself', () => {
  assert.ok(caseReplyHeaders(deps, 'acme', caseId)['Reply-To']);
  const off = {
    ...deps,
    config: loadConfig({ HAVEN_PUBLIC_URL: 'https://haven.test', HAVEN_SMTP_PORT: 'off' }),
  };
  assert.deepEqual(caseReplyHeaders(off, 'acme', caseId), {});
});
