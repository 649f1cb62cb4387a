import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openCaseKey } from '../src/cases/case-key.ts';
import { type InboundSmtp, startInboundSmtp } from '../src/mail/inbound-smtp.ts';
import { ingestMessage } from '../src/mail/ingest-message.ts';
import { getEncrypted } from '../src/platform/blobs.ts';
import { type Gpg, importKey, makeKey, withGpg } from './gpg.ts';
import {
  type client,
  engines,
  eventually,
  mailText,
  outboxMessages,
  publishPreset,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';
import { freePort } from './resources.ts';
import { fakeResolver, rawMail, smtpPeersMissing, swaks, unique } from './smtp.ts';

const skip = smtpPeersMissing('the mail signature and bounce tests');

const STEPS =
  'The export endpoint at https://app.acme.test/export returns every tenant’s invoices when the tenant parameter is left out.';

type Event = { kind: string; data: Record<string, unknown> };
const signatureOf = (event: Event | undefined) =>
  (event?.data.signature ?? {}) as { status?: string; kind?: string; keySource?: string };

/** `text` with CRLF line ends, as MIME entities travel and are signed (RFC 3156 §5.1). */
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** A PGP/MIME signed mail (RFC 3156 §5): `entity` signed by `signer`; `tamper` changes it after signing. */
function signedMail(
  gpg: Gpg,
  signer: string,
  headers: Record<string, string>,
  entity: string,
  tamper?: (entity: string) => string,
): string {
  const part = crlf(entity);
  const signature = gpg.run(
    ['--local-user', signer, '--detach-sign', '--armor', '--digest-algo', 'SHA256'],
    part,
  );
  assert.equal(signature.status, 0, signature.stderr);
  const sent = tamper ? tamper(part) : part;
  return crlf(
    `${Object.entries({
      ...headers,
      'MIME-Version': '1.0',
      'Content-Type':
        'multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SIG-b1"',
    })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n--SIG-b1\n`,
  )
    .concat(sent)
    .concat(
      crlf(
        `\n--SIG-b1\nContent-Type: application/pgp-signature; name="signature.asc"\nContent-Disposition: attachment; filename="signature.asc"\n\n${signature.stdout}\n--SIG-b1--\n`,
      ),
    );
}

/** A delivery status notification (RFC 3464) as Postfix sends it, for a mail to `recipient`. */
function bounceMail(to: string, recipient: string): string {
  return crlf(`From: Mail Delivery System <MAILER-DAEMON@mx.verified.test>
To: ${to}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-ID: <${unique()}@mx.verified.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DSN-b1"

--DSN-b1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.verified.test. Your message could not be delivered.

--DSN-b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.verified.test
Arrival-Date: Sun,  6 Dec 2026 02:00:00 +0000

Final-Recipient: rfc822; ${recipient}
Original-Recipient: rfc822;${recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected:
    User unknown in virtual mailbox table

--DSN-b1
Content-Type: text/rfc822-headers

From: Acme <haven@haven.test>
To: ${recipient}
Subject: Encrypted message

--DSN-b1--
`);
}

for (const engine of engines()) {
  describe(`signed mail and bounces on ${engine}`, { skip }, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let smtp: InboundSmtp;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
      smtp = await startInboundSmtp(haven.deps, {
        host: '127.0.0.1',
        port: await freePort(),
        maxBytes: 1024 * 1024,
        resolver: fakeResolver,
      });
    });
    after(async () => {
      await smtp?.close();
      await haven?.close();
    });

    const staffCase = async (reference: string) => {
      const response = await owner.get(`/api/v1/orgs/acme/cases/${reference}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as {
        state: string;
        timeline: Event[];
        messages: { author: string; body: string }[];
      };
    };
    const caseCount = async () => (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length;
    const ackOf = (messageId: string) =>
      eventually(() => outboxMessages(haven.outbox).find((m) => m.includes(`In-Reply-To: ${messageId}`)));

    test('signed mail: verified with the key it carries, the key adopted, replies signed by it land on the case', async () => {
      const orgKey = await haven.app.inject({ method: 'GET', url: '/o/acme/pgp-key.asc' });
      await withGpg(async (gpg) => {
        const [orgFingerprint = ''] = importKey(gpg, orgKey.body);
        const rita = makeKey(gpg, 'Rita Reporter <rita@verified.test>');
        const messageId = `<${unique()}@verified.test>`;
        const mail = signedMail(
          gpg,
          rita.fingerprint,
          {
            From: 'Rita Reporter <rita@verified.test>',
            To: 'acme@haven.test',
            Subject: 'Invoices of every tenant in the export',
            'Message-ID': messageId,
          },
          `Content-Type: multipart/mixed; boundary="MIX-b1"

--MIX-b1
Content-Type: text/plain; charset=utf-8

${STEPS}
--MIX-b1
Content-Type: application/pgp-keys; name="rita.asc"
Content-Disposition: attachment; filename="rita.asc"

${rita.armored.trim()}
--MIX-b1--`,
        );
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'rita@verified.test'],
          mail,
        );
        assert.equal(sent.status, 0, sent.output);
        const reference = sent.reference ?? '';
        const view = await staffCase(reference);
        const received = view.timeline.find((e) => e.kind === 'mail.received');
        const { signedAt, ...signature } = (received?.data.signature ?? {}) as Record<string, unknown>;
        assert.ok(Math.abs(Date.parse(String(signedAt)) - Date.now()) < 10 * 60_000, String(signedAt));
        assert.deepEqual(signature, {
          status: 'valid',
          kind: 'pgp-mime',
          keyIds: [rita.fingerprint.slice(-16).toLowerCase()],
          signer: rita.fingerprint.toLowerCase(),
          keySource: 'attached',
          signerIsSender: true,
        });
        assert.equal(received?.data.keyAdopted, true);

        // The acknowledgement goes encrypted to the adopted key, and Rita can read it.
        const ack = await ackOf(messageId);
        assert.match(ack, /multipart\/encrypted/);
        assert.doesNotMatch(ack, /every tenant/);
        const block = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(ack)?.[0] ?? '';
        const opened = gpg.run(['--decrypt'], block);
        assert.equal(opened.status, 0, opened.stderr);
        assert.match(opened.stdout, new RegExp(reference));
        const ackId = /^Message-ID:\s*(<[^>]+>)/im.exec(ack)?.[1] ?? '';
        assert.match(ackId, /^<case\./, ack.slice(0, 600));

        // A reply signed and encrypted by Rita (RFC 3156 §6.2), threaded by In-Reply-To only: no
        // reply address, but her signature vouches for it.
        const inner = crlf(
          'Content-Type: text/plain; charset=utf-8\n\nIt also works for archived tenants.\n',
        );
        const encrypted = gpg.run(
          [
            '--sign',
            '--encrypt',
            '--armor',
            '--trust-model',
            'always',
            '--local-user',
            rita.fingerprint,
            '--recipient',
            orgFingerprint,
          ],
          inner,
        );
        assert.equal(encrypted.status, 0, encrypted.stderr);
        const reply = crlf(`From: Rita Reporter <rita@verified.test>
To: acme@haven.test
Subject: Re: your report
Message-ID: <${unique()}@verified.test>
In-Reply-To: ${ackId}
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC-b1"

--ENC-b1
Content-Type: application/pgp-encrypted

Version: 1

--ENC-b1
Content-Type: application/octet-stream; name="encrypted.asc"

${encrypted.stdout}
--ENC-b1--
`);
        const replied = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'rita@verified.test'],
          reply,
        );
        assert.equal(replied.reference, reference, replied.output);

        // The same reply signed, then altered on the way: flagged, its text not taken as hers.
        const altered = signedMail(
          gpg,
          rita.fingerprint,
          {
            From: 'Rita Reporter <rita@verified.test>',
            To: 'acme@haven.test',
            Subject: 'Re: your report',
            'In-Reply-To': ackId,
          },
          'Content-Type: text/plain; charset=utf-8\n\nPlease send the reward to account NL00BANK0123456789.',
          (entity) => entity.replace('NL00BANK0123456789', 'NL99EVIL9876543210'),
        );
        const forged = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'rita@verified.test'],
          altered,
        );
        assert.equal(forged.reference, reference, forged.output);

        const after = await staffCase(reference);
        assert.deepEqual(
          after.messages.map((m) => [m.author, m.body]),
          [['reporter', 'It also works for archived tenants.']],
        );
        const replyReceived = after.timeline.filter((e) => e.kind === 'mail.received').at(-1);
        assert.equal(replyReceived?.data.reply, true);
        assert.equal(signatureOf(replyReceived).keySource, 'reporter');
        assert.equal(signatureOf(replyReceived).kind, 'encrypted');
        const flagged = after.timeline.find((e) => e.kind === 'mail.reply_unverified');
        assert.equal(signatureOf(flagged).status, 'invalid');
        assert.match(String(flagged?.data.text), /NL99EVIL/);
      });
    });

    test('a signature by a key Haven does not know is reported as such, and no key is adopted', async () => {
      await withGpg(async (gpg) => {
        const other = makeKey(gpg, 'Otto <otto@verified.test>');
        const signed = gpg.run(['--local-user', other.fingerprint, '--clearsign'], `${STEPS}\n`);
        assert.equal(signed.status, 0, signed.stderr);
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'otto@verified.test'],
          rawMail(
            { From: 'otto@verified.test', To: 'acme@haven.test', Subject: 'Tenant export leak' },
            signed.stdout,
          ),
        );
        assert.equal(sent.status, 0, sent.output);
        const view = await staffCase(sent.reference ?? '');
        const received = view.timeline.find((e) => e.kind === 'mail.received');
        assert.equal(signatureOf(received).status, 'unknown_key');
        assert.equal(signatureOf(received).kind, 'inline');
        assert.equal(received?.data.keyAdopted, false);
        const report = (await owner.get(`/api/v1/orgs/acme/cases/${sent.reference}`)).json().report;
        assert.match(report.steps, /every tenant/);
        assert.doesNotMatch(report.steps, /BEGIN PGP SIGNED MESSAGE|BEGIN PGP SIGNATURE/);
      });
    });

    test('the same reply delivered twice at once is kept once, and its kept copy stays readable', async () => {
      const messageId = `<${unique()}@verified.test>`;
      const sent = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', 'cas@verified.test'],
        rawMail(
          { From: 'cas@verified.test', To: 'acme@haven.test', Subject: 'IDOR', 'Message-ID': messageId },
          STEPS,
        ),
      );
      const ack = await ackOf(messageId);
      const replyAddress = /^Reply-To: (\S+)$/m.exec(ack)?.[1] ?? '';
      const reply = Buffer.from(
        rawMail(
          {
            From: 'cas@verified.test',
            To: replyAddress,
            Subject: 'Re: IDOR',
            'Message-ID': `<${unique()}@verified.test>`,
          },
          'It also works for deleted invoices.',
        ),
      );
      const envelope = { recipients: [replyAddress], mailFrom: 'cas@verified.test' };
      const results = await Promise.allSettled([
        ingestMessage(haven.deps, reply, envelope, { kind: 'smtp' }, { resolver: fakeResolver }),
        ingestMessage(haven.deps, reply, envelope, { kind: 'smtp' }, { resolver: fakeResolver }),
      ]);
      assert.ok(results.some((r) => r.status === 'fulfilled'));
      const rows = await haven.deps.db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('outcome', '=', 'reporter_message')
        .execute();
      const kept = rows.filter((r) => r.sha256.equals(createHash('sha256').update(reply).digest()));
      assert.equal(kept.length, 1);
      const caseRow = await haven.deps.db
        .selectFrom('cases')
        .selectAll()
        .where('reference', '=', sent.reference ?? '')
        .executeTakeFirstOrThrow();
      const bytes = await getEncrypted(
        haven.deps.blobs,
        kept[0]?.blob_key ?? '',
        await openCaseKey(haven.deps, caseRow),
      );
      assert.ok(bytes?.equals(reply), 'the kept raw message is there and opens');
      const view = await staffCase(sent.reference ?? '');
      assert.equal(view.messages.filter((m) => m.body === 'It also works for deleted invoices.').length, 1);
    });

    test('bounces come back to the case by VERP, are shown there and change nothing; forged ones are refused', async () => {
      const messageId = `<${unique()}@verified.test>`;
      const sent = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', 'bo@verified.test'],
        rawMail(
          {
            From: 'bo@verified.test',
            To: 'acme@haven.test',
            Subject: 'Open redirect',
            'Message-ID': messageId,
          },
          STEPS,
        ),
      );
      const reference = sent.reference ?? '';
      const ack = await ackOf(messageId);
      const bounceAddress = /^Return-Path: <(acme\+bounce\.[0-9a-f]{32}\.[0-9a-f]{16}@haven\.test)>$/m.exec(
        ack,
      )?.[1];
      assert.ok(bounceAddress, ack.slice(0, 800));
      const before = await caseCount();
      const mailsBefore = outboxMessages(haven.outbox).length;

      const bounced = await swaks(
        smtp.port,
        ['--to', bounceAddress, '--from', '<>'],
        bounceMail(bounceAddress, 'bo@verified.test'),
      );
      assert.equal(bounced.status, 0, bounced.output);
      const view = await staffCase(reference);
      const event = view.timeline.find((e) => e.kind === 'mail.bounced');
      assert.deepEqual(event?.data, {
        action: 'failed',
        status: '5.1.1',
        diagnostic:
          'smtp; 550 5.1.1 [address]: Recipient address rejected: User unknown in virtual mailbox table',
        reportingMta: 'dns; mx.verified.test',
        verified: true,
      });
      assert.equal(view.state, 'received');

      // An out-of-office reply to the envelope sender is no bounce: noted as automatic mail, no alarm.
      const away = await swaks(
        smtp.port,
        ['--to', bounceAddress, '--from', 'bo@verified.test'],
        rawMail(
          {
            From: 'bo@verified.test',
            To: bounceAddress,
            Subject: 'Out of office',
            'Auto-Submitted': 'auto-replied',
          },
          'I am away until Monday.',
        ),
      );
      assert.equal(away.status, 0, away.output);
      const afterAway = await staffCase(reference);
      assert.equal(afterAway.timeline.filter((e) => e.kind === 'mail.bounced').length, 1);
      assert.equal(afterAway.timeline.filter((e) => e.kind === 'mail.automatic').length, 1);

      const forged = bounceAddress.replace(
        /\.([0-9a-f])([0-9a-f]{15})@/,
        (_m, c: string, rest: string) => `.${c === '0' ? '1' : '0'}${rest}@`,
      );
      const refused = await swaks(
        smtp.port,
        ['--to', forged, '--from', '<>'],
        bounceMail(forged, 'bo@verified.test'),
      );
      assert.match(refused.output, /<\*\* +550/);

      // A bounce that names no case (sent to the intake address) opens none either.
      const stray = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', '<>'],
        bounceMail('acme@haven.test', 'someone@verified.test'),
      );
      assert.equal(stray.status, 0, stray.output);

      assert.equal(await caseCount(), before, 'no bounce opened a case');
      // No bounce is answered; the team is told once, of the bounce that came to the case's own address.
      const notice = await eventually(() =>
        outboxMessages(haven.outbox)
          .slice(mailsBefore)
          .find((m) => mailText(m).includes('could not be delivered')),
      );
      assert.match(mailText(notice), new RegExp(`case ${reference} of Acme`));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const since = outboxMessages(haven.outbox).slice(mailsBefore);
      assert.deepEqual(
        since.map((m) => /^To: (.+)$/m.exec(m)?.[1]),
        ['olga@acme.test'],
      );
      const again = await staffCase(reference);
      assert.equal(again.timeline.filter((e) => e.kind === 'mail.bounced').length, 1);
    });
  });
}
