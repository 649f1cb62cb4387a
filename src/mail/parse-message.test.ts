import assert from 'node:assert/strict';
import { test } from 'node:test';
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
