import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import {
  addOrganisationWithMember,
  client,
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

const DUTCH_STEPS =
  'Op de inlogpagina wordt de parameter redirect niet gecontroleerd. Een aanvaller kan daardoor een link maken die na het inloggen naar een eigen website doorstuurt. Ik heb dit getest met mijn eigen account en geen gegevens van anderen bekeken. Het probleem is eenvoudig te herstellen door alleen interne adressen toe te staan.';
const GERMAN_STEPS =
  'Auf der Anmeldeseite wird der Parameter redirect nicht geprüft. Ein Angreifer kann dadurch einen Link erstellen, der nach der Anmeldung auf eine eigene Webseite weiterleitet. Ich habe das mit meinem eigenen Konto getestet und keine Daten anderer Personen angesehen. Das Problem lässt sich leicht beheben, indem nur interne Adressen erlaubt werden.';

function report(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Open redirect op de inlogpagina',
    assets: ['https://app.acme.test/login?redirect=https://evil.test'],
    ipAddresses: ['192.0.2.10'],
    steps: DUTCH_STEPS,
    impact: 'Phishing met een vertrouwd adres.',
    reporter: { identity: 'anonymous' },
    language: 'nl',
    acceptedPolicyVersion: 1,
    ...overrides,
  };
}

/** A multipart body with part `report` (JSON) and files. */
function multipart(json: unknown, files: { field?: string; name: string; type: string; bytes: Buffer }[]) {
  const boundary = `----haven${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${JSON.stringify(json)}\r\n`,
    ),
  ];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'attachments'}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'HavenTestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 22/1 0/1' } })
    .toBuffer();
}

for (const engine of engines()) {
  describe(`intake on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
      const econnect = await addOrganisationWithMember(haven, 'econnect', {
        email: 'eva@econnect.test',
        role: 'owner',
      });
      void econnect;
    });
    after(() => haven?.close());

    async function submit(body: unknown, headers: Record<string, string> = {}, org = 'acme') {
      return haven.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${org}/reports`,
        payload: body as object,
        headers,
      });
    }

    test('an anonymous report with proof-of-work becomes a case the team and the reporter can read', async () => {
      const altcha = await solveProofOfWork(haven.app, 'acme');
      const response = await submit(report({ altcha }));
      assert.equal(response.statusCode, 201, response.body);
      const receipt = response.json();
      assert.match(receipt.reference, /^ACME-20\d\d-0001$/);
      assert.match(receipt.token, /^havenr_[A-Za-z0-9_-]{43}$/);
      assert.equal(receipt.caseUrl, `https://haven.test/r/${receipt.token}`);

      const list = await owner.get('/api/v1/orgs/acme/cases');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().cases[0].reference, receipt.reference);
      const staff = await owner.get(`/api/v1/orgs/acme/cases/${receipt.reference}`);
      assert.equal(staff.statusCode, 200, staff.body);
      assert.deepEqual(staff.json().report.ipAddresses, ['192.0.2.10']);
      assert.equal(staff.json().report.policyAcceptance, 'explicit');
      assert.equal(staff.json().state, 'received');

      const mine = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: { authorization: `Bearer ${receipt.token}` },
      });
      assert.equal(mine.statusCode, 200, mine.body);
      assert.equal(mine.json().reference, receipt.reference);
      assert.equal(mine.json().recoverable, false);
    });

    test('the same proof-of-work does not work twice, and none at all is refused', async () => {
      const altcha = await solveProofOfWork(haven.app, 'acme');
      assert.equal((await submit(report({ altcha, title: 'Eerste melding' }))).statusCode, 201);
      const again = await submit(report({ altcha, title: 'Tweede melding' }));
      assert.equal(again.statusCode, 422);
      assert.equal(again.json().error.code, 'report.proof_of_work_invalid');
      const none = await submit(report({ title: 'Zonder bewijs' }));
      assert.equal(none.statusCode, 422);
      assert.equal(none.json().error.code, 'report.proof_of_work_required');
    });

    test('a report in German is refused by a policy that takes Dutch and English', async () => {
      const altcha = await solveProofOfWork(haven.app, 'acme');
      const response = await submit(
        report({
          altcha,
          title: 'Offene Weiterleitung auf der Anmeldeseite',
          steps: GERMAN_STEPS,
          impact: '',
        }),
      );
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'report.language_not_accepted');
      assert.equal(response.json().error.details[0].message, 'de');
    });

    test('a retry with the same Idempotency-Key returns the same reference and token', async () => {
      const body = report({ reporter: { identity: 'named', name: 'Nina', email: 'nina@example.test' } });
      const headers = { 'idempotency-key': 'retry-0001-abcdef' };
      const first = await submit(body, headers);
      assert.equal(first.statusCode, 201, first.body);
      const second = await submit(body, headers);
      assert.equal(second.statusCode, 201);
      assert.deepEqual(second.json(), first.json());
      const other = await submit({ ...body, title: 'Iets anders' }, headers);
      assert.equal(other.statusCode, 409);
      assert.equal(other.json().error.code, 'report.idempotency_conflict');
      const all = await owner.get('/api/v1/orgs/acme/cases?limit=200');
      assert.equal(
        all.json().cases.filter((c: { reference: string }) => c.reference === first.json().reference).length,
        1,
      );
    });

    test('the acknowledgement mail carries the reference, a working link and the promises, not the report', async () => {
      const body = report({
        title: 'Melding met bevestiging',
        reporter: { identity: 'named', name: 'Piet', email: 'piet@example.test' },
      });
      const response = await submit(body);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      // The team's notice of the new case goes out too; this is the reporter's mail.
      const raw = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => m.includes(reference) && /^To: piet@example\.test/m.test(m)),
      );
      assert.match(raw, /^Auto-Submitted: auto-generated/m);
      const text = mailText(raw);
      assert.match(text, /Hallo Piet,/);
      assert.match(text, /binnen 2 werkdagen/);
      assert.ok(!text.includes('inlogpagina wordt de parameter'), 'the report text is not in the mail');
      const link = /https:\/\/haven\.test\/r\/(havenr_[A-Za-z0-9_-]+)/.exec(text)?.[1];
      assert.ok(link);
      const mine = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: { authorization: `Bearer ${link}` },
      });
      assert.equal(mine.json().reference, reference);
      // The event is recorded right after the mail went out: the reporter's timeline shows it.
      await eventually(async () => {
        const view = await haven.app.inject({
          method: 'GET',
          url: '/api/v1/reporter/case',
          headers: { authorization: `Bearer ${link}` },
        });
        return (
          view.json().timeline.some((e: { kind: string }) => e.kind === 'acknowledgement.sent') || undefined
        );
      });
    });

    test('a JPEG with GPS comes out of the blob store without EXIF, and no copy with EXIF is kept', async () => {
      const altcha = await solveProofOfWork(haven.app, 'acme');
      const jpeg = await jpegWithGps();
      assert.ok((await sharp(jpeg).metadata()).exif);
      const { payload, headers } = multipart(report({ altcha, title: 'Schermafdruk met locatie' }), [
        { name: 'screenshot.jpg', type: 'image/jpeg', bytes: jpeg },
      ]);
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload,
        headers,
      });
      assert.equal(response.statusCode, 201, response.body);
      const staff = (await owner.get(`/api/v1/orgs/acme/cases/${response.json().reference}`)).json();
      const [attachment] = staff.attachments;
      assert.equal(attachment.mediaType, 'image/jpeg');
      assert.equal(attachment.reencoded, true);
      assert.equal(attachment.hasOriginal, false);
      const download = await owner.get(
        `/api/v1/orgs/acme/cases/${staff.reference}/attachments/${attachment.id}`,
      );
      assert.equal(download.statusCode, 200);
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="?screenshot\.jpg"?/,
      );
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      const meta = await sharp(download.rawPayload).metadata();
      assert.equal(meta.exif, undefined);
      assert.equal(meta.width, 64);
      assert.ok(!download.rawPayload.includes(Buffer.from('HavenTestCam')));
      const original = await owner.get(
        `/api/v1/orgs/acme/cases/${staff.reference}/attachments/${attachment.id}?variant=original`,
      );
      assert.equal(original.statusCode, 404);
    });

    test('econnect: no phone number is 422 naming contact.phone; a PDF is attachment.type_not_allowed', async () => {
      const eva = client(haven.app);
      const signIn = await eva.post('/api/v1/auth/sign-in', {
        email: 'eva@econnect.test',
        password: 'correct horse battery staple',
      });
      assert.equal(signIn.statusCode, 200, signIn.body);
      await publishPreset(eva, 'econnect', 'econnect');
      const named = { identity: 'named', name: 'Eddy', email: 'eddy@example.test' };
      const noPhone = await submit(
        report({ reporter: named, language: 'en', title: 'Stored XSS in profile' }),
        {},
        'econnect',
      );
      assert.equal(noPhone.statusCode, 422, noPhone.body);
      assert.equal(noPhone.json().error.code, 'policy.contact_required');
      assert.deepEqual(
        noPhone.json().error.details.map((d: { field: string }) => d.field),
        ['contact.phone'],
      );

      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const { payload, headers } = multipart(
        report({
          reporter: { ...named, phone: '+31 6 12345678' },
          language: 'en',
          title: 'Stored XSS in profile',
        }),
        [{ name: 'report.png', type: 'image/png', bytes: pdf }],
      );
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/econnect/reports',
        payload,
        headers,
      });
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'attachment.type_not_allowed');
    });

    test('required contact details are asked of named reporters, not of anonymous ones', async () => {
      const { presetSettings } = await import('../src/policies/presets/index.ts');
      await addOrganisationWithMember(haven, 'anon', { email: 'ann@anon.test', role: 'owner' });
      const ann = client(haven.app);
      await ann.post('/api/v1/auth/sign-in', {
        email: 'ann@anon.test',
        password: 'correct horse battery staple',
      });
      const settings = presetSettings('reconi');
      settings.intake.requiredContact = ['email'];
      assert.equal((await ann.put('/api/v1/orgs/anon/policy/draft', settings)).statusCode, 200);
      assert.equal((await ann.post('/api/v1/orgs/anon/policy/publish')).statusCode, 201);
      const altcha = await solveProofOfWork(haven.app, 'anon');
      const anonymous = await submit(report({ altcha }), {}, 'anon');
      assert.equal(anonymous.statusCode, 201, anonymous.body);
      const namedWithout = await submit(report({ reporter: { identity: 'named', name: 'Nel' } }), {}, 'anon');
      assert.equal(namedWithout.statusCode, 422);
      assert.deepEqual(
        namedWithout.json().error.details.map((d: { field: string }) => d.field),
        ['contact.email'],
      );
    });

    test("a reporter's token opens only its own case, and internal notes never reach the reporter", async () => {
      const a = (
        await submit(report({ title: 'Zaak A', reporter: { identity: 'named', name: 'A' } }))
      ).json();
      const b = (
        await submit(report({ title: 'Zaak B', reporter: { identity: 'named', name: 'B' } }))
      ).json();
      const note = await owner.post(`/api/v1/orgs/acme/cases/${b.reference}/notes`, {
        body: 'INTERNAL: reporter seems to be a competitor',
      });
      assert.equal(note.statusCode, 201, note.body);
      const reply = await owner.post(`/api/v1/orgs/acme/cases/${b.reference}/messages`, {
        body: 'Dank je, we kijken ernaar.',
      });
      assert.equal(reply.statusCode, 201, reply.body);
      const asB = { authorization: `Bearer ${b.token}` };
      for (const url of ['/api/v1/reporter/case', '/api/v1/reporter/case/messages']) {
        const response = await haven.app.inject({ method: 'GET', url, headers: asB });
        assert.equal(response.statusCode, 200);
        assert.ok(!response.body.includes('INTERNAL'), `${url} leaks the note`);
        assert.ok(!response.body.includes('note.added'));
      }
      const view = (
        await haven.app.inject({ method: 'GET', url: '/api/v1/reporter/case', headers: asB })
      ).json();
      assert.equal(view.messages[0].from, 'team');
      assert.equal(view.reference, b.reference);
      const withA = await haven.app.inject({
        method: 'GET',
        url: '/api/v1/reporter/case',
        headers: { authorization: `Bearer ${a.token}` },
      });
      assert.equal(withA.json().reference, a.reference);
      // A reporter token is no staff credential.
      const staffWithToken = await haven.app.inject({
        method: 'GET',
        url: `/api/v1/orgs/acme/cases/${a.reference}`,
        headers: asB,
      });
      assert.equal(staffWithToken.statusCode, 401);
    });
  });
}
