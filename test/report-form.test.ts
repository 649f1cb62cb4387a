import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import type { RateLimiter } from '../src/platform/rate-limiter.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  publishPreset,
  setUp,
  solveProofOfWork,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const STEPS =
  'Op de inlogpagina wordt de parameter redirect niet gecontroleerd. Een aanvaller kan daardoor een link maken die na het inloggen naar een eigen website doorstuurt. Ik heb dit alleen met mijn eigen account getest.';

type FormFile = { field: 'attachments' | 'proofOfConcept'; name: string; type: string; bytes: Buffer };

/** A multipart body as a browser sends the report form: flat text fields, then files. */
function formBody(fields: Record<string, string>, files: FormFile[] = []) {
  const boundary = `----havenform${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
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

/** What a reader sees: tags dropped, entities decoded, spaces collapsed. */
function visibleText(page: string): string {
  return page
    .replace(/<head>[\s\S]*<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function hiddenValue(page: string, name: string): string {
  const value = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page)?.[1];
  assert.ok(value !== undefined, `hidden field ${name}`);
  return value;
}

function assertPage(response: LightMyRequestResponse, status: number) {
  assert.equal(response.statusCode, status, visibleText(response.body).slice(0, 600));
  assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
  assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
  assert.match(response.body, /^<!doctype html>/);
  // No inline scripts or styles: every script is a file Haven serves itself.
  for (const tag of response.body.match(/<script\b[^>]*>/g) ?? []) {
    assert.match(tag, /^<script src="\/assets\/altcha\/[a-z-]+\.[0-9a-f]{12}\.js" defer>$/);
  }
  assert.doesNotMatch(response.body, /<script\b[^>]*>[^<]/);
  assert.doesNotMatch(response.body, /\sstyle=/i);
}

async function screenshotPng(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .png()
    .toBuffer();
}

for (const engine of engines()) {
  describe(`report form on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let refuseSubmissions = false;
    /** The per-client limit, switched from the test: no test-only branch in src/. */
    const submissions: RateLimiter = {
      consume: () =>
        refuseSubmissions
          ? { allowed: false, retryAfterSeconds: 150 }
          : { allowed: true, retryAfterSeconds: 0 },
      reset: () => {},
    };

    before(async () => {
      haven = await startTestHaven(engine, { limits: { submissionsPerClient: submissions } });
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', 'reconi');
      const eva = await addOrganisationWithMember(haven, 'econnect', {
        email: 'eva@econnect.test',
        role: 'owner',
      });
      await publishPreset(eva, 'econnect', 'econnect');
      await addOrganisationWithMember(haven, 'quiet', { email: 'quinn@quiet.test', role: 'owner' });
    });
    after(async () => {
      const errors = haven?.logLines.filter((l) => /"level":50/.test(l)) ?? [];
      if (errors.length > 0) console.log(errors.join('\n'));
      await haven?.close();
    });

    const get = (url: string, headers: Record<string, string> = {}) =>
      haven.app.inject({ method: 'GET', url, headers });

    async function post(
      fields: Record<string, string>,
      o: { org?: string; files?: FormFile[]; headers?: Record<string, string>; query?: string } = {},
    ) {
      const { payload, headers } = formBody(fields, o.files);
      return haven.app.inject({
        method: 'POST',
        url: `/o/${o.org ?? 'acme'}/report${o.query ?? ''}`,
        payload,
        headers: { ...headers, origin: 'https://haven.test', 'sec-fetch-site': 'same-origin', ...o.headers },
      });
    }

    /** A fresh form's hidden fields, and a complete anonymous report for acme (reconi). */
    async function filledForm(overrides: Record<string, string> = {}, org = 'acme') {
      const form = await get(`/o/${org}/report`, { 'accept-language': 'nl' });
      assert.equal(form.statusCode, 200);
      return {
        formNonce: hiddenValue(form.body, 'formNonce'),
        formLanguage: hiddenValue(form.body, 'formLanguage'),
        acceptedPolicyVersion: /name="acceptedPolicyVersion" value="(\d+)"/.exec(form.body)?.[1] ?? '',
        title: 'Open redirect op de inlogpagina',
        assets:
          'https://app.acme.test/login?redirect=https://evil.test\r\n\r\n  https://app.acme.test/logout  \r\n',
        ipAddresses: '192.0.2.10\r\n',
        objects: 'parameter redirect',
        steps: STEPS,
        impact: 'Phishing met een vertrouwd adres.',
        proofOfConceptText: '',
        cwe: '601',
        identity: 'anonymous',
        name: 'Not sent for an anonymous report',
        email: '',
        phone: '',
        openpgpKey: '',
        language: 'nl',
        acceptPolicy: 'yes',
        website: '',
        altcha: await solveProofOfWork(haven.app, org),
        ...overrides,
      };
    }

    test('the form follows the published policy: reconi takes named and anonymous reports', async () => {
      const response = await get('/o/acme/report', { 'accept-language': 'nl' });
      assertPage(response, 200);
      const page = response.body;
      assert.match(page, /<html lang="nl">/);
      assert.match(page, /name="identity" value="named"/);
      assert.match(page, /name="identity" value="anonymous"/);
      assert.doesNotMatch(page, /name="identity" value="alias"/);
      assert.doesNotMatch(page, /name="alias"/);
      // The acceptance of the version shown, with a link to exactly that version.
      assert.match(
        page,
        /<input class="check" id="f-acceptPolicy" name="acceptPolicy" type="checkbox" value="yes" required/,
      );
      assert.match(
        page,
        /<a href="\/o\/acme\?version=1" target="_blank" rel="noopener">meldbeleid \(versie 1\)<\/a>/,
      );
      assert.equal(hiddenValue(page, 'acceptedPolicyVersion'), '1');
      assert.match(hiddenValue(page, 'formNonce'), /^[A-Za-z0-9_-]{22}$/);
      // Details the policy asks for are marked; those it does not ask for are still there.
      assert.match(
        page,
        /for="f-ipAddresses">IP-adressen <span class="field-tag">gevraagd in het beleid<\/span>/,
      );
      assert.match(page, /for="f-impact">Impact<\/label>/);
      // Required contact details: reconi requires none; no credit (no hall of fame, no advisories).
      assert.doesNotMatch(page, /id="f-email"[^>]*required/);
      assert.doesNotMatch(page, /name="creditWanted"/);
      // Files: what the policy allows, and the proof-of-concept input that keeps originals.
      assert.match(
        visibleText(page),
        /Je mag tekstbestanden en afbeeldingen bijvoegen: hoogstens 10 bestanden, elk hoogstens 10 MB\./,
      );
      assert.match(
        page,
        /<input class="file-input" id="f-attachments" name="attachments" type="file" multiple/,
      );
      assert.match(
        page,
        /<input class="file-input" id="f-proofOfConceptFiles" name="proofOfConcept" type="file" multiple/,
      );
      // The honeypot is out of sight and out of reach for people and password managers.
      assert.match(
        page,
        /<div class="hp-field" aria-hidden="true">\s*<label for="f-website">[^<]*<\/label>\s*<input id="f-website" name="website" type="text" value="" tabindex="-1" autocomplete="off">/,
      );
      // The ALTCHA widget, self-hosted, asks Haven's challenge endpoint.
      assert.match(
        page,
        /<altcha-widget challenge="\/api\/v1\/orgs\/acme\/reports\/challenge" name="altcha" auto="onsubmit" language="nl"/,
      );
      assert.match(page, /<link rel="stylesheet" href="\/assets\/altcha\/altcha\.[0-9a-f]{12}\.css">/);
      assert.doesNotMatch(page, /https?:\/\/(?!haven\.test)[a-z0-9.-]+\/[^"]*\.(js|css)/);
    });

    test('the widget, its styles and its worker come from Haven, cacheable for a year', async () => {
      const page = (await get('/o/acme/report')).body;
      const assets = [...page.matchAll(/(?:src|href)="(\/assets\/altcha\/[^"]+)"/g)].map((m) => m[1] ?? '');
      assert.equal(assets.length, 4, 'widget, Dutch texts, worker setup and stylesheet');
      let setup = '';
      for (const url of assets) {
        const asset = await get(url);
        assert.equal(asset.statusCode, 200, url);
        assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.match(
          String(asset.headers['content-type']),
          url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
        );
        if (url.includes('altcha-setup')) setup = asset.body;
      }
      const worker = /new Worker\("(\/assets\/altcha\/altcha-sha\.[0-9a-f]{12}\.js)"\)/.exec(setup)?.[1];
      assert.ok(worker, 'the setup registers the self-hosted worker');
      const workerFile = await get(worker);
      assert.equal(workerFile.statusCode, 200);
      assert.match(workerFile.body, /addEventListener|onmessage/);
      assert.equal((await get('/assets/altcha/nothing.0123456789ab.js')).statusCode, 404);
    });

    test('an organisation without a policy gets a permissive form; an unknown one the not-found page', async () => {
      const quiet = await get('/o/quiet/report');
      assertPage(quiet, 200);
      assert.doesNotMatch(quiet.body, /name="acceptPolicy"/);
      assert.doesNotMatch(quiet.body, /name="acceptedPolicyVersion"/);
      for (const mode of ['named', 'alias', 'anonymous'])
        assert.match(quiet.body, new RegExp(`value="${mode}"`));
      const missing = await get('/o/nobody-here/report');
      assert.equal(missing.statusCode, 404);
      assert.match(visibleText(missing.body), /There is no organisation at this address\./);

      const form = await filledForm({ acceptedPolicyVersion: '', acceptPolicy: '' }, 'quiet');
      const response = await post(form, { org: 'quiet' });
      assertPage(response, 201);
      const reference = /QUIET-20\d\d-\d{4}/.exec(response.body)?.[0];
      assert.ok(reference);
      const quinn = await addOrganisationWithMember(
        haven,
        'quiet',
        { email: 'quentin@quiet.test', role: 'owner' },
        true,
      );
      const staff = (await quinn.get(`/api/v1/orgs/quiet/cases/${reference}`)).json();
      assert.equal(staff.report.policyVersion, null);
    });

    test('a complete report with a screenshot: 201 with the reference and the private link, once per nonce', async () => {
      const form = await filledForm();
      const png = await screenshotPng();
      const files: FormFile[] = [{ field: 'attachments', name: 'scherm.png', type: 'image/png', bytes: png }];
      const first = await post(form, { files });
      assertPage(first, 201);
      const reference = /ACME-20\d\d-\d{4}/.exec(first.body)?.[0];
      assert.ok(reference, 'the reference is shown');
      const link = /https:\/\/haven\.test\/r\/havenr_[A-Za-z0-9_-]{43}/.exec(first.body)?.[0];
      assert.ok(link, 'the private link is shown');
      const text = visibleText(first.body);
      assert.match(text, /Houd deze link geheim\./);
      assert.match(text, /binnen 2 werkdagen/, 'the promise of the accepted policy');
      assert.match(text, /Zonder e-mailadres is een verloren link niet terug te halen/);
      assert.match(first.body, /href="\/r\/case\/receipt" download/);
      // The browser has the case already: the cookie is the link's token, scoped to /r.
      const cookie = first.cookies.find((c) => c.name === '__Secure-haven_reporter');
      assert.equal(cookie?.value, link.slice(link.lastIndexOf('/') + 1));
      assert.equal(cookie?.path, '/r');

      // A double click (or a reload of the POST) sends the same nonce: the same case, not a second one.
      // Under Referrer-Policy: no-referrer, Chrome posts its forms with `Origin: null`.
      const again = await post(form, { files, headers: { origin: 'null' } });
      assertPage(again, 201);
      assert.equal(/ACME-20\d\d-\d{4}/.exec(again.body)?.[0], reference);
      const cases = (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases;
      assert.equal(cases.filter((c: { reference: string }) => c.reference === reference).length, 1);

      const staff = (await owner.get(`/api/v1/orgs/acme/cases/${reference}`)).json();
      assert.equal(staff.channel, 'web');
      assert.deepEqual(staff.report.assets, [
        'https://app.acme.test/login?redirect=https://evil.test',
        'https://app.acme.test/logout',
      ]);
      assert.deepEqual(staff.report.ipAddresses, ['192.0.2.10']);
      assert.equal(staff.report.cwe, 'CWE-601');
      assert.equal(staff.report.policyVersion, 1);
      assert.equal(staff.report.policyAcceptance, 'explicit');
      assert.equal(staff.reporter.identity, 'anonymous');
      assert.equal(staff.reporter.name, null, 'a name typed before choosing "anonymous" is not sent');
      assert.equal(staff.attachments.length, 1);
      assert.equal(staff.attachments[0].reencoded, true);
    });

    test('econnect without a phone number: 422, the form again in Dutch with the input kept', async () => {
      const form = await filledForm(
        {
          title: 'Stored XSS in profiel <script>alert(1)</script>',
          identity: 'named',
          name: 'Eddy',
          email: 'eddy@example.test',
          steps: 'Zet <img src=x onerror=alert(1)> in je profielnaam en open daarna de ledenlijst.',
          formLanguage: 'nl',
        },
        'econnect',
      );
      const png = await screenshotPng();
      const response = await post(form, {
        org: 'econnect',
        files: [{ field: 'attachments', name: 'scherm.png', type: 'image/png', bytes: png }],
      });
      assertPage(response, 422);
      const page = response.body;
      assert.match(page, /<html lang="nl">/);
      assert.match(page, /<title>Fout: /);
      const text = visibleText(page);
      assert.match(text, /Je melding is nog niet verstuurd/);
      assert.match(text, /ECONNECT vraagt om je telefoonnummer\./);
      assert.match(page, /<a href="#f-phone">ECONNECT vraagt om je telefoonnummer\.<\/a>/);
      assert.match(
        page,
        /id="f-phone" name="phone" type="tel" value="" maxlength="40" required[^>]*aria-describedby="f-phone-hint f-phone-error" aria-invalid="true"/,
      );
      assert.match(text, /voeg je bestanden opnieuw toe/);
      // The input is back, escaped: the reporter's text is text.
      assert.match(page, /value="Stored XSS in profiel &lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      assert.match(page, /Zet &lt;img src=x onerror=alert\(1\)&gt; in je profielnaam/);
      assert.doesNotMatch(page, /<script>alert|<img src=x/);
      assert.match(page, /id="f-identity-named" name="identity" value="named" checked/);
      assert.equal(hiddenValue(page, 'formNonce'), form.formNonce);
      // Named and alias only: no anonymous choice on econnect, and e-mail and phone marked required.
      assert.doesNotMatch(page, /value="anonymous"/);
      assert.match(page, /for="f-email">E-mailadres <span class="field-flag">\(verplicht\)<\/span>/);

      // Corrected and sent again with the same nonce: now it goes through.
      const fixed = await post(
        { ...form, phone: '+31 6 12345678', altcha: await solveProofOfWork(haven.app, 'econnect') },
        { org: 'econnect' },
      );
      assertPage(fixed, 201);
      assert.match(fixed.body, /ECONNECT-20\d\d-\d{4}/);
      assert.match(visibleText(fixed.body), /We sturen een bevestiging met deze link naar het e-mailadres/);
    });

    test('refusals: honeypot, missing acceptance, bad lines, a used proof-of-work, too many reports', async () => {
      const honey = await post(await filledForm({ website: 'https://spam.example' }));
      assertPage(honey, 422);
      assert.match(honey.body, /<input id="f-website" name="website" type="text" value=""/);
      assert.match(honey.body, /<a href="#f-submit">/);

      const unaccepted = await post(await filledForm({ acceptPolicy: '' }));
      assertPage(unaccepted, 422);
      assert.match(visibleText(unaccepted.body), /Lees versie 1 van het meldbeleid en vink het vakje aan/);
      assert.match(unaccepted.body, /id="f-acceptPolicy"[^>]*aria-invalid="true"/);

      const bad = await post(
        await filledForm({ ipAddresses: '192.0.2.1\r\nnot-an-ip', cwe: 'XSS', title: 'ab', language: 'en' }),
      );
      assertPage(bad, 422);
      const text = visibleText(bad.body);
      assert.match(text, /‘not-an-ip’ is geen IPv4- of IPv6-adres\./);
      assert.match(text, /Geef een CWE-nummer zoals CWE-79/);
      assert.match(text, /Gebruik 3 tot 200 tekens voor de titel\./);
      // In the summary in page order: title first.
      const order = ['f-title', 'f-ipAddresses', 'f-cwe'].map((id) => bad.body.indexOf(`href="#${id}"`));
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
      );
      assert.match(bad.body, /id="f-language-en" name="language" value="en" checked/);

      const form = await filledForm({ title: 'Eerste met dit bewijs' });
      assertPage(await post(form), 201);
      const reused = await post({
        ...form,
        formNonce: 'another-nonce-0000000001',
        title: 'Tweede met hetzelfde bewijs',
      });
      assertPage(reused, 422);
      assert.match(reused.body, /De controle tegen misbruik is al gebruikt/);

      const withoutCheck = await post(await filledForm({ altcha: '' }));
      assertPage(withoutCheck, 422);
      assert.match(withoutCheck.body, /href="#f-altcha"/);

      refuseSubmissions = true;
      try {
        const limited = await post(await filledForm({ title: 'Te veel' }));
        assertPage(limited, 429);
        assert.equal(limited.headers['retry-after'], '150');
        assert.match(visibleText(limited.body), /Wacht 3 minuten en verstuur opnieuw\./);
        assert.match(limited.body, /value="Te veel"/);
      } finally {
        refuseSubmissions = false;
      }
    });

    test('the same nonce with other content is refused with a fresh nonce; German is refused in Dutch', async () => {
      const form = await filledForm({ title: 'Een melding met een nonce' });
      assertPage(await post(form), 201);
      const changed = await post({
        ...form,
        title: 'Iets heel anders',
        altcha: await solveProofOfWork(haven.app, 'acme'),
      });
      assertPage(changed, 409);
      assert.notEqual(hiddenValue(changed.body, 'formNonce'), form.formNonce);
      assert.match(
        visibleText(changed.body),
        /Met dit formulier is al een melding met een andere inhoud verstuurd/,
      );

      const german = await post(
        await filledForm({
          title: 'Offene Weiterleitung auf der Anmeldeseite',
          steps:
            'Auf der Anmeldeseite wird der Parameter redirect nicht geprüft. Ein Angreifer kann dadurch einen Link erstellen, der nach der Anmeldung auf eine eigene Webseite weiterleitet. Ich habe das mit meinem eigenen Konto getestet.',
          impact: '',
        }),
      );
      assertPage(german, 422);
      assert.match(
        visibleText(german.body),
        /Dit lijkt in het Duits geschreven\. Schrijf je melding in het Nederlands of Engels\./,
      );
    });

    test('cross-site posts are refused with 403 and make nothing; other bodies get a page, never a 500', async () => {
      const before = (await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length;
      const form = await filledForm({ title: 'Van een andere site' });
      const crossSite = await post(form, {
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
      });
      assert.equal(crossSite.statusCode, 403);
      assert.match(String(crossSite.headers['content-type']), /^text\/html/);
      const { payload, headers } = formBody(form);
      // An older browser without Sec-Fetch-Site: the Origin decides.
      const otherOrigin = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload,
        headers: { ...headers, origin: 'https://evil.test' },
      });
      assert.equal(otherOrigin.statusCode, 403);
      const nullOrigin = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload,
        headers: { ...headers, origin: 'null' },
      });
      assert.equal(nullOrigin.statusCode, 403);
      const sameSite = await post(form, {
        headers: { 'sec-fetch-site': 'same-site', origin: 'https://haven.test' },
      });
      assert.equal(sameSite.statusCode, 403);
      assert.equal((await owner.get('/api/v1/orgs/acme/cases?limit=200')).json().cases.length, before);

      const urlencoded = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload: 'title=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://haven.test' },
      });
      assert.equal(urlencoded.statusCode, 415);
      assert.match(String(urlencoded.headers['content-type']), /^text\/html/);
      const json = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload: { title: 'x' },
        headers: { origin: 'https://haven.test' },
      });
      assertPage(json, 415);
      const broken = await haven.app.inject({
        method: 'POST',
        url: '/o/acme/report',
        payload: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
        headers: { 'content-type': 'multipart/form-data; boundary=x', origin: 'https://haven.test' },
      });
      assert.ok(broken.statusCode >= 400 && broken.statusCode < 500, String(broken.statusCode));
      const nul = await post(await filledForm({ title: 'Nul\u0000byte' }));
      assertPage(nul, 422);
      const missing = await post({ title: 'x' }, { org: 'nobody-here' });
      assert.equal(missing.statusCode, 404);
    });
  });
}
