import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type InboundSmtp, startInboundSmtp } from '../src/mail/inbound-smtp.ts';
import { encryptTo, importKey, withGpg } from './gpg.ts';
import {
  addOrganisationWithMember,
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

const skip = smtpPeersMissing('the SMTP intake tests');
const MAX_BYTES = 1024 * 1024;

const STEPS =
  'The login form at https://app.acme.test/login reflects the redirect parameter into the page without escaping it, so a crafted link runs script in the victim session.';

for (const engine of engines()) {
  describe(`mail intake over SMTP on ${engine}`, { skip }, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let eva: ReturnType<typeof client>;
    let smtp: InboundSmtp;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
      eva = await addOrganisationWithMember(haven, 'econnect', { email: 'eva@econnect.test', role: 'owner' });
      await publishPreset(eva, 'econnect', 'econnect');
      smtp = await startInboundSmtp(haven.deps, {
        host: '127.0.0.1',
        port: await freePort(),
        maxBytes: MAX_BYTES,
        resolver: fakeResolver,
      });
    });
    after(async () => {
      await smtp?.close();
      await haven?.close();
    });

    const staffCase = async (who: ReturnType<typeof client>, org: string, reference: string) => {
      const response = await who.get(`/api/v1/orgs/${org}/cases/${reference}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const replyTo = (messageId: string) =>
      eventually(() => outboxMessages(haven.outbox).find((m) => m.includes(`In-Reply-To: ${messageId}`)));

    test('a plain mail from a DMARC-verified sender: a case, and a threaded auto-reply that may quote it', async () => {
      const messageId = `<${unique()}@verified.test>`;
      const sent = await swaks(smtp.port, [
        '--to',
        'ACME@haven.test',
        '--from',
        'rita@verified.test',
        '--h-From',
        '"Rita Reporter" <rita@verified.test>',
        '--header',
        'Subject: Reflected XSS in the login redirect',
        '--header',
        `Message-Id: ${messageId}`,
        '--body',
        STEPS,
      ]);
      assert.equal(sent.status, 0, sent.output);
      assert.ok(sent.reference, sent.output);
      const view = await staffCase(owner, 'acme', sent.reference);
      assert.equal(view.channel, 'email');
      assert.equal(view.title, 'Reflected XSS in the login redirect');
      assert.match(view.report.steps, /reflects the redirect parameter/);
      assert.equal(view.reporter.email, 'rita@verified.test');
      assert.equal(view.reporter.name, 'Rita Reporter');
      assert.equal(view.report.policyAcceptance, 'implicit');
      assert.ok(Array.isArray(view.report.deviations));
      const received = view.timeline.find((e: { kind: string }) => e.kind === 'mail.received');
      assert.equal(received?.data.dmarc, 'pass');
      assert.equal(received?.data.acknowledgement, 'quote');

      const ack = await replyTo(messageId);
      assert.match(ack, /^Auto-Submitted: auto-replied/m);
      assert.match(ack, /^Subject: Re: Reflected XSS in the login redirect/m);
      const references = /^References: ([^\n]+(?:\n[ \t][^\n]+)*)/m.exec(ack)?.[1] ?? '';
      assert.ok(references.includes(messageId), references);
      assert.match(references, /<case\.[0-9a-f-]{36}@haven\.test>/);
      assert.match(ack, /^To: rita@verified\.test/m);
      assert.match(mailText(ack), new RegExp(sent.reference));
    });

    test('an unverified sender gets an acknowledgement that quotes none of the mail', async () => {
      const messageId = `<${unique()}@elsewhere.test>`;
      const sent = await swaks(smtp.port, [
        '--to',
        'acme@haven.test',
        '--from',
        'victim@elsewhere.test',
        '--h-From',
        '"Buy cheap pills" <victim@elsewhere.test>',
        '--header',
        'Subject: Visit pills.example for cheap pills',
        '--header',
        `Message-Id: ${messageId}`,
        '--body',
        `Visit pills.example now! ${STEPS}`,
      ]);
      assert.equal(sent.status, 0, sent.output);
      const view = await staffCase(owner, 'acme', sent.reference ?? '');
      assert.equal(view.title, 'Visit pills.example for cheap pills');
      const ack = await replyTo(messageId);
      assert.doesNotMatch(ack, /pills/i);
      assert.match(ack, /^Auto-Submitted: auto-replied/m);
      assert.match(mailText(ack), new RegExp(sent.reference ?? 'none'));
    });

    test('a mail without a subject or text still becomes a case, each repair a deviation', async () => {
      const sent = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', 'terse@verified.test'],
        rawMail(
          { From: 'terse@verified.test', To: 'acme@haven.test', 'Message-ID': `<${unique()}@x>` },
          'hi',
        ),
      );
      assert.equal(sent.status, 0, sent.output);
      const view = await staffCase(owner, 'acme', sent.reference ?? '');
      assert.equal(view.title, '(no subject)');
      const codes = view.report.deviations.map((d: { code: string }) => d.code);
      assert.ok(codes.includes('subject_missing'), codes.join());
      assert.ok(codes.includes('text_missing'), codes.join());
      assert.match(view.report.steps, /^hi\n\n\(/);
    });

    test('multipart with a PNG: the image is re-encoded like any attachment', async () => {
      const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#c33' } })
        .png()
        .toBuffer();
      const file = `${haven.config.dataDir}/screenshot.png`;
      const fs = await import('node:fs');
      fs.writeFileSync(file, png);
      const sent = await swaks(smtp.port, [
        '--to',
        'acme@haven.test',
        '--from',
        'pim@verified.test',
        '--header',
        'Subject: Screenshot of the reflected script',
        '--body',
        STEPS,
        '--attach-type',
        'image/png',
        '--attach-name',
        'screenshot.png',
        '--attach',
        `@${file}`,
      ]);
      assert.equal(sent.status, 0, sent.output);
      const view = await staffCase(owner, 'acme', sent.reference ?? '');
      assert.equal(view.attachments.length, 1, JSON.stringify(view.attachments));
      assert.equal(view.attachments[0].fileName, 'screenshot.png');
      assert.equal(view.attachments[0].reencoded, true);
    });

    test('econnect without a phone number and with a PDF: a case, PDF quarantined, the reply asks for the phone number', async () => {
      const pdf = `${haven.config.dataDir}/report.pdf`;
      const fs = await import('node:fs');
      fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const messageId = `<${unique()}@verified.test>`;
      const sent = await swaks(smtp.port, [
        '--to',
        'econnect@haven.test',
        '--from',
        'eddy@verified.test',
        '--h-From',
        'Eddy <eddy@verified.test>',
        '--header',
        'Subject: Stored XSS in the customer profile',
        '--header',
        `Message-Id: ${messageId}`,
        '--body',
        STEPS,
        '--attach-type',
        'application/pdf',
        '--attach-name',
        'report.pdf',
        '--attach',
        `@${pdf}`,
      ]);
      assert.equal(sent.status, 0, sent.output);
      const view = await staffCase(eva, 'econnect', sent.reference ?? '');
      const deviations = view.report.deviations as { code: string; field?: string; detail?: string }[];
      assert.ok(deviations.some((d) => d.code === 'contact_required' && d.field === 'contact.phone'));
      assert.ok(
        deviations.some((d) => d.code === 'attachment_type_not_allowed' && d.detail === 'report.pdf'),
      );
      assert.equal(view.attachments.length, 1);
      assert.equal(view.attachments[0].quarantined, true);
      assert.equal(view.attachments[0].deviation, 'type_not_allowed');
      const ack = await replyTo(messageId);
      assert.match(mailText(ack), /your phone number|je telefoonnummer/);
    });

    test('PGP/MIME made by GnuPG: the case holds the decrypted text and files', async () => {
      const key = await haven.app.inject({ method: 'GET', url: '/o/acme/pgp-key.asc' });
      assert.equal(key.statusCode, 200);
      const secret = 'The admin API at https://api.acme.test/admin accepts any bearer token that ends in =.';
      await withGpg(async (gpg) => {
        const [fingerprint] = importKey(gpg, key.body);
        assert.ok(fingerprint);
        const inner = [
          'Content-Type: multipart/mixed; boundary="inner"',
          '',
          '--inner',
          'Content-Type: text/plain; charset=utf-8',
          '',
          secret,
          '--inner',
          'Content-Type: text/plain; name="notes.txt"',
          'Content-Disposition: attachment; filename="notes.txt"',
          '',
          'curl -H "Authorization: Bearer x=" https://api.acme.test/admin',
          '--inner--',
          '',
        ].join('\r\n');
        const armored = encryptTo(gpg, fingerprint, inner);
        const messageId = `<${unique()}@verified.test>`;
        const raw = rawMail(
          {
            From: 'Gert <gert@verified.test>',
            To: 'acme@haven.test',
            Subject: '...',
            'Message-ID': messageId,
            'MIME-Version': '1.0',
            'Content-Type': 'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"',
          },
          [
            '--outer',
            'Content-Type: application/pgp-encrypted',
            '',
            'Version: 1',
            '--outer',
            'Content-Type: application/octet-stream; name="encrypted.asc"',
            '',
            armored.trim(),
            '--outer--',
          ].join('\n'),
        );
        const sent = await swaks(smtp.port, ['--to', 'acme@haven.test', '--from', 'gert@verified.test'], raw);
        assert.equal(sent.status, 0, sent.output);
        const view = await staffCase(owner, 'acme', sent.reference ?? '');
        assert.match(view.report.steps, /accepts any bearer token/);
        assert.deepEqual(
          view.attachments.map((a: { fileName: string }) => a.fileName),
          ['notes.txt'],
        );
        const received = view.timeline.find((e: { kind: string }) => e.kind === 'mail.received');
        assert.equal(received?.data.encryption, 'pgp-mime');
        assert.equal(received?.data.decryptedWith?.toUpperCase(), fingerprint);
      });
    });

    test('inline PGP: the armored block is replaced by its decrypted text', async () => {
      const key = await haven.app.inject({ method: 'GET', url: '/o/acme/pgp-key.asc' });
      await withGpg(async (gpg) => {
        const [fingerprint] = importKey(gpg, key.body);
        const armored = encryptTo(
          gpg,
          fingerprint ?? '',
          'Password reset tokens are predictable: they count up by one.',
        );
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'ingrid@verified.test'],
          rawMail(
            { From: 'ingrid@verified.test', To: 'acme@haven.test', Subject: 'Encrypted report' },
            `Hello,\n\n${armored}`,
          ),
        );
        assert.equal(sent.status, 0, sent.output);
        const view = await staffCase(owner, 'acme', sent.reference ?? '');
        assert.match(view.report.steps, /count up by one/);
        assert.doesNotMatch(view.report.steps, /BEGIN PGP MESSAGE/);
      });
    });

    test('the team can look up where reports by e-mail reach it', async () => {
      const answer = await eva.get('/api/v1/orgs/econnect/mail-intake');
      assert.equal(answer.statusCode, 200, answer.body);
      assert.deepEqual(answer.json(), {
        addresses: ['econnect@haven.test'],
        smtp: { port: haven.config.smtp?.port, starttls: false },
      });
      assert.equal((await eva.get('/api/v1/orgs/acme/mail-intake')).statusCode, 404);
    });

    test('unknown recipients are 550, mail over the size limit 552, what is not mail 554', async () => {
      const unknown = await swaks(smtp.port, [
        '--to',
        'nobody@haven.test',
        '--from',
        'rita@verified.test',
        '--body',
        STEPS,
      ]);
      assert.notEqual(unknown.status, 0);
      assert.match(unknown.output, /<\*\* +550/);
      const elsewhere = await swaks(smtp.port, ['--to', 'acme@example.com', '--from', 'rita@verified.test']);
      assert.match(elsewhere.output, /<\*\* +550/);

      const big = rawMail(
        { From: 'big@verified.test', To: 'acme@haven.test', Subject: 'Too big' },
        `${STEPS}\n${'x'.repeat(76)}\n`.repeat(Math.ceil((MAX_BYTES * 1.2) / 200)),
      );
      const tooBig = await swaks(smtp.port, ['--to', 'acme@haven.test', '--from', 'big@verified.test'], big);
      assert.match(tooBig.output, /<\*\* +552/);

      const notMail = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', 'rita@verified.test'],
        '\u0000\u0001\u0002 binary junk without any header\r\n',
      );
      assert.match(notMail.output, /<\*\* +554/);
    });

    test('an out-of-office reply that answers no case opens none', async () => {
      const before = (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length;
      const markers: Record<string, string>[] = [
        { 'Auto-Submitted': 'auto-replied' },
        { 'X-Autoreply': 'yes' },
      ];
      for (const headers of markers) {
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'away@verified.test'],
          rawMail(
            { From: 'away@verified.test', To: 'acme@haven.test', Subject: 'Out of office', ...headers },
            'I am out of the office until Monday.',
          ),
        );
        assert.equal(sent.status, 0, sent.output);
        assert.match(sent.output, /250 Received \(automatic mail, no case\)/);
      }
      assert.equal((await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length, before);
    });

    test('auto-generated and bulk mail, lists and mailer-daemons open a case but get no acknowledgement', async () => {
      const cases: { headers: Record<string, string>; from: string }[] = [
        { headers: { 'Auto-Submitted': 'auto-generated' }, from: 'scanner@verified.test' },
        { headers: { Precedence: 'bulk' }, from: 'news@verified.test' },
        { headers: { 'List-Id': '<security.lists.example>' }, from: 'list@verified.test' },
        { headers: {}, from: 'MAILER-DAEMON@verified.test' },
        { headers: {}, from: 'no-reply@verified.test' },
        { headers: {}, from: 'haven@haven.test' },
      ];
      const ids: string[] = [];
      for (const c of cases) {
        const messageId = `<${unique()}@verified.test>`;
        ids.push(messageId);
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', c.from],
          rawMail(
            {
              From: c.from,
              To: 'acme@haven.test',
              Subject: 'Out of office',
              'Message-ID': messageId,
              ...c.headers,
            },
            `I am out of the office until Monday. ${STEPS}`,
          ),
        );
        assert.equal(sent.status, 0, sent.output);
        const view = await staffCase(owner, 'acme', sent.reference ?? '');
        const received = view.timeline.find((e: { kind: string }) => e.kind === 'mail.received');
        assert.equal(received?.data.acknowledgement, 'none', c.from);
      }
      // A bounce: empty envelope sender.
      const bounce = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', '<>'],
        rawMail(
          { From: 'postmaster@verified.test', To: 'acme@haven.test', Subject: 'Undelivered Mail' },
          STEPS,
        ),
      );
      assert.equal(bounce.status, 0, bounce.output);
      // Acknowledgements of mail sent after these arrive; these never do.
      const marker = `<${unique()}@verified.test>`;
      await swaks(smtp.port, [
        '--to',
        'acme@haven.test',
        '--from',
        'late@verified.test',
        '--header',
        `Message-Id: ${marker}`,
        '--header',
        'Subject: A later report',
        '--body',
        STEPS,
      ]);
      await replyTo(marker);
      const outbox = outboxMessages(haven.outbox).join('\n');
      for (const id of ids) assert.ok(!outbox.includes(id), id);
    });

    test('threading: a reply to the acknowledgement lands on its case; forged, foreign and automatic ones change nothing', async () => {
      const messageId = `<${unique()}@verified.test>`;
      const sent = await swaks(smtp.port, [
        '--to',
        'acme@haven.test',
        '--from',
        'thea@verified.test',
        '--header',
        'Subject: Session fixation on the login page',
        '--header',
        `Message-Id: ${messageId}`,
        '--body',
        STEPS,
      ]);
      assert.equal(sent.status, 0, sent.output);
      const reference = sent.reference ?? '';
      const ack = await replyTo(messageId);
      const replyAddress = /^Reply-To: (acme\+[0-9a-f]{32}\.[0-9a-f]{16}@haven\.test)$/m.exec(ack)?.[1];
      assert.ok(replyAddress, ack);
      const ackId = /^Message-ID: (<[^>]+>)$/im.exec(ack)?.[1] ?? '<none@haven.test>';
      const before = (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length;
      const reply = (from: string, to: string, extra: Record<string, string>, body: string) =>
        swaks(
          smtp.port,
          ['--to', to, '--from', from],
          rawMail(
            {
              From: from,
              To: to,
              Subject: 'Re: Session fixation on the login page',
              'Message-ID': `<${unique()}@verified.test>`,
              'In-Reply-To': ackId,
              ...extra,
            },
            body,
          ),
        );

      const answered = await reply(
        'Thea@verified.test',
        replyAddress,
        {},
        'The session id survives the sign-in, see above.',
      );
      assert.equal(answered.reference, reference, answered.output);
      const forged = replyAddress.replace(/\.([0-9a-f])/, (_m, c: string) => `.${c === '0' ? '1' : '0'}`);
      const forgedReply = await reply(
        'thea@verified.test',
        forged,
        {},
        'Forged: please wire money to this account.',
      );
      assert.equal(forgedReply.reference, reference, forgedReply.output);
      const foreign = await reply(
        'mallory@verified.test',
        replyAddress,
        {},
        'Mallory: close this case as spam.',
      );
      assert.equal(foreign.reference, reference, foreign.output);
      const away = await reply(
        'thea@verified.test',
        replyAddress,
        { 'Auto-Submitted': 'auto-replied' },
        'I am out of the office until Monday.',
      );
      assert.equal(away.reference, reference, away.output);

      const staffReply = await owner.post(`/api/v1/orgs/acme/cases/${reference}/messages`, {
        body: 'Which browser did you use?',
      });
      assert.equal(staffReply.statusCode, 201, staffReply.body);
      const notification = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => m.includes('Which browser did you use?')),
      );
      assert.ok(notification.includes(`Reply-To: ${replyAddress}`), notification);
      const second = await reply('thea@verified.test', replyAddress, {}, 'Firefox 140 on Debian.');
      assert.equal(second.reference, reference, second.output);

      const view = await staffCase(owner, 'acme', reference);
      assert.deepEqual(
        view.messages.map((m: { author: string; body: string }) => [m.author, m.body]),
        [
          ['reporter', 'The session id survives the sign-in, see above.'],
          ['staff', 'Which browser did you use?'],
          ['reporter', 'Firefox 140 on Debian.'],
        ],
      );
      const kinds = view.timeline.map((e: { kind: string }) => e.kind);
      assert.equal(kinds.filter((k: string) => k === 'mail.reply_unverified').length, 2, kinds.join());
      assert.equal(kinds.filter((k: string) => k === 'mail.automatic').length, 1, kinds.join());
      const unverified = view.timeline.filter((e: { kind: string }) => e.kind === 'mail.reply_unverified');
      assert.deepEqual(
        unverified.map((e: { data: { tagVerified: boolean; senderIsReporter: boolean } }) => [
          e.data.tagVerified,
          e.data.senderIsReporter,
        ]),
        [
          [false, true],
          [true, false],
        ],
      );
      assert.equal(view.state, 'received');
      const after = (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length;
      assert.equal(after, before, 'no reply opened a case');
    });

    test('STARTTLS is offered with a certificate configured, and mail goes through it', async () => {
      const fs = await import('node:fs');
      const dir = fs.mkdtempSync(`${haven.config.dataDir}/tls-`);
      const made = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=haven.test', '-days', '1'].concat([
          '-keyout',
          `${dir}/key.pem`,
          '-out',
          `${dir}/cert.pem`,
        ]),
        { encoding: 'utf8' },
      );
      if (made.status !== 0) {
        if (process.env.CI === 'true') throw new Error(`openssl failed: ${made.stderr}`);
        process.stdout.write('# skipping the STARTTLS check: openssl could not make a certificate\n');
        return;
      }
      const tls = await startInboundSmtp(haven.deps, {
        host: '127.0.0.1',
        port: await freePort(),
        maxBytes: MAX_BYTES,
        resolver: fakeResolver,
        tls: { certFile: `${dir}/cert.pem`, keyFile: `${dir}/key.pem` },
      });
      try {
        const sent = await swaks(tls.port, [
          '--tls',
          '--to',
          'acme@haven.test',
          '--from',
          'tina@verified.test',
          '--header',
          'Subject: Sent over TLS',
          '--body',
          STEPS,
        ]);
        assert.equal(sent.status, 0, sent.output);
        assert.match(sent.output, /STARTTLS/);
        assert.match(sent.output, /TLS started/);
        assert.ok(sent.reference, sent.output);
        const plain = await swaks(smtp.port, [
          '--tls',
          '--to',
          'acme@haven.test',
          '--from',
          'tina@verified.test',
        ]);
        assert.notEqual(plain.status, 0, 'no STARTTLS without a certificate');
      } finally {
        await tls.close();
      }
    });

    test('a 20 MB attachment within the size limit is kept (quarantined: not a type the policy takes)', async () => {
      const fs = await import('node:fs');
      const { randomBytes } = await import('node:crypto');
      const file = `${haven.config.dataDir}/dump.bin`;
      fs.writeFileSync(file, randomBytes(20 * 1024 * 1024));
      const large = await startInboundSmtp(haven.deps, {
        host: '127.0.0.1',
        port: await freePort(),
        maxBytes: 30 * 1024 * 1024,
        resolver: fakeResolver,
      });
      try {
        const sent = await swaks(large.port, [
          '--to',
          'acme@haven.test',
          '--from',
          'dora@verified.test',
          '--header',
          'Subject: Database dump found on the open bucket',
          '--body',
          STEPS,
          '--attach-type',
          'application/octet-stream',
          '--attach-name',
          'dump.bin',
          '--attach',
          `@${file}`,
        ]);
        assert.equal(sent.status, 0, sent.output.slice(-2000));
        const view = await staffCase(owner, 'acme', sent.reference ?? '');
        assert.equal(view.attachments.length, 1);
        assert.equal(view.attachments[0].size, 20 * 1024 * 1024);
        assert.equal(view.attachments[0].quarantined, true);
      } finally {
        await large.close();
        fs.rmSync(file, { force: true });
      }
    });

    test('the same raw message delivered twice makes one case', async () => {
      const raw = rawMail(
        {
          From: 'twice@verified.test',
          To: 'acme@haven.test',
          Subject: 'Delivered twice by a retrying server',
          'Message-ID': `<${unique()}@verified.test>`,
        },
        STEPS,
      );
      const first = await swaks(smtp.port, ['--to', 'acme@haven.test', '--from', 'twice@verified.test'], raw);
      const second = await swaks(
        smtp.port,
        ['--to', 'acme@haven.test', '--from', 'twice@verified.test'],
        raw,
      );
      assert.equal(first.status, 0, first.output);
      assert.equal(second.status, 0, second.output);
      assert.ok(first.reference);
      assert.match(second.output, /already taken in/);
      const list = await owner.get('/api/v1/orgs/acme/cases?limit=200');
      const matching = list
        .json()
        .cases.filter((c: { title: string }) => c.title === 'Delivered twice by a retrying server');
      assert.equal(matching.length, 1);
    });

    test('torture: broken mail makes a case or a clear rejection, never a crash', async () => {
      let nested = `${STEPS}\r\n`;
      for (let i = 0; i < 100; i++) {
        nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--\r\n`;
      }
      const torture: Record<string, string> = {
        'missing boundary': rawMail(
          { From: 't1@verified.test', Subject: 'No boundary', 'Content-Type': 'multipart/mixed' },
          `--nothing\r\n\r\n${STEPS}`,
        ),
        'broken headers': `From t2@verified.test\r\nSubject:\r\n : no name\r\nX-Bad\r\nContent-Type: text/plain; charset=\r\n\r\n${STEPS}\r\n`,
        '100-deep nesting': `From: t3@verified.test\r\nSubject: Deep\r\nMIME-Version: 1.0\r\n${nested}`,
        'invalid charset': rawMail(
          {
            From: 't4@verified.test',
            Subject: '=?x-klingon?B?AAAA?=',
            'Content-Type': 'text/plain; charset=x-klingon',
          },
          `${STEPS} \u00ff\u00fe`,
        ),
        'huge header': rawMail(
          { From: 't5@verified.test', Subject: 'Huge header', 'X-Huge': 'a'.repeat(200_000) },
          STEPS,
        ),
      };
      for (const [name, raw] of Object.entries(torture)) {
        const sent = await swaks(
          smtp.port,
          ['--to', 'acme@haven.test', '--from', 'torture@verified.test'],
          raw,
        );
        assert.match(sent.output, /<(-|\*\*) +(250|5\d\d) /, `${name}: ${sent.output.slice(-500)}`);
        if (sent.reference) await staffCase(owner, 'acme', sent.reference);
      }
      // Still taking mail.
      const after = await swaks(smtp.port, [
        '--to',
        'acme@haven.test',
        '--from',
        'rita@verified.test',
        '--body',
        STEPS,
      ]);
      assert.equal(after.status, 0, after.output);
    });
  });
}
