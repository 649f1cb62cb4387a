import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { RunningHaven } from '../src/main.ts';
import { createLogger } from '../src/platform/logger.ts';
import {
  type Dovecot,
  dovecotSkip,
  folderCount,
  makeCertificates,
  reportMail,
  startDovecot,
  startImapHaven,
  type TestCertificates,
} from './dovecot.ts';
import { type client, engines } from './harness.ts';
import { tempDir } from './resources.ts';

const skip = dovecotSkip('the IMAP TLS tests');

const FINDING = 'The password reset form at https://app.acme.test/reset leaks whether an account exists.';
const rawMail = (subject: string) => reportMail(subject, FINDING);

test('HAVEN_IMAP_CA_FILE: PEM certificates read at start; a file without one is a configuration error', () => {
  const dir = tempDir();
  try {
    const certificates = makeCertificates(dir);
    const file = (name: string, content: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    };
    assert.equal(loadConfig({}).imapCaCertificates, undefined);
    const ca = fs.readFileSync(certificates.caFile, 'utf8');
    const two = file('two.pem', `${ca}\n${fs.readFileSync(certificates.certFile, 'utf8')}`);
    assert.equal(loadConfig({ HAVEN_IMAP_CA_FILE: certificates.caFile }).imapCaCertificates?.length, 1);
    assert.equal(loadConfig({ HAVEN_IMAP_CA_FILE: two }).imapCaCertificates?.length, 2);
    for (const [value, message] of [
      [path.join(dir, 'missing.pem'), /HAVEN_IMAP_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/],
      [file('key.pem', fs.readFileSync(certificates.keyFile, 'utf8')), /holds no PEM certificate/],
      [
        file(
          'broken.pem',
          '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
        ),
        /certificate 1 in .*broken\.pem cannot be read/,
      ],
    ] as const) {
      assert.throws(
        () => loadConfig({ HAVEN_IMAP_CA_FILE: value }),
        (error: unknown) => error instanceof ConfigError && message.test(error.problems.join('\n')),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const engine of engines()) {
  describe(`IMAP over TLS against Dovecot on ${engine}`, { skip }, () => {
    let certDir: string;
    let trusted: TestCertificates;
    /** Its certificate comes from a CA Haven is told to trust (HAVEN_IMAP_CA_FILE). */
    let dovecot: Dovecot;
    /** Its certificate is self-signed: nothing vouches for it. */
    let stranger: Dovecot;
    let imap: ImapFlow;
    let strangerImap: ImapFlow;
    let running: RunningHaven;
    let owner: ReturnType<typeof client>;
    let cleanUp: (() => Promise<void>) | undefined;
    const logLines: string[] = [];
    const log = createLogger('info', { write: (line: string) => logLines.push(line) });

    const emailCases = async () => {
      const response = await owner.get('/api/v1/orgs/acme/cases?limit=200');
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().cases as { title: string; channel: string }[]).filter(
        (c) => c.channel === 'email',
      );
    };
    const save = async (server: Dovecot, tls: 'implicit' | 'starttls') => {
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        host: '127.0.0.1',
        port: tls === 'implicit' ? server.tlsPort : server.port,
        tls,
        username: server.user,
        secret: server.password,
      });
      assert.equal(saved.statusCode, 200, saved.body);
      return saved.json();
    };

    before(async () => {
      certDir = tempDir('haven-imap-tls-');
      fs.mkdirSync(path.join(certDir, 'trusted'));
      fs.mkdirSync(path.join(certDir, 'stranger'));
      trusted = makeCertificates(path.join(certDir, 'trusted'));
      const selfSigned = makeCertificates(path.join(certDir, 'stranger'), { selfSigned: true });
      dovecot = await startDovecot({ tls: trusted });
      stranger = await startDovecot({ tls: selfSigned });
      imap = await dovecot.connect();
      strangerImap = await stranger.connect();
      ({ running, owner, cleanUp } = await startImapHaven(
        engine,
        { HAVEN_IMAP_CA_FILE: trusted.caFile },
        log,
      ));
    });
    after(async () => {
      await imap?.logout().catch(() => {});
      await strangerImap?.logout().catch(() => {});
      await running?.stop();
      await dovecot?.stop();
      await stranger?.stop();
      await cleanUp?.();
      if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
    });

    test('TLS from the start (993-style) to a server whose CA is trusted: mail is picked up', async () => {
      await save(dovecot, 'implicit');
      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 200, checked.body);
      await imap.append('INBOX', rawMail('Found over implicit TLS'));
      await running.imap.pollAll();
      assert.deepEqual(
        (await emailCases()).map((c) => c.title),
        ['Found over implicit TLS'],
      );
      assert.equal(await folderCount(imap, 'INBOX'), 0);
      assert.equal((await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json().lastError, null);
      assert.match(dovecot.log(), /Login: user=<security>, method=PLAIN, .*TLS/);
    });

    test('STARTTLS on the plain port: mail is picked up', async () => {
      await save(dovecot, 'starttls');
      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 200, checked.body);
      await imap.append('INBOX', rawMail('Found over STARTTLS'));
      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 2);
      assert.equal(await folderCount(imap, 'INBOX'), 0);
      assert.equal(await folderCount(imap, ['Haven', 'Processed']), 2);
      assert.equal((await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json().lastError, null);
    });

    test('a certificate nothing vouches for: tls_failed with a clear message, and no mail is taken', async () => {
      await strangerImap.append('INBOX', rawMail('Waiting behind an untrusted certificate'));
      for (const tls of ['implicit', 'starttls'] as const) {
        await save(stranger, tls);
        const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
        assert.equal(checked.statusCode, 502, checked.body);
        assert.equal(checked.json().error.code, 'mail.imap_failed');
        assert.equal(checked.json().error.details[0].code, 'tls_failed');
        assert.match(
          checked.json().error.message,
          /certificate of the server at 127\.0\.0\.1:\d+ is not trusted/,
        );

        await running.imap.pollAll();
        const shown = (await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json();
        assert.match(shown.lastError, /is not trusted .*HAVEN_IMAP_CA_FILE/);
        assert.equal((await emailCases()).length, 2);
        assert.equal(await folderCount(strangerImap, 'INBOX'), 1, 'the mail stays where it is');
      }
      // No sign-in went to the untrusted server (the test's own cleartext client logs in "secured").
      assert.doesNotMatch(stranger.log(), /Login: user=<security>, method=\w+, .*TLS/);
      assert.ok(!logLines.join('\n').includes(stranger.password));
    });

    test('without TLS only a loopback host: any other host is refused', async () => {
      const refused = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        host: 'imap.acme.test',
        port: 143,
        tls: 'none',
        username: dovecot.user,
        secret: dovecot.password,
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().error.details[0].field, 'tls');
      assert.equal(refused.json().error.details[0].code, 'tls_required');
    });
  });
}
