import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  addOrganisationWithMember,
  client,
  engines,
  eventually,
  mailText,
  outboxMessages,
  publishPreset,
  STRONG_PASSWORD,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const STEPS =
  'The password reset form accepts any e-mail address and answers differently for known and unknown addresses, so accounts can be enumerated. I tested it with my own address only.';

function named(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Account enumeration on password reset',
    steps: STEPS,
    reporter: {
      identity: 'named',
      name: 'Rita Reporter',
      email: 'rita@example.test',
      phone: '+31 6 11112222',
    },
    language: 'en',
    acceptedPolicyVersion: 1,
    ...overrides,
  };
}

for (const engine of engines()) {
  describe(`cases on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'econnect');
      await addOrganisationWithMember(haven, 'acme', { email: 'cora@acme.test', role: 'coordinator' }, true);
      await addOrganisationWithMember(haven, 'acme', { email: 'vera@acme.test', role: 'viewer' }, true);
      await addOrganisationWithMember(haven, 'other', { email: 'otto@other.test', role: 'owner' });
    });
    after(() => haven?.close());

    async function signIn(email: string) {
      const c = client(haven.app);
      const response = await c.post('/api/v1/auth/sign-in', { email, password: STRONG_PASSWORD });
      assert.equal(response.statusCode, 200, response.body);
      return c;
    }
    async function submit(body: unknown) {
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: body as object,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { reference: string; token: string; caseUrl: string };
    }
    const asReporter = (token: string) => ({ authorization: `Bearer ${token}` });

    test('the contact details and IP addresses are stored encrypted, not in the clear', async () => {
      const { reference } = await submit(named({ ipAddresses: ['198.51.100.23'] }));
      const row = await sql<{
        raw: string;
      }>`select row_to_json(c)::text || (select row_to_json(r)::text from reports r where r.case_id = c.id) as raw from cases c where reference = ${reference}`.execute(
        haven.deps.db,
      );
      const raw = row.rows[0]?.raw ?? '';
      assert.ok(raw.length > 100);
      for (const secret of ['rita@example.test', 'Rita Reporter', '11112222', '198.51.100.23']) {
        assert.ok(!raw.includes(secret), `${secret} is stored readable`);
      }
    });

    test('a coordinator answers; the reporter reads it, answers back and the team sees it', async () => {
      const { reference, token } = await submit(named());
      const cora = await signIn('cora@acme.test');
      const reply = await cora.post(`/api/v1/orgs/acme/cases/${reference}/messages`, {
        body: 'Thanks Rita — can you tell us which browser you used?',
      });
      assert.equal(reply.statusCode, 201, reply.body);
      const mail = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => m.includes(`New message about your report ${reference}`)),
      );
      assert.match(mailText(mail), /which browser you used/);

      const mine = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case/messages',
        headers: asReporter(token),
      });
      assert.equal(mine.json().messages[0].from, 'team');
      assert.ok(!mine.body.includes('cora'), 'staff identities stay inside');
      const answer = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/messages',
        headers: asReporter(token),
        payload: { body: 'Firefox 140 on Linux.' },
      });
      assert.equal(answer.statusCode, 201, answer.body);
      const staff = (await cora.get(`/api/v1/orgs/acme/cases/${reference}`)).json();
      assert.deepEqual(
        staff.messages.map((m: { author: string; body: string }) => [m.author, m.body]),
        [
          ['staff', 'Thanks Rita — can you tell us which browser you used?'],
          ['reporter', 'Firefox 140 on Linux.'],
        ],
      );
      assert.deepEqual(
        staff.timeline.map((e: { kind: string }) => e.kind).filter((k: string) => k.startsWith('message')),
        ['message.staff', 'message.reporter'],
      );
    });

    test('a viewer reads cases but cannot answer or write notes', async () => {
      const { reference } = await submit(named());
      const vera = await signIn('vera@acme.test');
      assert.equal((await vera.get(`/api/v1/orgs/acme/cases/${reference}`)).statusCode, 200);
      const reply = await vera.post(`/api/v1/orgs/acme/cases/${reference}/messages`, { body: 'hi' });
      assert.equal(reply.statusCode, 403);
      const note = await vera.post(`/api/v1/orgs/acme/cases/${reference}/notes`, { body: 'hi' });
      assert.equal(note.statusCode, 403);
    });

    test("another organisation's staff cannot see or touch the case", async () => {
      const { reference } = await submit(named());
      const otto = await signIn('otto@other.test');
      assert.equal((await otto.get(`/api/v1/orgs/acme/cases/${reference}`)).statusCode, 404);
      assert.equal((await otto.get('/api/v1/orgs/acme/cases')).statusCode, 404);
      assert.equal((await otto.get(`/api/v1/orgs/other/cases/${reference}`)).statusCode, 404);
      const list = await otto.get('/api/v1/orgs/other/cases');
      assert.deepEqual(list.json().cases, []);
    });

    test('credit, link renewal and withdrawal by the reporter', async () => {
      const { reference, token } = await submit(named());
      const credit = await haven.app.inject({
        method: 'PUT',
        url: '/api/v1/reporter/case/credit',
        headers: asReporter(token),
        payload: { wanted: true, name: 'Rita R.' },
      });
      assert.deepEqual(credit.json(), { wanted: true, name: 'Rita R.' });
      const renewed = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/link',
        headers: asReporter(token),
      });
      assert.equal(renewed.statusCode, 201);
      const fresh = renewed.json().token as string;
      assert.notEqual(fresh, token);
      const old = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: asReporter(token),
      });
      assert.equal(old.statusCode, 404);
      assert.equal(old.json().error.code, 'report.not_found');
      const withdraw = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/withdraw',
        headers: asReporter(fresh),
      });
      assert.equal(withdraw.statusCode, 204);
      const after = (
        await haven.app.inject({ method: 'GET', url: '/api/v1/reporter/case', headers: asReporter(fresh) })
      ).json();
      assert.equal(after.withdrawn, true);
      assert.equal(after.state, 'withdrawn');
      assert.equal(after.credit.name, 'Rita R.');
      const again = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/case/messages',
        headers: asReporter(fresh),
        payload: { body: 'one more thing' },
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'report.withdrawn');
      const staff = (await owner.get(`/api/v1/orgs/acme/cases/${reference}`)).json();
      assert.equal(staff.state, 'withdrawn');
      assert.deepEqual(staff.credit, { wanted: true, name: 'Rita R.' });
    });

    test('a lost link is recovered by e-mail: same answer either way, the link works once', async () => {
      const { reference } = await submit(
        named({
          reporter: { identity: 'named', name: 'Lia', email: 'lia@example.test', phone: '+31 6 33334444' },
        }),
      );
      const wrong = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/recover',
        payload: { reference, email: 'someone@example.test' },
      });
      const right = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reporter/recover',
        payload: { reference: reference.toLowerCase(), email: 'LIA@example.test' },
      });
      assert.equal(wrong.statusCode, 202);
      assert.equal(right.statusCode, 202);
      assert.deepEqual(wrong.json(), right.json());
      const mail = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => m.includes(`A new link to your report ${reference}`)),
      );
      assert.match(mail, /^To: lia@example\.test/m);
      assert.equal(
        outboxMessages(haven.outbox).filter((m) => /^To: someone@example\.test/m.test(m)).length,
        0,
      );
      const link = /(havenr_[A-Za-z0-9_-]{43})/.exec(mailText(mail))?.[1];
      assert.ok(link);
      // A recovery link is no access token: it is exchanged once, on the /r/{token} page.
      const direct = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: asReporter(link),
      });
      assert.equal(direct.statusCode, 404);
      const { redeemReporterLink } = await import('../src/cases/reporter-access.ts');
      const first = await redeemReporterLink(haven.deps, link);
      assert.ok(first);
      assert.equal(first.caseRow.reference, reference);
      assert.equal(await redeemReporterLink(haven.deps, link), undefined, 'a recovery link works once');
      const opened = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: asReporter(first.accessToken),
      });
      assert.equal(opened.json().reference, reference);
    });

    test('import: owners only, original time and channel kept, deviations recorded, no acknowledgement by default', async () => {
      const report = {
        title: 'Old report from the security@ mailbox',
        steps: 'Directory listing is enabled on the downloads server, showing internal build artefacts.',
        reporter: { identity: 'anonymous' },
        language: 'en',
      };
      const cora = await signIn('cora@acme.test');
      const refused = await cora.post('/api/v1/orgs/acme/reports/import', {
        report,
        receivedAt: '2026-03-01T09:30:00Z',
        channel: 'email',
      });
      assert.equal(refused.statusCode, 403);
      // Team notices of earlier cases (subject "[Acme] Case …") may still arrive: leave them out.
      const notTeam = () => outboxMessages(haven.outbox).filter((m) => !/^Subject: \[Acme\] /m.test(m));
      const before = notTeam().length;
      // Received before the organisation published a policy: no version was in force.
      const old = await owner.post('/api/v1/orgs/acme/reports/import', {
        report,
        receivedAt: '2026-03-01T09:30:00+01:00',
        channel: 'email',
        source: 'security@acme.test (2026)',
      });
      assert.equal(old.statusCode, 201, old.body);
      const oldCase = (await owner.get(`/api/v1/orgs/acme/cases/${old.json().reference}`)).json();
      assert.equal(oldCase.receivedAt, '2026-03-01T08:30:00.000Z');
      assert.equal(oldCase.channel, 'email');
      assert.equal(oldCase.report.source, 'security@acme.test (2026)');
      assert.equal(oldCase.report.policyVersion, null);
      assert.equal(oldCase.report.policyAcceptance, null);
      assert.match(old.json().reference, /^ACME-2026-\d{4}$/);
      // Received under the published econnect policy: version 1, accepted implicitly, deviations kept.
      const recent = await owner.post('/api/v1/orgs/acme/reports/import', {
        report,
        receivedAt: new Date().toISOString(),
        channel: 'import',
      });
      assert.equal(recent.statusCode, 201, recent.body);
      const staff = (await owner.get(`/api/v1/orgs/acme/cases/${recent.json().reference}`)).json();
      assert.equal(staff.report.policyVersion, 1);
      assert.equal(staff.report.policyAcceptance, 'implicit');
      const codes = staff.report.deviations.map(
        (d: { code: string; field?: string }) => `${d.code}:${d.field}`,
      );
      assert.ok(codes.includes('identity_not_allowed:reporter.identity'), codes.join());
      assert.ok(codes.includes('contact_required:contact.email'), codes.join());
      assert.ok(codes.includes('contact_required:contact.phone'), codes.join());
      const future = await owner.post('/api/v1/orgs/acme/reports/import', {
        report,
        receivedAt: '2099-01-01T00:00:00Z',
      });
      assert.equal(future.statusCode, 422);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(notTeam().length, before, 'an import sends nothing unless asked');
    });

    test('an Idempotency-Key is remembered for 24 hours, then cleared by housekeeping', async () => {
      const { removeExpiredIntakeRecords } = await import('../src/intake/housekeeping.ts');
      const body = named({ title: 'Idempotency expiry' });
      const headers = { 'idempotency-key': 'expiry-test-0001' };
      const first = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: body,
        headers,
      });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(await removeExpiredIntakeRecords(haven.deps), 0, 'nothing has expired yet');
      const dayLater = new Date(Date.now() + 24 * 3600_000 + 60_000);
      assert.ok((await removeExpiredIntakeRecords(haven.deps, dayLater)) >= 1);
      const second = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: body,
        headers,
      });
      assert.equal(second.statusCode, 201);
      assert.notEqual(
        second.json().reference,
        first.json().reference,
        'after 24 hours the key starts a new report',
      );
    });

    test('downloads are attachments whatever the file name; quarantined files go out as bytes', async () => {
      const boundary = 'xHavenBoundary';
      const text = Buffer.from('curl -v https://app.acme.test/reset -d email=x\n');
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${JSON.stringify(named())}\r\n`,
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="poc\u202Etxt.exe\u00e9\u4e2d.txt"\r\nContent-Type: text/html\r\n\r\n`,
        ),
        text,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      assert.equal(response.statusCode, 201, response.body);
      const staff = (await owner.get(`/api/v1/orgs/acme/cases/${response.json().reference}`)).json();
      const [file] = staff.attachments;
      assert.equal(file.mediaType, 'text/plain');
      assert.equal(file.quarantined, true);
      assert.ok(!file.fileName.includes('\u202E'));
      const download = await owner.get(`/api/v1/orgs/acme/cases/${staff.reference}/attachments/${file.id}`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/octet-stream');
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="?[^"\r\n]*"?; filename\*=UTF-8''/,
      );
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(download.rawPayload, text);
      const missing = await owner.get(
        `/api/v1/orgs/acme/cases/${staff.reference}/attachments/00000000-0000-4000-8000-000000000000`,
      );
      assert.equal(missing.statusCode, 404);
    });
  });
}
