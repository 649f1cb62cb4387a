import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  addOrganisationWithMember,
  type client,
  engines,
  eventually,
  publishPreset,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const STEPS =
  'Op de inlogpagina wordt de parameter redirect niet gecontroleerd. Een aanvaller kan daardoor een link maken die na het inloggen naar een eigen website doorstuurt. Ik heb dit alleen met mijn eigen account getest.';

function namedReport(title: string, name: string, email: string) {
  return {
    title,
    assets: ['https://app.example.test/login'],
    steps: STEPS,
    reporter: { identity: 'named', name, email },
    language: 'nl',
    acceptedPolicyVersion: 1,
  };
}

type Summary = { id: string; date: string | null; from: string; to: string; subject: string };

for (const engine of engines()) {
  describe(`dev mailbox on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let coordinator: ReturnType<typeof client>;
    let globexOwner: ReturnType<typeof client>;
    let acmeReference: string;
    let globexReference: string;

    async function submit(org: string, body: unknown) {
      const response = await haven.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${org}/reports`,
        payload: body as object,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { reference: string; token: string };
    }

    async function listed(c: ReturnType<typeof client>, org: string, reference: string) {
      const response = await c.get(`/api/v1/orgs/${org}/dev-mailbox`);
      assert.equal(response.statusCode, 200, response.body);
      // The reporter's mail about the case, not the team's notice of it ("[Acme] Case …").
      return (response.json().messages as Summary[]).find(
        (m) => m.subject.includes(reference) && !m.subject.startsWith('['),
      );
    }

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
      coordinator = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'cor@acme.test', role: 'coordinator' },
        true,
      );
      globexOwner = await addOrganisationWithMember(haven, 'globex', {
        email: 'gina@globex.test',
        role: 'owner',
      });
      await publishPreset(globexOwner, 'globex', 'reconi');
      acmeReference = (
        await submit('acme', namedReport('Open redirect bij Acme', 'Piet', 'piet@example.test'))
      ).reference;
      globexReference = (
        await submit('globex', namedReport('Open redirect bij Globex', 'Gerda', 'gerda@example.test'))
      ).reference;
      await eventually(() => listed(owner, 'acme', acmeReference));
      await eventually(() => listed(globexOwner, 'globex', globexReference));
    });
    after(() => haven?.close());

    test("an owner sees the acknowledgement of their organisation's report, with the private link", async () => {
      const list = await owner.get('/api/v1/orgs/acme/dev-mailbox');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().truncated, false);
      const summary = (list.json().messages as Summary[]).find(
        (m) => m.subject.includes(acmeReference) && !m.subject.startsWith('['),
      );
      assert.ok(summary, 'the acknowledgement is listed');
      assert.match(summary.to, /piet@example\.test/);
      assert.ok(summary.date && !Number.isNaN(Date.parse(summary.date)));

      const one = await owner.get(`/api/v1/orgs/acme/dev-mailbox/${summary.id}`);
      assert.equal(one.statusCode, 200, one.body);
      assert.equal(one.json().subject, summary.subject);
      const text: string = one.json().text;
      assert.match(text, /Hallo Piet,/);
      assert.ok(text.includes(acmeReference));
      // Decoded: the link is whole, not broken by quoted-printable soft line breaks or escapes.
      assert.match(text, /https:\/\/haven\.test\/r\/havenr_[A-Za-z0-9_-]{43}\b/);
      assert.ok(!/=\r?\n|=3D/.test(text), 'no quoted-printable left in the text');
    });

    test('newest first', async () => {
      const second = await submit(
        'acme',
        namedReport('Tweede melding bij Acme', 'Piet', 'piet@example.test'),
      );
      await eventually(() => listed(owner, 'acme', second.reference));
      const messages = (await owner.get('/api/v1/orgs/acme/dev-mailbox')).json().messages as Summary[];
      const newer = messages.findIndex((m) => m.subject.includes(second.reference));
      const older = messages.findIndex((m) => m.subject.includes(acmeReference));
      assert.ok(newer !== -1 && older !== -1 && newer < older, 'the newer message comes first');
    });

    test('a coordinator is refused (403), and so is an API token, even an owner’s', async () => {
      const list = await coordinator.get('/api/v1/orgs/acme/dev-mailbox');
      assert.equal(list.statusCode, 403, list.body);
      assert.equal(list.json().error.code, 'auth.forbidden');
      const summary = await listed(owner, 'acme', acmeReference);
      assert.ok(summary);
      const one = await coordinator.get(`/api/v1/orgs/acme/dev-mailbox/${summary.id}`);
      assert.equal(one.statusCode, 403);
      assert.ok(!one.body.includes('havenr_'));

      const created = await owner.post('/api/v1/orgs/acme/tokens', {
        name: 'script',
        scopes: ['org:read', 'cases:read'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const bearer = { authorization: `Bearer ${created.json().token}` };
      for (const url of ['/api/v1/orgs/acme/dev-mailbox', `/api/v1/orgs/acme/dev-mailbox/${summary.id}`]) {
        const response = await haven.app.inject({ url, headers: bearer });
        assert.equal(response.statusCode, 403, `${url}: ${response.body}`);
      }
    });

    test("an owner of another organisation never sees acme's mail", async () => {
      const acme = await listed(owner, 'acme', acmeReference);
      assert.ok(acme);
      const globexList = (await globexOwner.get('/api/v1/orgs/globex/dev-mailbox')).json()
        .messages as Summary[];
      assert.ok(globexList.some((m) => m.subject.includes(globexReference)));
      assert.ok(!globexList.some((m) => m.subject.includes(acmeReference)), "no acme mail in globex's list");
      assert.ok(!globexList.some((m) => m.id === acme.id));
      const acmeList = (await owner.get('/api/v1/orgs/acme/dev-mailbox')).json().messages as Summary[];
      assert.ok(!acmeList.some((m) => m.subject.includes(globexReference)), "no globex mail in acme's list");

      // Acme's message id through globex: as absent as a missing file.
      const through = await globexOwner.get(`/api/v1/orgs/globex/dev-mailbox/${acme.id}`);
      assert.equal(through.statusCode, 404, through.body);
      assert.equal(through.json().error.code, 'request.not_found');
      // Acme's mailbox itself: globex's owner is no member of acme.
      const direct = await globexOwner.get('/api/v1/orgs/acme/dev-mailbox');
      assert.equal(direct.statusCode, 404);
      assert.equal(direct.json().error.code, 'org.not_found');
    });

    test('ids that are not outbox file names get 404 or 422, never a 500 or a file', async () => {
      // A file beside the outbox that a path escape would reach.
      fs.writeFileSync(path.join(haven.outbox, '..', 'secret.eml'), 'X-Haven-Organisation: x\n\nsecret');
      const ids = [
        '../x',
        '..%2Fx',
        '%2e%2e',
        '%2e%2e%2fsecret.eml',
        '..%2Fsecret.eml',
        '..%5Csecret.eml',
        '.',
        'x.eml',
        '2026-01-01T00-00-00-000Z-abcdefgh.eml',
        '2026-01-01T00-00-00-000Z-abcdefgh.eml%00',
        `${'a'.repeat(300)}.eml`,
        '%ZZ',
        '.2026-01-01T00-00-00-000Z-abcdefgh.eml.tmp',
      ];
      for (const id of ids) {
        const response = await owner.get(`/api/v1/orgs/acme/dev-mailbox/${id}`);
        assert.ok([400, 404, 422].includes(response.statusCode), `${id}: ${response.statusCode}`);
        assert.ok(!response.body.includes('secret'), `${id} leaks nothing`);
      }
      const missing = await owner.get('/api/v1/orgs/acme/dev-mailbox/2026-01-01T00-00-00-000Z-abcdefgh.eml');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'request.not_found');
      const escaped = await owner.get('/api/v1/orgs/acme/dev-mailbox/..%2Fsecret.eml');
      assert.equal(escaped.statusCode, 422, 'refused by the id pattern before any file is opened');
    });
  });

  describe(`dev mailbox with SMTP configured, on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    before(async () => {
      haven = await startTestHaven(engine, { env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
      owner = await setUp(haven);
    });
    after(() => haven?.close());

    test('there is no dev mailbox: 404', async () => {
      const list = await owner.get('/api/v1/orgs/acme/dev-mailbox');
      assert.equal(list.statusCode, 404, list.body);
      assert.equal(list.json().error.code, 'request.not_found');
      const one = await owner.get('/api/v1/orgs/acme/dev-mailbox/2026-01-01T00-00-00-000Z-abcdefgh.eml');
      assert.equal(one.statusCode, 404);
    });
  });
}
