import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dkimVerify } from 'mailauth';
import * as openpgp from 'openpgp';
import { SMTPServer } from 'smtp-server';
import { type Gpg, gpgMissing, importKey, makeKey, withGpg } from './gpg.ts';
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
  tempDir,
} from './harness.ts';
import { haven as runHaven } from './process.ts';
import { freePort } from './resources.ts';

const STEPS =
  'The login page does not check the redirect parameter. An attacker can make a link that sends someone to their own site after signing in. I tested this with my own account only and looked at no data of others. Allowing only internal addresses fixes it.';

function report(reporter: Record<string, unknown>, title = 'Open redirect on the login page') {
  return {
    title,
    assets: ['https://app.acme.test/login?redirect=https://evil.test'],
    steps: STEPS,
    impact: 'Phishing with a trusted address.',
    reporter: { identity: 'named', name: 'Rita Reporter', ...reporter },
    language: 'nl',
    acceptedPolicyVersion: 1,
  };
}

/** The armored OpenPGP message of a PGP/MIME mail's second part. */
function armoredPart(raw: string): string {
  const match = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(raw);
  assert.ok(match, 'an armored OpenPGP message in the mail');
  return match[0];
}

/** `gpg --decrypt` in the reporter's home: the inner MIME entity (and gpg's status lines). */
function gpgDecrypt(gpg: Gpg, armored: string): string {
  return gpgDecryptWithStatus(gpg, armored).stdout;
}

function gpgDecryptWithStatus(gpg: Gpg, armored: string): { stdout: string; status: string } {
  const file = gpg.file(`msg-${Math.random().toString(36).slice(2)}.asc`, armored);
  const result = gpg.run(['--status-fd', '2', '--decrypt', file]);
  assert.equal(result.status, 0, result.stderr);
  return { stdout: result.stdout, status: result.stderr };
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(unfolded)?.[1];
}

for (const engine of engines()) {
  describe(`outbound mail on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
    });
    after(() => haven?.close());

    async function submit(body: unknown): Promise<string> {
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: body as object,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().reference as string;
    }

    async function caseId(reference: string): Promise<string> {
      const row = await haven.deps.db
        .selectFrom('cases')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    const mailsTo = (address: string) =>
      outboxMessages(haven.outbox).filter((m) => header(m, 'To') === address);

    test('GnuPG decrypts an outbound notification that Haven encrypted to a reporter key and signed', async (t) => {
      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        const email = 'rita.gpg@example.test';
        const openpgpKey = makeKey(gpg, `Rita <${email}>`).armored;
        const reference = await submit(report({ email, openpgpKey }));
        const raw = await eventually(() => mailsTo(email)[0]);

        assert.match(
          header(raw, 'Content-Type') ?? '',
          /^multipart\/encrypted; protocol="application\/pgp-encrypted"/,
        );
        assert.match(raw, /Content-Type: application\/pgp-encrypted[\s\S]*?\n\nVersion: 1\n/);
        assert.match(raw, /Content-Type: application\/octet-stream/);
        assert.equal(header(raw, 'Subject'), haven.deps.translate('nl', 'mail.encrypted.subject'));
        assert.ok(!raw.includes(reference), 'the reference is not readable on the way');
        assert.ok(!raw.includes('/r/havenr_'), 'the private link is not readable on the way');
        assert.ok(!raw.includes('Open redirect'), 'nor the title');

        // Signed by the organisation: checked against the key the organisation publishes.
        const published = await haven.app.inject('/o/acme/pgp-key.asc');
        importKey(gpg, published.body);
        const { stdout: inner, status } = gpgDecryptWithStatus(gpg, armoredPart(raw));
        assert.match(
          status,
          new RegExp(`^\\[GNUPG:\\] VALIDSIG ${published.headers['x-openpgp-fingerprint']} `, 'm'),
        );
        assert.match(inner, /^Content-Type: text\/plain; .*protected-headers="?v1"?/m);
        const subject = header(inner, 'Subject') ?? '';
        assert.ok(subject.includes(reference), `the real subject inside: ${subject}`);
        const text = mailText(inner);
        assert.ok(text.includes(reference), text);
        assert.match(text, /https:\/\/haven\.test\/r\/havenr_[A-Za-z0-9_-]{43}/);
        assert.equal(header(inner, 'Message-ID'), header(raw, 'Message-ID'));
      });
    });

    test("a staff reply reaches a reporter with a key encrypted, in the case's thread", async (t) => {
      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        const email = 'rita.reply@example.test';
        const openpgpKey = makeKey(gpg, `Rita <${email}>`).armored;
        // The reporter has the organisation's key, so gpg can check the signature (else it exits 2).
        importKey(gpg, (await haven.app.inject('/o/acme/pgp-key.asc')).body);
        const reference = await submit(report({ email, openpgpKey }, 'Reflected XSS in search'));
        const acknowledgement = await eventually(() => mailsTo(email)[0]);
        const secret = 'Fixed in release 4.2.1; ticket SEC-4711 has the details.';
        const posted = await owner.post(`/api/v1/orgs/acme/cases/${reference}/messages`, { body: secret });
        assert.ok(posted.statusCode === 201 || posted.statusCode === 200, posted.body);
        const reply = await eventually(() => mailsTo(email)[1]);

        assert.match(header(reply, 'Content-Type') ?? '', /^multipart\/encrypted;/);
        assert.ok(!reply.includes('SEC-4711') && !reply.includes(reference));
        const text = mailText(gpgDecrypt(gpg, armoredPart(reply)));
        assert.ok(text.includes('SEC-4711'), text);

        const id = await caseId(reference);
        assert.equal(header(reply, 'References'), `<case.${id}@haven.test>`);
        assert.equal(header(acknowledgement, 'References'), `<case.${id}@haven.test>`);
        assert.notEqual(header(reply, 'Message-ID'), header(acknowledgement, 'Message-ID'));
      });
    });

    test('a reporter without a key gets plain mail with Message-ID and References of the case', async () => {
      const email = 'paul.plain@example.test';
      const reference = await submit(report({ email, name: 'Paul' }, 'Directory listing on static host'));
      const raw = await eventually(() => mailsTo(email)[0]);
      const id = await caseId(reference);
      assert.match(header(raw, 'Content-Type') ?? '', /^text\/plain/);
      assert.ok(mailText(raw).includes(reference));
      assert.match(
        header(raw, 'Message-ID') ?? '',
        new RegExp(`^<case\\.${id}\\.[A-Za-z0-9_-]{16}@haven\\.test>$`),
      );
      assert.equal(header(raw, 'References'), `<case.${id}@haven.test>`);
    });

    test('a key that cannot be used loses no mail and leaks nothing: a neutral notice goes instead', async () => {
      const email = 'kees.badkey@example.test';
      const openpgpKey = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQENBF\n-----END PGP PUBLIC KEY BLOCK-----';
      const reference = await submit(report({ email, name: 'Kees', openpgpKey }, 'Session fixation'));
      const raw = await eventually(() => mailsTo(email)[0]);
      assert.equal(header(raw, 'Subject'), haven.deps.translate('nl', 'mail.encrypted.subject'));
      assert.ok(!raw.includes(reference) && !raw.includes('/r/havenr_') && !raw.includes('Session fixation'));
      assert.ok(mailText(raw).includes('https://haven.test/r/recover'), mailText(raw));
      await eventually(() =>
        haven.logLines.some(
          (l) => l.includes('OpenPGP key cannot be used') && l.includes('"reason":"unreadable"'),
        ),
      );
      assert.ok(!haven.logLines.some((l) => l.includes(email)), 'no address in the log');
    });

    test('an expired key: the neutral notice, not the report', async (t) => {
      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        const email = 'eva.expired@example.test';
        // Made in 2020 with one year to live: expired now.
        const openpgpKey = makeKey(gpg, `Rita <${email}>`, [
          '--faked-system-time',
          '20200101T000000',
        ]).armored;
        const reference = await submit(
          report({ email, name: 'Eva', openpgpKey }, 'Clickjacking on settings'),
        );
        const raw = await eventually(() => mailsTo(email)[0]);
        assert.match(header(raw, 'Content-Type') ?? '', /^text\/plain/);
        assert.ok(!raw.includes(reference) && !raw.includes('/r/havenr_'));
        await eventually(() => haven.logLines.some((l) => l.includes('"reason":"unusable"')));
      });
    });
  });

  describe(`DKIM signing on ${engine}`, () => {
    const dir = tempDir('haven-dkim-');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(dir, 'dkim.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    /** The TXT record an operator publishes at sel2026._domainkey.haven.test. */
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const resolver = async (name: string, type: string) => {
      if (name === 'sel2026._domainkey.haven.test' && type === 'TXT') return [[record]];
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    };
    let haven: TestHaven;

    before(async () => {
      haven = await startTestHaven(engine, {
        env: {
          HAVEN_DKIM_DOMAIN: 'haven.test',
          HAVEN_DKIM_SELECTOR: 'sel2026',
          HAVEN_DKIM_PRIVATE_KEY_FILE: keyFile,
        },
      });
      const owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
    });
    after(async () => {
      await haven?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function acknowledgementTo(reporter: Record<string, unknown>): Promise<string> {
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: report(reporter, 'Weak TLS configuration'),
      });
      assert.equal(response.statusCode, 201, response.body);
      return eventually(() => outboxMessages(haven.outbox).find((m) => header(m, 'To') === reporter.email));
    }

    async function dkimResult(raw: string) {
      const { results } = await dkimVerify(Buffer.from(raw), { resolver });
      assert.equal(results.length, 1);
      return results[0];
    }

    test('outgoing mail carries a DKIM-Signature with d= and s= as configured, which verifies', async () => {
      const raw = await acknowledgementTo({ email: 'dora.dkim@example.test', name: 'Dora' });
      const signature = header(raw, 'DKIM-Signature') ?? '';
      assert.match(signature, /(^|;\s*)d=haven\.test;/);
      assert.match(signature, /(^|;\s*)s=sel2026;/);
      const result = await dkimResult(raw);
      assert.equal(result?.signingDomain, 'haven.test');
      assert.equal(result?.status.result, 'pass', result?.info);

      const tampered = raw.replace(/Weak TLS configuration|ACME-\d{4}-\d{4}/, 'Changed on the way');
      assert.notEqual(tampered, raw);
      assert.equal((await dkimResult(tampered))?.status.result, 'fail');
    });

    test('encrypted mail (PGP/MIME) is signed too', async () => {
      const { publicKey: openpgpKey } = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name: 'Erik', email: 'erik.dkim@example.test' }],
      });
      const raw = await acknowledgementTo({ email: 'erik.dkim@example.test', name: 'Erik', openpgpKey });
      assert.match(header(raw, 'Content-Type') ?? '', /^multipart\/encrypted;/);
      assert.equal((await dkimResult(raw))?.status.result, 'pass');
    });
  });
}

test('haven start refuses an unusable DKIM key file: exit 2 and what is wrong', async () => {
  const dir = tempDir('haven-dkim-');
  try {
    const keyFile = path.join(dir, 'dkim.pem');
    fs.writeFileSync(keyFile, 'not a key');
    const result = await runHaven(['start'], {
      HAVEN_DATA_DIR: path.join(dir, 'data'),
      HAVEN_DKIM_DOMAIN: 'haven.test',
      HAVEN_DKIM_SELECTOR: 'sel2026',
      HAVEN_DKIM_PRIVATE_KEY_FILE: keyFile,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /HAVEN_DKIM_PRIVATE_KEY_FILE: .*dkim\.pem is not an unencrypted PEM private key/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const engine of engines()) {
  describe(`a relay that refuses mail to the reporter, on ${engine}`, () => {
    let haven: TestHaven;
    let relay: SMTPServer;
    const delivered: string[] = [];

    before(async () => {
      // A real SMTP relay (the organisation's smarthost) that knows no mailbox `gone@…`.
      relay = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('gone@'))
            callback(
              Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
                responseCode: 550,
              }),
            );
          else callback();
        },
        onData(stream, session, callback) {
          stream.resume();
          stream.on('end', () => {
            delivered.push(...session.envelope.rcptTo.map((r) => r.address));
            callback();
          });
        },
      });
      const port = await freePort();
      await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
      haven = await startTestHaven(engine, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
      const owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
    });
    after(async () => {
      await haven?.close();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });

    test('a refusal for good is a bounce on the case, not a retry; a good address gets its mail', async () => {
      const submit = async (email: string) => {
        const response = await haven.app.inject({
          method: 'POST',
          url: '/api/v1/orgs/acme/reports',
          payload: report({ email }, 'Session fixation after sign-in'),
        });
        assert.equal(response.statusCode, 201, response.body);
        return response.json().reference as string;
      };
      const gone = await submit('gone@example.test');
      const fine = await submit('fine@example.test');
      await eventually(() => (delivered.includes('fine@example.test') ? true : undefined));
      const timeline = async (reference: string) => {
        const row = await haven.deps.db
          .selectFrom('case_events')
          .innerJoin('cases', 'cases.id', 'case_events.case_id')
          .select(['case_events.kind', 'case_events.data'])
          .where('cases.reference', '=', reference)
          .execute();
        return row as { kind: string; data: Record<string, unknown> }[];
      };
      const bounced = await eventually(async () =>
        (await timeline(gone)).find((e) => e.kind === 'mail.bounced'),
      );
      assert.equal(bounced.data.status, '550');
      assert.match(String(bounced.data.diagnostic), /Recipient address rejected/);
      assert.doesNotMatch(String(bounced.data.diagnostic), /gone@/);
      const kinds = (await timeline(gone)).map((e) => e.kind);
      assert.ok(!kinds.includes('acknowledgement.sent'), kinds.join());
      assert.ok((await timeline(fine)).some((e) => e.kind === 'acknowledgement.sent'));
      assert.ok(!(await timeline(fine)).some((e) => e.kind === 'mail.bounced'));
      // Recorded once: the job did not go on retrying the refusal.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await timeline(gone)).filter((e) => e.kind === 'mail.bounced').length, 1);
    });
  });
}
