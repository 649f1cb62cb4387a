import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSecurityTxt, expiresFor, mailtoUri, type SecurityTxtContent } from './build-security-txt.ts';
import { normaliseHostName, requestHost } from './host-names.ts';
import { validateSecurityTxt } from './validate-security-txt.ts';

const NOW = new Date('2026-11-23T15:30:00Z');
const content: SecurityTxtContent = {
  publicUrl: 'https://haven.example',
  slug: 'acme',
  organisationName: 'Acme\nContact: mailto:evil@x.example',
  defaultLanguage: 'en',
  policy: {
    emails: ['security@acme.example', 'a+b@Acme.example'],
    languages: ['nl', 'en', 'de'],
    hallOfFame: true,
  },
  canonical: ['https://haven.example/o/acme/security.txt', 'https://haven.example/.well-known/security.txt'],
  fingerprint: '5a2a2dcd08086a5c396a368071dd33b80c84f69c',
  now: NOW,
};

describe('security.txt content', () => {
  test('says what RFC 9116 asks, in order of preference, and validates', () => {
    const text = buildSecurityTxt(content);
    const lines = text.split('\n').filter((l) => !l.startsWith('#'));
    assert.deepEqual(lines, [
      'Contact: https://haven.example/o/acme/report',
      'Contact: mailto:security@acme.example',
      'Contact: mailto:a%2Bb@acme.example',
      'Expires: 2027-05-22T00:00:00Z',
      'Encryption: https://haven.example/o/acme/pgp-key.asc',
      'Policy: https://haven.example/o/acme',
      'Acknowledgments: https://haven.example/o/acme/hall-of-fame',
      'Preferred-Languages: nl, en, de',
      'Canonical: https://haven.example/o/acme/security.txt',
      'Canonical: https://haven.example/.well-known/security.txt',
      '',
    ]);
    const result = validateSecurityTxt(text, { now: NOW, fetchedFrom: content.canonical[1] });
    assert.deepEqual([...result.errors, ...result.warnings], []);
    assert.match(
      text,
      /^# Security contact of Acme Contact: mailto:evil@x\.example;/,
      'a name cannot add a field',
    );
    assert.match(text, /5A2A2DCD08086A5C396A368071DD33B80C84F69C/);
  });

  test('without a published policy: the form and the key, no Policy or Acknowledgments', () => {
    const text = buildSecurityTxt({ ...content, policy: null });
    assert.doesNotMatch(text, /^(Policy|Acknowledgments):/m);
    assert.match(text, /^Contact: https:\/\/haven\.example\/o\/acme\/report$/m);
    assert.match(text, /^Preferred-Languages: en, nl$/m, "the organisation's language first");
    assert.equal(validateSecurityTxt(text, { now: NOW }).valid, true);
  });

  test('no hall of fame, no Acknowledgments; no languages set, the defaults', () => {
    const text = buildSecurityTxt({
      ...content,
      defaultLanguage: 'nl',
      policy: { emails: [], languages: [], hallOfFame: false },
    });
    assert.doesNotMatch(text, /^Acknowledgments:/m);
    assert.match(text, /^Preferred-Languages: nl, en$/m);
  });

  test('the comment drops bidi and other format characters from the name', () => {
    // U+202E would show "Acme gnp.exe" backwards; U+200B hides text; U+2066…U+2069 isolate runs.
    const text = buildSecurityTxt({
      ...content,
      organisationName: 'Ac\u200Bme \u202Eexe.gnp\u202C \u2066Co\u2069\uFEFF',
    });
    const comment = text.split('\n')[0] ?? '';
    assert.equal(comment, '# Security contact of Acme exe.gnp Co; please report vulnerabilities to us here.');
    assert.doesNotMatch(text, /\p{Cf}/u);
    assert.equal(validateSecurityTxt(text, { now: NOW }).valid, true);
  });

  test('Expires: 180 days after the start of the day, so one day has one file', () => {
    assert.equal(expiresFor(new Date('2026-11-23T00:00:00Z')).toISOString(), '2027-05-22T00:00:00.000Z');
    assert.equal(expiresFor(new Date('2026-11-23T23:59:59Z')).toISOString(), '2027-05-22T00:00:00.000Z');
  });

  test('an http public URL makes a file the validator refuses (RFC 9116 wants https)', () => {
    const text = buildSecurityTxt({ ...content, publicUrl: 'http://localhost:8080', canonical: [] });
    const codes = validateSecurityTxt(text, { now: NOW }).errors.map((e) => e.code);
    assert.ok(codes.length > 0 && codes.every((c) => c === 'security_txt.insecure_uri'));
  });

  test('mailto URIs escape what a URI cannot hold', () => {
    assert.equal(mailtoUri('first.last@example.org'), 'mailto:first.last@example.org');
    assert.equal(mailtoUri('a%b?c@example.org'), 'mailto:a%25b%3Fc@example.org');
  });
});

describe('host names', () => {
  test('are normalised to lower-case ASCII DNS names', () => {
    assert.equal(normaliseHostName(' Security.Example.ORG. '), 'security.example.org');
    assert.equal(normaliseHostName('bücher.example'), 'xn--bcher-kva.example');
    for (const bad of [
      'localhost',
      '192.0.2.1',
      'exa mple.org',
      '-a.example',
      'a-.example',
      'https://x.example',
      'x.example:443',
      '',
      `${'a'.repeat(64)}.example`,
    ]) {
      assert.equal(normaliseHostName(bad), undefined, bad);
    }
  });

  test("a request's host loses its port and case", () => {
    assert.equal(requestHost('Security.Example.org:8443'), 'security.example.org');
    assert.equal(requestHost('example.org.'), 'example.org');
  });
});
