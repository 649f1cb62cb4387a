import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTransport } from 'nodemailer';
import { decodeHeader, messageText, splitMessage } from './eml.ts';

async function nodemailerMessage(subject: string, text: string): Promise<Buffer> {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail({
    from: 'haven@haven.test',
    to: 'Zoë <zoe@example.test>',
    subject,
    text,
    headers: { 'X-Haven-Organisation': 'org-1' },
  });
  return (info as unknown as { message: Buffer }).message;
}

test('reads what nodemailer writes: headers, encoded subject, quoted-printable and base64 bodies', async () => {
  const subject = 'Bevestiging van je melding ACME-2026-0001 — ontvangen ✓';
  for (const text of [
    'Hallo Zoë,\n\nJe melding is ontvangen: https://haven.test/r/havenr_abc=def\n',
    `${'Een lange regel zonder einde die quoted-printable zachte regeleinden krijgt. '.repeat(4)}\n`,
    '日本語のテキスト\nمرحبا\n',
  ]) {
    const raw = await nodemailerMessage(subject, text);
    const { headers, body } = splitMessage(raw);
    assert.equal(headers.get('x-haven-organisation'), 'org-1');
    assert.equal(decodeHeader(headers.get('subject') ?? ''), subject);
    assert.equal(decodeHeader(headers.get('to') ?? ''), 'Zoë <zoe@example.test>');
    assert.equal(messageText(headers, body).replace(/\r\n/g, '\n'), text);
  }
});

test('decodes Q and B words, joins adjacent ones, keeps plain text as it is', () => {
  assert.equal(decodeHeader('=?UTF-8?Q?Caf=C3=A9_au_lait?='), 'Café au lait');
  assert.equal(decodeHeader('=?utf-8?B?w6k=?= =?utf-8?B?w6k=?= en meer'), 'éé en meer');
  // A two-byte character split over two words.
  assert.equal(decodeHeader('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?='), 'é');
  assert.equal(decodeHeader('=?ISO-8859-1?Q?=E9t=E9?='), 'été');
  assert.equal(decodeHeader('Plain subject =? not a word'), 'Plain subject =? not a word');
  assert.equal(decodeHeader('=?x-unknown?Q?abc?='), 'abc');
});

test('takes the text/plain part of a multipart message and unfolds headers', () => {
  const raw = Buffer.from(
    [
      'Subject: first',
      ' continued',
      'Subject: second',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      'preamble',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>html</p>',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('plain text ✓').toString('base64'),
      '--b1--',
      'epilogue',
    ].join('\r\n'),
  );
  const { headers, body } = splitMessage(raw);
  assert.equal(headers.get('subject'), 'first continued');
  assert.equal(messageText(headers, body), 'plain text ✓');
});
