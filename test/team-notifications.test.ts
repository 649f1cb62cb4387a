import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { notifyTeamHandler, removeOldTeamNoticeDeliveries } from '../src/cases/team-notifications.ts';
import { ingestMessage } from '../src/mail/ingest-message.ts';
import type { Mailer } from '../src/platform/mailer.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  eventually,
  mailText,
  outboxMessages,
  publishPreset,
  setUp,
  solveProofOfWork,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const TITLE = 'Stored XSS in the invoice notes field';
const STEPS =
  'Create an invoice, put a script tag in the notes field and save it. Every colleague who opens the invoice afterwards runs the script in their own session, so the notes field is a stored cross-site scripting hole.';
const IMPACT = 'Session takeover of finance staff.';
const ASSET = 'https://invoices.acme.test/notes';
const REPORTER = { name: 'Rita Reporter', email: 'rita.reporter@example.test' };

/** A multipart body as a browser sends the report form. */
function formBody(fields: Record<string, string>) {
  const boundary = `----havenform${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function hiddenValue(page: string, name: string): string {
  const value = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page)?.[1];
  assert.ok(value !== undefined, `hidden field ${name}`);
  return value;
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(unfolded)?.[1];
}

/** Nothing of the report or its reporter may be in a team notice, in the headers or the text. */
function assertNoReportContent(raw: string, extra: string[] = []) {
  const whole = `${raw}\n${mailText(raw)}`;
  for (const secret of [TITLE, STEPS.slice(0, 40), IMPACT, ASSET, REPORTER.name, REPORTER.email, ...extra]) {
    assert.ok(!whole.includes(secret), `the team notice holds nothing of the report: ${secret}`);
  }
}

for (const engine of engines()) {
  describe(`team notifications by e-mail on ${engine}`, () => {
    let haven: TestHaven;
    let olga: ReturnType<typeof client>;
    let cora: ReturnType<typeof client>;
    let vic: ReturnType<typeof client>;

    before(async () => {
      haven = await startTestHaven(engine);
      olga = await setUp(haven);
      await publishPreset(olga, 'acme', 'reconi');
      cora = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'cora@acme.test', role: 'coordinator' },
        true,
      );
      vic = await addOrganisationWithMember(haven, 'acme', { email: 'vic@acme.test', role: 'viewer' }, true);
      // Cora reads Haven in Dutch; Olga has chosen no language, so the organisation's (English) applies.
      assert.equal((await cora.patch('/api/v1/me', { language: 'nl' })).statusCode, 200);
      // An invitation not yet accepted, and the owner of another organisation: neither hears of acme.
      const invited = await olga.post('/api/v1/orgs/acme/members', { email: 'pia@acme.test', role: 'owner' });
      assert.equal(invited.statusCode, 201, invited.body);
      await addOrganisationWithMember(haven, 'econnect', { email: 'eva@econnect.test', role: 'owner' });
    });
    after(() => haven?.close());

    /** Team notices about the case, by recipient. */
    const notices = (reference: string) =>
      outboxMessages(haven.outbox).filter(
        (m) =>
          /^\[Acme\] (Case|Zaak) /.test(header(m, 'Subject') ?? '') &&
          header(m, 'Subject')?.endsWith(reference),
      );
    const noticesTo = (reference: string, address: string) =>
      notices(reference).filter((m) => header(m, 'To') === address);
    /** Waits for `count` notices about the case, then long enough for a wrong extra one to show up. */
    async function settledNotices(reference: string, count: number) {
      await eventually(() => notices(reference).length >= count);
      await new Promise((r) => setTimeout(r, 600));
      return notices(reference);
    }
    async function caseId(reference: string) {
      const row = await haven.deps.db
        .selectFrom('cases')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      return row.id;
    }
    async function reportByApi() {
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: {
          title: TITLE,
          assets: [ASSET],
          steps: STEPS,
          impact: IMPACT,
          reporter: { identity: 'named', ...REPORTER },
          language: 'en',
          acceptedPolicyVersion: 1,
          altcha: await solveProofOfWork(haven.app, 'acme'),
        },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { reference: string; token: string };
    }

    test('a report through the web form: owner and coordinator each get one notice, without its content', async () => {
      const form = await haven.app.inject({ method: 'GET', url: '/o/acme/report' });
      assert.equal(form.statusCode, 200);
      const { payload, headers } = formBody({
        formNonce: hiddenValue(form.body, 'formNonce'),
        formLanguage: hiddenValue(form.body, 'formLanguage'),
        acceptedPolicyVersion: '1',
        title: TITLE,
        assets: ASSET,
        ipAddresses: '',
        objects: '',
        steps: STEPS,
        impact: IMPACT,
        proofOfConceptText: '',
        cwe: '',
        identity: 'named',
        name: REPORTER.name,
        email: REPORTER.email,
        phone: '',
        openpgpKey: '',
        language: 'en',
        acceptPolicy: 'yes',
        website: '',
        altcha: await solveProofOfWork(haven.app, 'acme'),
      });
      const submitted = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload,
        headers: { ...headers, origin: 'https://haven.test', 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(submitted.statusCode, 201, submitted.body.slice(0, 2000));
      const reference = /ACME-20\d\d-\d{4}/.exec(submitted.body)?.[0];
      assert.ok(reference);

      const all = await settledNotices(reference, 2);
      assert.deepEqual(all.map((m) => header(m, 'To')).sort(), ['cora@acme.test', 'olga@acme.test']);
      const id = await caseId(reference);
      const link = `https://haven.test/console/acme/cases/${reference}`;

      const [toOlga] = noticesTo(reference, 'olga@acme.test');
      assert.ok(toOlga);
      assert.equal(header(toOlga, 'Subject'), `[Acme] Case ${reference}`);
      assert.equal(header(toOlga, 'Auto-Submitted'), 'auto-generated');
      assert.equal(header(toOlga, 'References'), `<case.${id}@haven.test>`);
      assert.match(header(toOlga, 'Message-ID') ?? '', new RegExp(`^<case\\.${id}\\.[^@]+@haven\\.test>$`));
      const text = mailText(toOlga);
      assert.match(
        text,
        new RegExp(`Acme received a new report through the report form: case ${reference}\\.`),
      );
      assert.ok(text.includes(link), text);
      assertNoReportContent(toOlga);

      const [toCora] = noticesTo(reference, 'cora@acme.test');
      assert.ok(toCora);
      assert.equal(header(toCora, 'Subject'), `[Acme] Zaak ${reference}`, 'in the member’s own language');
      assert.match(mailText(toCora), /heeft een nieuwe melding ontvangen via het meldformulier/);
      assert.ok(mailText(toCora).includes(link));
      assertNoReportContent(toCora);
    });

    test('a reporter message and a withdrawal each notify; the message text stays inside Haven', async () => {
      const { reference, token } = await reportByApi();
      await settledNotices(reference, 2);
      const opened = noticesTo(reference, 'olga@acme.test');
      assert.equal(opened.length, 1);
      assert.match(mailText(opened[0] ?? ''), /received a new report through the API/);

      const words = 'The notes field also accepts SVG uploads with onload handlers.';
      const message = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/messages',
        headers: { authorization: `Bearer ${token}` },
        payload: { body: words },
      });
      assert.equal(message.statusCode, 201, message.body);
      await settledNotices(reference, 4);
      const toOlga = noticesTo(reference, 'olga@acme.test');
      assert.equal(toOlga.length, 2);
      assert.match(
        mailText(toOlga[1] ?? ''),
        new RegExp(`The reporter wrote a new message on case ${reference}`),
      );
      assert.match(
        mailText(noticesTo(reference, 'cora@acme.test')[1] ?? ''),
        /De melder heeft een nieuw bericht/,
      );
      for (const m of notices(reference)) assertNoReportContent(m, [words]);

      const withdrawn = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/withdraw',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(withdrawn.statusCode, 204, withdrawn.body);
      await settledNotices(reference, 6);
      const last = noticesTo(reference, 'olga@acme.test')[2] ?? '';
      assert.match(mailText(last), new RegExp(`The reporter withdrew the report of case ${reference}`));
      // Every notice about one case threads on the same root.
      const roots = new Set(notices(reference).map((m) => header(m, 'References')));
      assert.deepEqual([...roots], [`<case.${await caseId(reference)}@haven.test>`]);
      assert.equal(notices(reference).filter((m) => header(m, 'To') === 'vic@acme.test').length, 0);
    });

    test('each member chooses for themselves: the list shows it, opting out stops mail, a viewer can opt in', async () => {
      const listed = (await olga.get('/api/v1/orgs/acme/members')).json().members as {
        email: string;
        notifyByEmail: boolean;
        pending: boolean;
      }[];
      assert.deepEqual(Object.fromEntries(listed.map((m) => [m.email, m.notifyByEmail])), {
        'cora@acme.test': true,
        'olga@acme.test': true,
        'pia@acme.test': true,
        'vic@acme.test': false,
      });

      const off = await cora.put('/api/v1/orgs/acme/members/me/notifications', { notifyByEmail: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().email, 'cora@acme.test');
      assert.equal(off.json().notifyByEmail, false);
      const on = await vic.put('/api/v1/orgs/acme/members/me/notifications', { notifyByEmail: true });
      assert.equal(on.statusCode, 200, on.body);
      assert.equal(on.json().notifyByEmail, true);
      const invalid = await vic.put('/api/v1/orgs/acme/members/me/notifications', { notifyByEmail: 'yes' });
      assert.equal(invalid.statusCode, 422);
      // A leaked API token must not silence its owner's notices.
      const token = (await olga.post('/api/v1/orgs/acme/tokens', { name: 'ci', scopes: ['org:read'] })).json()
        .token as string;
      const byToken = await haven.app.inject({
        method: 'PUT',
        url: '/api/v1/orgs/acme/members/me/notifications',
        headers: { authorization: `Bearer ${token}` },
        payload: { notifyByEmail: false },
      });
      assert.equal(byToken.statusCode, 403, byToken.body);

      const { reference } = await reportByApi();
      const all = await settledNotices(reference, 2);
      assert.deepEqual(all.map((m) => header(m, 'To')).sort(), ['olga@acme.test', 'vic@acme.test']);

      // Back to the defaults for the tests that follow.
      await cora.put('/api/v1/orgs/acme/members/me/notifications', { notifyByEmail: true });
      await vic.put('/api/v1/orgs/acme/members/me/notifications', { notifyByEmail: false });
    });

    test('a report by e-mail notifies, without its subject, text or sender; an import does not', async () => {
      const subject = 'SQL injection in the supplier search';
      const body = 'The search box of the supplier portal passes quotes straight into the database query.';
      const raw = [
        'From: Mallory Finder <mallory.finder@example.test>',
        'To: acme@haven.test',
        `Subject: ${subject}`,
        `Message-ID: <${randomUUID()}@example.test>`,
        'Date: Sun, 06 Dec 2026 01:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        body,
        '',
      ].join('\r\n');
      const noDns = async (name: string): Promise<string[][]> => {
        throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      };
      const [outcome] = await ingestMessage(
        haven.deps,
        Buffer.from(raw),
        { recipients: ['acme@haven.test'], mailFrom: 'mallory.finder@example.test', clientIp: '192.0.2.7' },
        { kind: 'smtp' },
        { resolver: noDns },
      );
      const reference = outcome?.reference;
      assert.ok(reference);
      const all = await settledNotices(reference, 2);
      assert.deepEqual(all.map((m) => header(m, 'To')).sort(), ['cora@acme.test', 'olga@acme.test']);
      assert.match(
        mailText(noticesTo(reference, 'olga@acme.test')[0] ?? ''),
        /received a new report by e-mail/,
      );
      assert.match(mailText(noticesTo(reference, 'cora@acme.test')[0] ?? ''), /ontvangen per e-mail/);
      for (const m of all) assertNoReportContent(m, [subject, body.slice(0, 30), 'mallory', 'Mallory']);

      const imported = await olga.post('/api/v1/orgs/acme/reports/import', {
        report: {
          title: TITLE,
          assets: [ASSET],
          steps: STEPS,
          reporter: { identity: 'anonymous' },
          language: 'en',
        },
        receivedAt: '2026-03-01T09:30:00Z',
        channel: 'email',
      });
      assert.equal(imported.statusCode, 201, imported.body);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(notices(imported.json().reference).length, 0, 'an import is history, not news');
    });

    test('a retried notice mails only the members the failed attempt did not reach', async () => {
      const { reference } = await reportByApi();
      await settledNotices(reference, 2);
      const sent: string[] = [];
      let refuseCora = true;
      const flaky: Mailer = {
        ...haven.deps.mailer,
        async send(mail) {
          if (mail.to === 'cora@acme.test' && refuseCora) throw new Error('450 mailbox busy');
          sent.push(mail.to);
          return { messageId: mail.messageId ?? '', encryption: 'none' };
        },
      };
      const handler = notifyTeamHandler(() => ({ ...haven.deps, mailer: flaky }));
      const payload = {
        noticeId: randomUUID(),
        caseId: await caseId(reference),
        event: 'message.reporter' as const,
      };
      await assert.rejects(handler.handle(payload, { jobId: 'test', attempt: 0 }));
      assert.deepEqual(sent, ['olga@acme.test']);
      refuseCora = false;
      await handler.handle(payload, { jobId: 'test', attempt: 1 });
      assert.deepEqual(sent, ['olga@acme.test', 'cora@acme.test']);
      await handler.handle(payload, { jobId: 'test', attempt: 2 });
      assert.deepEqual(sent, ['olga@acme.test', 'cora@acme.test'], 'a third run sends nothing');

      // A staff member is never told about their own action.
      const own = { noticeId: randomUUID(), caseId: payload.caseId, event: 'case.opened' as const };
      const olgaId = (await olga.get('/api/v1/auth/session')).json().user.id as string;
      await handler.handle({ ...own, actorUserId: olgaId }, { jobId: 'test', attempt: 0 });
      assert.deepEqual(sent.slice(2), ['cora@acme.test']);

      // A refusal for good (no such mailbox) is not retried: the job ends, the others are reached.
      const gone: Mailer = {
        ...flaky,
        async send(mail) {
          if (mail.to === 'cora@acme.test')
            throw Object.assign(new Error('550 no such user'), {
              code: 'EENVELOPE',
              command: 'RCPT TO',
              responseCode: 550,
            });
          sent.push(mail.to);
          return { messageId: mail.messageId ?? '', encryption: 'none' };
        },
      };
      const refusing = notifyTeamHandler(() => ({ ...haven.deps, mailer: gone }));
      await refusing.handle({ ...own, noticeId: randomUUID() }, { jobId: 'test', attempt: 0 });
      assert.deepEqual(sent.slice(3), ['olga@acme.test']);

      // A relay that refuses Haven's sign-in (535) is not a bounce: the job fails and is retried.
      const signInRefused: Mailer = {
        ...flaky,
        async send() {
          throw Object.assign(new Error('Invalid login: 535 5.7.8 Authentication failed'), {
            code: 'EAUTH',
            command: 'AUTH PLAIN',
            responseCode: 535,
          });
        },
      };
      await assert.rejects(
        notifyTeamHandler(() => ({ ...haven.deps, mailer: signInRefused })).handle(
          { ...own, noticeId: randomUUID() },
          { jobId: 'test', attempt: 0 },
        ),
      );

      // Housekeeping forgets deliveries once no job can retry them any more (14 days).
      const deliveries = async () =>
        (await haven.deps.db.selectFrom('team_notices_sent').select('notice_id').execute()).length;
      assert.ok((await deliveries()) > 0);
      await removeOldTeamNoticeDeliveries(haven.deps);
      assert.ok((await deliveries()) > 0, 'recent deliveries are kept');
      const later = new Date(Date.now() + 15 * 24 * 3600_000);
      await removeOldTeamNoticeDeliveries({ db: haven.deps.db, clock: { now: () => later } });
      assert.equal(await deliveries(), 0);
    });
  });
}
