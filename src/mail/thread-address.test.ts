import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.ts';
import { createKeyring, generateMasterKeySecret, masterKeyFrom } from '../platform/crypto.ts';
import {
  caseBounceAddress,
  caseOfMessageId,
  caseReplyAddress,
  caseReplyHeaders,
  caseReturnPath,
  readCaseAddress,
} from './thread-address.ts';

const config = loadConfig({ HAVEN_PUBLIC_URL: 'https://haven.test' });
const deps = { config, keyring: createKeyring(masterKeyFrom(generateMasterKeySecret())) };
const caseId = '0b6f3c1e-2d4a-4f6b-8c9d-0123456789ab';

test('a reply address names its case and verifies only with the tag Haven made', () => {
  const address = caseReplyAddress(deps, 'acme', caseId);
  assert.match(address, /^acme\+0b6f3c1e2d4a4f6b8c9d0123456789ab\.[0-9a-f]{16}@haven\.test$/);
  assert.deepEqual(readCaseAddress(deps, address.toUpperCase()), {
    purpose: 'case',
    slug: 'acme',
    caseId,
    verified: true,
  });
  const forged = address.replace(/\.[0-9a-f]/, (m) => (m === '.0' ? '.1' : '.0'));
  assert.equal(readCaseAddress(deps, forged)?.verified, false);
  const otherKey = { config, keyring: createKeyring(masterKeyFrom(generateMasterKeySecret())) };
  assert.equal(readCaseAddress(otherKey, address)?.verified, false);
  assert.equal(readCaseAddress(deps, address.replace('haven.test', 'evil.test')), undefined);
  assert.equal(readCaseAddress(deps, 'acme@haven.test'), undefined);
});

test('a bounce address names its case; its tag is not a reply tag and a reply tag is not its tag', () => {
  const bounce = caseBounceAddress(deps, 'acme', caseId);
  assert.match(bounce, /^acme\+bounce\.0b6f3c1e2d4a4f6b8c9d0123456789ab\.[0-9a-f]{16}@haven\.test$/);
  assert.deepEqual(readCaseAddress(deps, bounce), {
    purpose: 'bounce',
    slug: 'acme',
    caseId,
    verified: true,
  });
  const reply = caseReplyAddress(deps, 'acme', caseId);
  const replyTagOnBounce = bounce.replace(/\.[0-9a-f]{16}@/, `.${reply.split('.')[1]?.split('@')[0]}@`);
  assert.equal(readCaseAddress(deps, replyTagOnBounce)?.verified, false);
  assert.equal(readCaseAddress(deps, reply.replace('+', '+bounce.'))?.verified, false);
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
  assert.equal(caseReturnPath(deps, 'acme', caseId).envelopeFrom, caseBounceAddress(deps, 'acme', caseId));
  assert.deepEqual(caseReturnPath(off, 'acme', caseId), {});
});
