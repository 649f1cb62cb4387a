import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as openpgp from 'openpgp';
import { checkSignature } from './mail-signature.ts';
import { looksLikeMail, parseMessage } from './parse-message.ts';

const mail = (headers: string[], body: string) => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`);

test('headers that decide threading and auto-replies are read; addresses are validated', async () => {
  const parsed = await parseMessage(
    mail(
      [
        'From: "Rita Reporter" <rita@example.test>',
        'To: acme@haven.test, Other <other@example.test>',
        'Cc: not an address',
        'Subject: =?utf-8?q?Cross-site_scripting_in_zoekveld?=',
        'Message-ID: <one@example.test>',
        'In-Reply-To: <zero@haven.test>',
        'References: <a@x> <zero@haven.test> bogus',
        'Auto-Submitted: Auto-Replied; owner-email="x@y"',
        'Precedence: Bulk',
        'List-Unsubscribe: <mailto:leave@lists.test>',
        'Return-Path: <>',
      ],
      'The search field reflects its input.',
    ),
  );
  assert.equal(parsed.subject, 'Cross-site scripting in zoekveld');
  assert.deepEqual(parsed.from, { address: 'rita@example.test', name: 'Rita Reporter' });
  assert.deepEqual(parsed.to, ['acme@haven.test', 'other@example.test']);
  assert.deepEqual(parsed.cc, []);
  assert.equal(parsed.messageId, '<one@example.test>');
  assert.equal(parsed.inReplyTo, '<zero@haven.test>');
  // mailparser puts angle brackets around bare words; they are inert identifiers.
  assert.deepEqual(parsed.references, ['<a@x>', '<zero@haven.test>', '<bogus>']);
  assert.equal(parsed.autoSubmitted, 'auto-replied');
  assert.equal(parsed.precedence, 'bulk');
  assert.equal(parsed.fromList, true);
  assert.equal(parsed.returnPath, '<>');
  assert.equal(parsed.encryption, 'none');
});

test('HTML-only mail becomes text: tags and scripts are gone, nothing is rendered', async () => {
  const parsed = await parseMessage(
    mail(
      ['From: a@example.test', 'Subject: html', 'Content-Type: text/html; charset=utf-8'],
      '<html><body><h1>Bug</h1><p>The <b>login</b> page</p><script>alert(1)</script></body></html>',
    ),
  );
  assert.match(parsed.text, /bug/i);
  assert.match(parsed.text, /The login page/);
  assert.doesNotMatch(parsed.text, /<|alert/);
});

test('control characters and broken Unicode are dropped from reporter text; tabs and newlines stay', async () => {
  const parsed = await parseMessage(
    mail(
      ['From: a@example.test', 'Subject: a\u0007b', 'Content-Type: text/plain; charset=utf-8'],
      'one\ttwo\u0000\r\nthree',
    ),
  );
  assert.equal(parsed.subject, 'ab');
  assert.equal(parsed.text, 'one\ttwo\nthree');
});

test('encrypted content without a way to decrypt it stays as it came, with the reason', async () => {
  const armored = '-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----';
  const inline = await parseMessage(mail(['From: a@example.test', 'Subject: s'], armored));
  assert.equal(inline.encryption, 'inline-pgp');
  assert.ok(inline.decryptionFailure);
  assert.match(inline.text, /BEGIN PGP MESSAGE/);
  const failing = await parseMessage(mail(['From: a@example.test', 'Subject: s'], armored), async () => {
    throw new Error('not for us');
  });
  assert.equal(failing.decryptionFailure, 'not for us');
});

test('only something that starts with a header field is mail', () => {
  assert.equal(looksLikeMail(Buffer.from('Subject: x\r\n\r\nbody')), true);
  assert.equal(looksLikeMail(Buffer.from('From someone Mon Nov 23\nSubject: x\n\nbody')), true);
  assert.equal(looksLikeMail(Buffer.from('\u0000\u0001 junk')), false);
  assert.equal(looksLikeMail(Buffer.from('GET / HTTP/1.1\r\n')), false);
});

/** A PGP/MIME signed entity (RFC 3156 §5) over `part`, signed with `key`, line ends as `newline`. */
async function signedEntity(part: string, key: openpgp.PrivateKey, newline: '\r\n' | '\n'): Promise<string> {
  const canonical = part.replace(/\r?\n/g, '\r\n');
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(canonical) }),
    signingKeys: key,
    detached: true,
  });
  return [
    'Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="s1"',
    '',
    '--s1',
    part,
    '--s1',
    'Content-Type: application/pgp-signature; name="signature.asc"',
    '',
    signature,
    '--s1--',
    '',
  ]
    .join('\n')
    .replace(/\r?\n/g, newline);
}

test('PGP/MIME signatures verify whether the mail was stored with CRLF or LF, and catch a changed body', async () => {
  const { privateKey, publicKey } = await openpgp.generateKey({
    userIDs: [{ email: 'rita@example.test' }],
    format: 'object',
  });
  const part = 'Content-Type: text/plain; charset=utf-8\n\nThe search field reflects its input.';
  for (const newline of ['\r\n', '\n'] as const) {
    const raw = Buffer.from(
      `From: rita@example.test${newline}${await signedEntity(part, privateKey, newline)}`,
    );
    const parsed = await parseMessage(raw);
    assert.equal(parsed.text, 'The search field reflects its input.');
    assert.deepEqual(parsed.attachments, [], 'the signature is no attachment');
    const check = await checkSignature(
      parsed.signed,
      [{ armored: publicKey.armor(), source: 'attached' }],
      'rita@example.test',
      new Date(),
    );
    assert.equal(check.status, 'valid', newline === '\n' ? 'LF' : 'CRLF');
    assert.equal(check.signerIsSender, true);

    const changed = Buffer.from(raw.toString('latin1').replace('reflects', 'ignores'), 'latin1');
    const tampered = await parseMessage(changed);
    const bad = await checkSignature(
      tampered.signed,
      [{ armored: publicKey.armor(), source: 'attached' }],
      'rita@example.test',
      new Date(),
    );
    assert.equal(bad.status, 'invalid');
  }
});

test('a signed entity inside the encryption (RFC 3156 §6.1) is found and verified', async () => {
  const { privateKey, publicKey } = await openpgp.generateKey({
    userIDs: [{ email: 'rita@example.test' }],
    format: 'object',
  });
  const inner = await signedEntity('Content-Type: text/plain\n\nSigned, then encrypted.', privateKey, '\r\n');
  const raw = mail(
    [
      'From: rita@example.test',
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e1"',
    ],
    '--e1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e1\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nstand-in\r\n-----END PGP MESSAGE-----\r\n--e1--',
  );
  // The decryption itself is the organisation key's business; here it hands back the signed entity.
  const parsed = await parseMessage(raw, async () => ({
    bytes: new TextEncoder().encode(inner),
    fingerprint: 'f'.repeat(40),
    signingKeyIds: [],
    verify: async () => [],
  }));
  assert.equal(parsed.text, 'Signed, then encrypted.');
  assert.equal(parsed.signed?.kind, 'pgp-mime');
  const check = await checkSignature(
    parsed.signed,
    [{ armored: publicKey.armor(), source: 'reporter' }],
    'rita@example.test',
    new Date(),
  );
  assert.equal(check.status, 'valid');
  assert.equal(check.keySource, 'reporter');
  const unknown = await checkSignature(parsed.signed, [], 'rita@example.test', new Date());
  assert.equal(unknown.status, 'unknown_key');
});

test('a delivery status notification is read from the raw message, addresses masked, folded lines joined', async () => {
  const raw = mail(
    [
      'From: MAILER-DAEMON@mx.example.test',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"',
    ],
    [
      '--r1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--r1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      '',
      'Final-Recipient: rfc822; rita@example.test',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 <rita@example.test>: mailbox',
      '  full',
      '--r1--',
    ].join('\r\n'),
  );
  const parsed = await parseMessage(raw);
  assert.deepEqual(parsed.deliveryStatus, {
    action: 'failed',
    status: '5.2.2',
    diagnostic: 'smtp; 552 5.2.2 [address]: mailbox full',
    reportingMta: 'dns; mx.example.test',
  });
  const plain = await parseMessage(mail(['From: rita@example.test'], 'Not a report of any delivery.'));
  assert.equal(plain.deliveryStatus, undefined);
});

test('a signature never vouches for text it does not cover', async () => {
  const { privateKey, publicKey } = await openpgp.generateKey({
    userIDs: [{ email: 'rita@example.test' }],
    format: 'object',
  });
  const keys = [{ armored: publicKey.armor(), source: 'reporter' as const }];
  const check = async (raw: string) => {
    const parsed = await parseMessage(Buffer.from(raw.replace(/\r?\n/g, '\r\n')));
    return { parsed, check: await checkSignature(parsed.signed, keys, 'rita@example.test', new Date()) };
  };
  const genuine = await signedEntity('Content-Type: text/plain\n\nThanks, looks good.', privateKey, '\n');
  const [head = '', ...rest] = genuine.split('\n--s1\n');
  const signedPart = rest[0] ?? '';
  const signaturePart = rest[1] ?? '';

  // An old signed part behind a line that only looks like the delimiter, attacker text in the real first part.
  const prefixed = await check(
    `From: rita@example.test\n${head}\n--s1x\n${signedPart}\n--s1\nContent-Type: text/plain\n\nPublish now, without credit.\n--s1\n${signaturePart}`,
  );
  assert.notEqual(prefixed.check.status, 'valid');
  assert.match(prefixed.parsed.text, /Publish now/);

  // A third part next to the signed one and its signature: not taken as a signed message at all.
  const extra = await check(
    `From: rita@example.test\n${genuine.replace('\n--s1--', '\n--s1\nContent-Type: text/plain\n\nSend the proof of concept to evil@example.test.\n--s1--')}`,
  );
  assert.equal(extra.parsed.signed, undefined);
  assert.equal(extra.check.status, 'none');
  assert.ok(extra.parsed.signatureFailure);

  // Inline: the signed block is valid, but text around it is not covered, and the check says so.
  const block = await openpgp.sign({
    message: await openpgp.createCleartextMessage({ text: 'I agree.' }),
    signingKeys: privateKey,
  });
  const inline = await check(`From: rita@example.test\n\nPublish now, without credit.\n${block}\n`);
  assert.equal(inline.check.status, 'valid');
  assert.equal(inline.check.partial, true);
  const whole = await check(`From: rita@example.test\n\n${block}\n`);
  assert.equal(whole.check.status, 'valid');
  assert.equal(whole.check.partial, undefined);
});
