import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  SECURITY_TXT_CODES,
  type SecurityTxtCode,
  type SecurityTxtValidation,
  validateSecurityTxt,
} from './validate-security-txt.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const GOOD = [
  '# Our security contact',
  'Contact: https://haven.example/o/acme/report',
  'Contact: mailto:security@acme.example',
  'Contact: tel:+31-20-555-0100',
  'Expires: 2027-05-22T00:00:00Z',
  'Encryption: https://haven.example/o/acme/pgp-key.asc',
  'Acknowledgments: https://haven.example/o/acme/hall-of-fame',
  'Policy: https://haven.example/o/acme',
  'Hiring: https://acme.example/jobs',
  'Preferred-Languages: nl, en',
  'Canonical: https://haven.example/o/acme/security.txt',
  '',
].join('\n');

const SIGNATURE = [
  '-----BEGIN PGP SIGNATURE-----',
  '',
  'wrsEARYKAG0FgmsESI8JEHHdM7gMhPacRRQAAAAAABwAIHNhbHRAbm90YXRp',
  'b25zLm9wZW5wZ3Bqcy5vcmeiIgmmM1ic0hy61l+XQVXWAX0NM2RrjoMwl8n4',
  '=cJv2',
  '-----END PGP SIGNATURE-----',
];
const sign = (body: string, hash = 'Hash: SHA512') =>
  ['-----BEGIN PGP SIGNED MESSAGE-----', hash, '', body.replace(/\n$/, ''), ...SIGNATURE, ''].join('\n');

const check = (text: string | Uint8Array, options = {}) =>
  validateSecurityTxt(text, { now: NOW, ...options });
const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

function assertOnly(result: SecurityTxtValidation, code: SecurityTxtCode, line?: number) {
  assert.deepEqual(codes(result.errors), [code], JSON.stringify(result.errors));
  assert.equal(result.valid, false);
  if (line !== undefined) assert.equal(result.errors[0]?.line, line);
}

describe('security.txt validator (RFC 9116)', () => {
  test('a complete file is valid and its fields are read', () => {
    const result = check(GOOD);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.valid, true);
    assert.equal(result.signed, false);
    assert.deepEqual(result.fields.contact, [
      'https://haven.example/o/acme/report',
      'mailto:security@acme.example',
      'tel:+31-20-555-0100',
    ]);
    assert.equal(result.fields.expires, '2027-05-22T00:00:00Z');
    assert.deepEqual(result.fields.preferredLanguages, ['nl', 'en']);
    assert.deepEqual(result.fields.canonical, ['https://haven.example/o/acme/security.txt']);
    assert.deepEqual(result.fields.hiring, ['https://acme.example/jobs']);
  });

  test('field names are case-insensitive; CRLF, trailing whitespace and comments are fine', () => {
    const text = '#c\r\ncontact: mailto:a@b.example  \r\nEXPIRES: 2027-01-01T10:00:00+01:00\r\n\r\n';
    const result = check(text);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.fields.contact, ['mailto:a@b.example']);
  });

  test('the signed form is unwrapped: dash-escapes removed, line numbers kept', () => {
    const result = check(sign(`- # dash-escaped comment\n${GOOD}`));
    assert.deepEqual(result.errors, []);
    assert.equal(result.signed, true);
    assert.equal(result.fields.contact.length, 3);
    const bad = check(
      sign('Contact: mailto:a@b.example\nExpires: 2027-01-01T00:00:00Z\nContact: http://x.example/'),
    );
    assert.deepEqual(codes(bad.errors), ['security_txt.insecure_uri']);
    assert.equal(bad.errors[0]?.line, 6, 'line numbers count the framing');
  });

  test('every code has a test of its own below', () => {
    const source = fs.readFileSync(new URL(import.meta.url), 'utf8');
    const untested = SECURITY_TXT_CODES.filter((code) => !source.includes(`test('${code}`));
    assert.deepEqual(untested, []);
  });

  test('security_txt.not_utf8', () => {
    const bytes = Buffer.concat([
      Buffer.from('Contact: mailto:a@b.example\n# caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    assertOnly(check(bytes), 'security_txt.not_utf8', 0);
    assert.deepEqual(check(Buffer.from(GOOD, 'utf8')).errors, [], 'UTF-8 bytes are fine');
  });

  test('security_txt.byte_order_mark (warning)', () => {
    const result = check(`\uFEFF${GOOD}`);
    assert.equal(result.valid, true);
    assert.deepEqual(codes(result.warnings), ['security_txt.byte_order_mark']);
  });

  test('security_txt.content_type', () => {
    assert.deepEqual(check(GOOD, { contentType: 'text/plain; charset=utf-8' }).errors, []);
    assert.deepEqual(check(GOOD, { contentType: 'text/plain;charset="UTF-8"' }).errors, []);
    assertOnly(check(GOOD, { contentType: 'text/plain' }), 'security_txt.content_type');
    assertOnly(check(GOOD, { contentType: 'text/html; charset=utf-8' }), 'security_txt.content_type');
  });

  test('security_txt.bad_signature_framing', () => {
    const cases = [
      `junk\n${sign(GOOD)}`, // something before the BEGIN line
      sign(GOOD).replace('Hash: SHA512', 'Version: 1'), // only Hash: headers
      sign(GOOD).replace('Hash: SHA512\n\n', 'Hash: SHA512\n'), // no empty line after headers
      sign(`-not escaped\n${GOOD}`), // a line starting with "-" not dash-escaped
      sign(GOOD).replace('-----END PGP SIGNATURE-----\n', ''), // no END line
      sign(GOOD).replace(/-----BEGIN PGP SIGNATURE-----[\s\S]*$/, ''), // no signature at all
      `${sign(GOOD)}Contact: mailto:evil@x.example\n`, // something after END
      sign(GOOD).replace('=cJv2', '!!!'), // not base64
    ];
    for (const text of cases) assertOnly(check(text), 'security_txt.bad_signature_framing');
  });

  test('security_txt.invalid_line', () => {
    assertOnly(check(`${GOOD}just some words\n`), 'security_txt.invalid_line', 12);
    assertOnly(check(`${GOOD}Policy:https://x.example/\n`), 'security_txt.invalid_line', 12);
    assertOnly(check(`${GOOD}: no name\n`), 'security_txt.invalid_line');
    assertOnly(check(`${GOOD}# bell \u0007\n`), 'security_txt.invalid_line');
  });

  test('security_txt.missing_final_newline (warning)', () => {
    const result = check(GOOD.trimEnd());
    assert.equal(result.valid, true);
    assert.deepEqual(codes(result.warnings), ['security_txt.missing_final_newline']);
  });

  test('security_txt.unknown_field (warning)', () => {
    const result = check(`${GOOD}X-Favourite-Colour: blue\n`);
    assert.equal(result.valid, true);
    assert.deepEqual(codes(result.warnings), ['security_txt.unknown_field']);
    assert.deepEqual(result.fields.other, [{ name: 'X-Favourite-Colour', value: 'blue' }]);
  });

  test('security_txt.contact_missing', () => {
    assertOnly(check('Expires: 2027-01-01T00:00:00Z\n'), 'security_txt.contact_missing', 0);
  });

  test('security_txt.expires_missing', () => {
    assertOnly(check('Contact: mailto:a@b.example\n'), 'security_txt.expires_missing', 0);
  });

  test('security_txt.expires_multiple', () => {
    assertOnly(check(`${GOOD}Expires: 2027-01-01T00:00:00Z\n`), 'security_txt.expires_multiple', 12);
  });

  test('security_txt.expires_invalid', () => {
    for (const value of [
      '2027-01-01',
      '2027-02-30T00:00:00Z',
      'tomorrow',
      '2027-01-01 00:00:00Z',
      '2027-01-01T00:00:00',
    ]) {
      assertOnly(
        check(`Contact: mailto:a@b.example\nExpires: ${value}\n`),
        'security_txt.expires_invalid',
        2,
      );
    }
  });

  test('security_txt.expires_in_past', () => {
    assertOnly(
      check('Contact: mailto:a@b.example\nExpires: 2026-11-23T11:59:59Z\n'),
      'security_txt.expires_in_past',
      2,
    );
  });

  test('security_txt.expires_too_far (warning)', () => {
    const result = check('Contact: mailto:a@b.example\nExpires: 2027-11-24T00:00:00Z\n');
    assert.equal(result.valid, true);
    assert.deepEqual(codes(result.warnings), ['security_txt.expires_too_far']);
  });

  test('security_txt.preferred_languages_multiple', () => {
    assertOnly(check(`${GOOD}Preferred-Languages: de\n`), 'security_txt.preferred_languages_multiple', 12);
  });

  test('security_txt.preferred_languages_invalid', () => {
    assertOnly(check(`${GOOD.replace('nl, en', 'nl; en')}`), 'security_txt.preferred_languages_invalid', 10);
    assert.deepEqual(check(GOOD.replace('nl, en', 'en-GB,nl ,  zh-Hant-TW')).errors, []);
  });

  test('security_txt.invalid_uri', () => {
    for (const value of [
      'security@acme.example',
      'https://acme.example/a b',
      'mailto:nobody',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    ]) {
      assertOnly(check(`${GOOD}Encryption: ${value}\n`), 'security_txt.invalid_uri', 12);
    }
  });

  test('security_txt.insecure_uri', () => {
    assertOnly(check(GOOD.replace('Policy: https:', 'Policy: http:')), 'security_txt.insecure_uri', 8);
    assertOnly(check(GOOD.replace('Contact: https:', 'Contact: HTTP:')), 'security_txt.insecure_uri', 2);
  });

  test('security_txt.canonical_mismatch', () => {
    const fetchedFrom = 'https://haven.example/o/acme/security.txt';
    assert.deepEqual(check(GOOD, { fetchedFrom }).errors, []);
    assert.deepEqual(check(GOOD, { fetchedFrom: 'https://HAVEN.example/o/acme/security.txt' }).errors, []);
    assertOnly(
      check(GOOD, { fetchedFrom: 'https://evil.example/.well-known/security.txt' }),
      'security_txt.canonical_mismatch',
    );
  });

  test('security_txt.canonical_recommended (warning, signed files)', () => {
    const result = check(sign(GOOD.replace(/^Canonical:.*\n/m, '')));
    assert.equal(result.valid, true);
    assert.deepEqual(codes(result.warnings), ['security_txt.canonical_recommended']);
  });
});
