import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImapFlow } from 'imapflow';
import type { Config } from '../src/config.ts';
import { pollImapMailbox } from '../src/mail/imap-poller.ts';
import { ingestMessage } from '../src/mail/ingest-message.ts';
import { type RunningHaven, startHaven } from '../src/main.ts';
import { createLogger } from '../src/platform/logger.ts';
import {
  type Dovecot,
  dovecotSkip,
  folderCount,
  imapHavenConfig,
  reportMail,
  startDovecot,
} from './dovecot.ts';
import { client, engines, publishPreset, setUp, type TestHaven } from './harness.ts';

const skip = dovecotSkip('the IMAP polling tests');

/** No DNS in tests: every SPF/DKIM/DMARC lookup finds nothing. */
async function noDns(name: string): Promise<string[][]> {
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

const FINDING =
  'The login form at https://app.acme.test/login reflects the redirect parameter into the page without escaping it.';
const rawMail = (subject: string) => reportMail(subject, FINDING);

for (const engine of engines()) {
  describe(`IMAP polling against Dovecot on ${engine}`, { skip }, () => {
    let dovecot: Dovecot;
    let imap: ImapFlow;
    let config: Config;
    let running: RunningHaven;
    let owner: ReturnType<typeof client>;
    let cleanUp: (() => Promise<void>) | undefined;
    const logLines: string[] = [];
    const log = createLogger('info', { write: (line: string) => logLines.push(line) });

    const start = async () => {
      running = await startHaven(config, log, () => {});
      const next = client(running.app);
      if (owner) {
        next.cookie = owner.cookie;
        next.csrf = owner.csrf;
      }
      owner = next;
    };
    const emailCases = async () => {
      const response = await owner.get('/api/v1/orgs/acme/cases?limit=200');
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().cases as { title: string; channel: string }[]).filter(
        (c) => c.channel === 'email',
      );
    };
    const settings = () => ({
      host: '127.0.0.1',
      port: dovecot.port,
      tls: 'none',
      username: dovecot.user,
      secret: dovecot.password,
    });

    before(async () => {
      dovecot = await startDovecot();
      imap = await dovecot.connect();
      ({ config, cleanUp } = await imapHavenConfig(engine));
      await start();
      owner = await setUp({ app: running.app, deps: running.runtime.deps } as unknown as TestHaven);
      await publishPreset(owner, 'acme', 'reconi');
    });
    after(async () => {
      await imap?.logout().catch(() => {});
      await running?.stop();
      await dovecot?.stop();
      await cleanUp?.();
    });

    test('the owner sets the mailbox up; the password goes in and never comes back', async () => {
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', settings());
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().hasSecret, true);
      assert.equal(saved.json().folder, 'INBOX');
      assert.equal(saved.json().processedFolder, 'Haven/Processed');
      assert.ok(!saved.body.includes(dovecot.password));
      const shown = await owner.get('/api/v1/orgs/acme/mailboxes/imap');
      assert.equal(shown.statusCode, 200);
      assert.ok(!shown.body.includes(dovecot.password));
      assert.equal('secret' in shown.json(), false);

      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(checked.json().ok, true);

      const cleartext = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        host: 'imap.acme.test',
      });
      assert.equal(cleartext.statusCode, 422, 'no TLS is for loopback only');
      assert.equal(cleartext.json().error.details[0].field, 'tls');

      // The stored password is never sent to another host: changing it needs the password again.
      const { secret: _kept, ...withoutSecret } = settings();
      const elsewhere = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...withoutSecret,
        host: 'localhost',
      });
      assert.equal(elsewhere.statusCode, 422, elsewhere.body);
      assert.equal(elsewhere.json().error.details[0].field, 'secret');
      const unchanged = await owner.put('/api/v1/orgs/acme/mailboxes/imap', withoutSecret);
      assert.equal(unchanged.statusCode, 200, unchanged.body);
    });

    test('a poll takes each mail in once; the next poll adds nothing; the mail is moved', async () => {
      await imap.append('INBOX', rawMail('First finding by IMAP'));
      await imap.append('INBOX', rawMail('Second finding by IMAP'));
      await running.imap.pollAll();
      const cases = await emailCases();
      assert.deepEqual(cases.map((c) => c.title).sort(), ['First finding by IMAP', 'Second finding by IMAP']);
      assert.equal(await folderCount(imap, 'INBOX'), 0);
      assert.equal(await folderCount(imap, ['Haven', 'Processed']), 2);

      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 2);
      const shown = (await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json();
      assert.ok(shown.lastPolledAt);
      assert.equal(shown.lastError, null);
    });

    test('taken in but not moved (a crash in between): the next poll moves it and opens no second case', async () => {
      await imap.append('INBOX', rawMail('Third finding, interrupted'));
      const mailboxId = (
        await running.runtime.deps.db.selectFrom('imap_mailboxes').select('id').executeTakeFirstOrThrow()
      ).id;
      // The case is committed, then the process "dies" before the poller records or moves anything.
      const crashing: typeof ingestMessage = async (...args) => {
        await ingestMessage(...args);
        throw new Error('simulated crash after the commit');
      };
      await pollImapMailbox(running.runtime.deps, mailboxId, { ingest: crashing, resolver: noDns });
      assert.equal((await emailCases()).length, 3);
      assert.equal(await folderCount(imap, 'INBOX'), 1);

      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 3);
      assert.equal(await folderCount(imap, 'INBOX'), 0);
      assert.equal(await folderCount(imap, ['Haven', 'Processed']), 3);
    });

    test('after a restart on the same database: still exactly once, and new mail is picked up', async () => {
      await running.stop();
      await start();
      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 3);

      // The same bytes again under a new UID (someone moved it back): the hash knows it.
      const processed = await imap.getMailboxLock(['Haven', 'Processed']);
      try {
        await imap.messageCopy('1', 'INBOX', { uid: true });
      } finally {
        processed.release();
      }
      await imap.append('INBOX', rawMail('Fourth finding, after the restart'));
      await running.imap.pollAll();
      const titles = (await emailCases()).map((c) => c.title);
      assert.equal(titles.length, 4);
      assert.equal(titles.filter((t) => t === 'Fourth finding, after the restart').length, 1);
      assert.equal(await folderCount(imap, 'INBOX'), 0);
    });

    test('a wrong password: the test answers mail.imap_failed, and neither answer nor log holds a password', async () => {
      const wrong = 'Wrong-Password-4711';
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', { ...settings(), secret: wrong });
      assert.equal(saved.statusCode, 200, saved.body);
      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 502, checked.body);
      assert.equal(checked.json().error.code, 'mail.imap_failed');
      assert.equal(checked.json().error.details[0].code, 'auth_failed');
      assert.ok(!checked.body.includes(wrong));

      await imap.append('INBOX', rawMail('Fifth finding, waiting for the right password'));
      await running.imap.pollAll();
      const shown = (await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json();
      assert.match(shown.lastError, /refused the sign-in/);
      assert.equal((await emailCases()).length, 4);

      const logs = logLines.join('\n');
      assert.ok(logs.includes('imap: connection test failed'));
      assert.ok(!logs.includes(wrong));
      assert.ok(!logs.includes(dovecot.password));
      assert.ok(!logs.includes('rita@reporter.test'));

      // The right password again: the waiting mail comes in.
      await owner.put('/api/v1/orgs/acme/mailboxes/imap', settings());
      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 5);
    });

    test('a folder renumbered by the server (new UIDVALIDITY) is read again without a second case', async () => {
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', { ...settings(), folder: 'Reports' });
      assert.equal(saved.statusCode, 200, saved.body);
      const mail = rawMail('Sixth finding, in a folder that gets renumbered');
      await imap.mailboxCreate('Reports');
      await imap.append('Reports', mail);
      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 6);
      const before = (
        await running.runtime.deps.db
          .selectFrom('imap_mailboxes')
          .select('last_uidvalidity')
          .executeTakeFirstOrThrow()
      ).last_uidvalidity;

      // Deleted and made again, the folder gets a new UIDVALIDITY; the same message lands in it.
      await imap.mailboxDelete('Reports');
      await new Promise((r) => setTimeout(r, 1100)); // Dovecot's UIDVALIDITY is a timestamp in seconds
      await imap.mailboxCreate('Reports');
      await imap.append('Reports', mail);
      await running.imap.pollAll();
      const after = (
        await running.runtime.deps.db
          .selectFrom('imap_mailboxes')
          .select('last_uidvalidity')
          .executeTakeFirstOrThrow()
      ).last_uidvalidity;
      assert.notEqual(after, before);
      assert.equal((await emailCases()).length, 6);
      assert.equal(await folderCount(imap, 'Reports'), 0);
    });

    test('two nodes polling at once: one reads the mailbox, the other finds it busy', {
      skip: engine === 'pglite' ? 'one process owns an embedded database' : undefined,
    }, async () => {
      await imap.append('Reports', rawMail('Seventh finding, two nodes'));
      const mailboxId = (
        await running.runtime.deps.db.selectFrom('imap_mailboxes').select('id').executeTakeFirstOrThrow()
      ).id;
      const results = await Promise.all([
        pollImapMailbox(running.runtime.deps, mailboxId, { resolver: noDns }),
        pollImapMailbox(running.runtime.deps, mailboxId, { resolver: noDns }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['busy', 'polled']);
      assert.equal((await emailCases()).length, 7);
    });

    test('only a signed-in owner reaches the mailbox; deleting it forgets the credential', async () => {
      const token = await owner.post('/api/v1/orgs/acme/tokens', {
        name: 'ci',
        scopes: ['org:read', 'policy:write'],
      });
      assert.equal(token.statusCode, 201, token.body);
      const viaToken = await running.app.inject({
        method: 'GET',
        url: '/api/v1/orgs/acme/mailboxes/imap',
        headers: { authorization: `Bearer ${token.json().token}` },
      });
      assert.equal(viaToken.statusCode, 403, viaToken.body);

      const deleted = await owner.delete('/api/v1/orgs/acme/mailboxes/imap');
      assert.equal(deleted.statusCode, 204);
      assert.equal((await owner.get('/api/v1/orgs/acme/mailboxes/imap')).statusCode, 404);
      const left = await running.runtime.deps.db.selectFrom('imap_mailboxes').select('id').execute();
      assert.equal(left.length, 0);
    });
  });
}
