import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { presetSettings } from '../src/policies/presets/index.ts';
import {
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

const COOKIE = '__Secure-haven_reporter';
const STEPS =
  'Op de inlogpagina wordt de parameter redirect niet gecontroleerd. Een aanvaller kan daardoor een link maken die na het inloggen naar een eigen website doorstuurt.';

/** A multipart body as the case page's forms send it. */
function formBody(
  fields: Record<string, string>,
  files: { name: string; type: string; bytes: Buffer }[] = [],
) {
  const boundary = `----havencase${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
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

/** Every /r answer: never cached, no referrer, and no scripts. */
function assertPrivate(response: LightMyRequestResponse, status: number) {
  assert.equal(response.statusCode, status, visibleText(response.body).slice(0, 500));
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
  if (String(response.headers['content-type']).startsWith('text/html')) {
    assert.doesNotMatch(response.body, /<script/i);
    assert.doesNotMatch(response.body, /\sstyle=/i);
  }
}

function csrfOf(page: string): string {
  const value = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(page)?.[1];
  assert.ok(value, 'the page carries the CSRF field');
  return value;
}

for (const engine of engines()) {
  describe(`reporter pages on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let version = 0;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      version = await publishPreset(owner, 'acme', 'reconi');
    });
    after(async () => {
      const errors = haven?.logLines.filter((l) => /"level":50/.test(l)) ?? [];
      if (errors.length > 0) console.log(errors.join('\n'));
      await haven?.close();
    });

    const get = (url: string, headers: Record<string, string> = {}) =>
      haven.app.inject({ method: 'GET', url, headers });

    async function report(overrides: Record<string, unknown> = {}) {
      const altcha = await solveProofOfWork(haven.app, 'acme');
      const response = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/reports',
        payload: {
          title: 'Open redirect op de inlogpagina',
          steps: STEPS,
          reporter: { identity: 'anonymous' },
          language: 'nl',
          acceptedPolicyVersion: version,
          altcha,
          ...overrides,
        },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { reference: string; token: string; caseUrl: string };
    }

    /** Opens the link as the browser does: the cookie it answers with, for the /r pages. */
    async function open(token: string) {
      const response = await get(`/r/${token}`);
      assertPrivate(response, 303);
      const cookie = response.cookies.find((c) => c.name === COOKIE);
      assert.ok(cookie?.value);
      return `${COOKIE}=${cookie.value}`;
    }

    async function postForm(
      url: string,
      cookie: string | undefined,
      fields: Record<string, string>,
      headers = {},
    ) {
      const { payload, headers: type } = formBody(fields);
      return haven.app.inject({
        method: 'POST',
        url,
        payload,
        headers: {
          ...type,
          origin: 'https://haven.test',
          'sec-fetch-site': 'same-origin',
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
      });
    }

    test('the link is swapped for a path-scoped, strict cookie and a redirect without the token', async () => {
      const { token } = await report();
      const response = await get(`/r/${token}`);
      assertPrivate(response, 303);
      assert.equal(response.headers.location, '/r/case');
      const raw = String(response.headers['set-cookie']);
      assert.match(raw, new RegExp(`^${COOKIE}=${token};`));
      assert.match(raw, /; Path=\/r(;|$)/);
      assert.match(raw, /; HttpOnly/);
      assert.match(raw, /; Secure/);
      assert.match(raw, /; SameSite=Strict/);
      assert.ok(!response.body.includes(token));

      for (const bad of ['havenr_nope', `havenr_${'A'.repeat(43)}`, 'case-but-not']) {
        const invalid = await get(`/r/${bad}`, { 'accept-language': 'nl' });
        assertPrivate(invalid, 404);
        const text = visibleText(invalid.body);
        assert.match(text, /Deze link werkt niet/);
        assert.match(text, /This link does not work/, 'both languages');
        assert.match(invalid.body, /href="\/r\/recover\?lang=nl"/);
        assert.equal(invalid.headers['set-cookie'], undefined);
      }
    });

    test('without the cookie (a webmail started the redirect) a same-site refresh retries once', async () => {
      const first = await get('/r/case');
      assertPrivate(first, 200);
      assert.match(first.body, /<meta http-equiv="refresh" content="0;url=\/r\/case\?retry=1">/);
      assert.match(first.body, /<a class="button" href="\/r\/case\?retry=1">/);
      const retry = await get('/r/case?retry=1', { 'accept-language': 'en' });
      assertPrivate(retry, 403);
      assert.doesNotMatch(retry.body, /http-equiv="refresh"/);
      assert.match(visibleText(retry.body), /Your case cannot be opened here/);
      assert.match(visibleText(retry.body), /Je melding kan hier niet worden geopend/);
      // With the cookie, the retry opens the case.
      const { token, reference } = await report();
      const cookie = await open(token);
      const opened = await get('/r/case?retry=1', { cookie });
      assertPrivate(opened, 303);
      assert.equal(opened.headers.location, '/r/case');
      assert.match((await get('/r/case', { cookie })).body, new RegExp(reference));
    });

    test("the case page shows the team's reply, escaped reporter text and never an internal note", async () => {
      const { token, reference } = await report({
        title: '<script>alert(1)</script> in het zoekveld',
        assets: ['javascript:alert(1)'],
      });
      const note = await owner.post(`/api/v1/orgs/acme/cases/${reference}/notes`, {
        body: 'INTERNAL: looks like a competitor',
      });
      assert.equal(note.statusCode, 201, note.body);
      const reply = await owner.post(`/api/v1/orgs/acme/cases/${reference}/messages`, {
        body: 'Dank je! Kun je laten zien welke <b>browser</b> je gebruikte?\nZie javascript:alert(2)',
      });
      assert.equal(reply.statusCode, 201, reply.body);

      const cookie = await open(token);
      const page = await get('/r/case', { cookie });
      assertPrivate(page, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      const body = page.body;
      assert.match(body, /<html lang="nl">/, "the reporter's language");
      assert.match(body, new RegExp(reference));
      assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; in het zoekveld/);
      assert.doesNotMatch(body, /<script>alert/);
      assert.match(
        body,
        /Kun je laten zien welke &lt;b&gt;browser&lt;\/b&gt; je gebruikte\?\nZie javascript:alert\(2\)/,
      );
      assert.doesNotMatch(body, /href="javascript:/i);
      assert.doesNotMatch(body, /INTERNAL|competitor|note\.added/);
      const text = visibleText(body);
      assert.match(text, /Ontvangen/, 'the state');
      assert.match(text, /Het team stuurde je een bericht/, 'the timeline');
      assert.match(text, /binnen 2 werkdagen/, 'the promises');
      assert.match(text, /Een verloren link is niet terug te halen\./);
      assert.match(body, /href="\/r\/case\/receipt" download/);
      // Reconi credits nobody: no credit form.
      assert.doesNotMatch(body, /action="\/r\/case\/credit"/);

      const english = await get('/r/case?lang=en', { cookie });
      assertPrivate(english, 200);
      assert.match(visibleText(english.body), /within 2 working days/);
      assert.match(english.body, /action="\/r\/case\/messages\?lang=en"/);

      for (const url of ['/r/case/receipt']) {
        const response = await get(url, { cookie });
        assertPrivate(response, 200);
        assert.doesNotMatch(response.body, /INTERNAL/);
      }
    });

    test('a reply needs the CSRF field and a same-origin post; it lands in the thread with its file', async () => {
      const { token } = await report();
      const cookie = await open(token);
      const page = (await get('/r/case', { cookie })).body;
      const csrf = csrfOf(page);

      const without = await postForm('/r/case/messages', cookie, { body: 'Zonder controleveld' });
      assertPrivate(without, 403);
      const wrong = await postForm('/r/case/messages', cookie, { csrf: 'x'.repeat(43), body: 'Fout veld' });
      assertPrivate(wrong, 403);
      const crossSite = await postForm(
        '/r/case/messages',
        cookie,
        { csrf, body: 'Van elders' },
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
      );
      assertPrivate(crossSite, 403);
      const noCookie = await postForm('/r/case/messages', undefined, { csrf, body: 'Zonder cookie' });
      assertPrivate(noCookie, 403);

      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
        .png()
        .toBuffer();
      const { payload, headers } = formBody({ csrf, body: 'Chrome 130 op Linux.\n<i>niet schuin</i>' }, [
        { name: 'browser.png', type: 'image/png', bytes: png },
      ]);
      const sent = await haven.app.inject({
        method: 'POST',
        url: '/r/case/messages',
        payload,
        headers: { ...headers, cookie, origin: 'https://haven.test' },
      });
      assertPrivate(sent, 303);
      assert.equal(sent.headers.location, '/r/case?done=message');
      const after = await get('/r/case?done=message', { cookie });
      assertPrivate(after, 200);
      assert.match(visibleText(after.body), /Je bericht is verstuurd\./);
      assert.match(after.body, /Chrome 130 op Linux\.\n&lt;i&gt;niet schuin&lt;\/i&gt;/);
      const file = /<a href="(\/r\/case\/files\/[0-9a-f-]{36})" download>browser\.png<\/a>/.exec(
        after.body,
      )?.[1];
      assert.ok(file, 'the file is listed with the message');
      const download = await get(file, { cookie });
      assertPrivate(download, 200);
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="?browser\.png"?$/,
      );
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      // A file of another case, or no file at all: not found.
      assertPrivate(await get('/r/case/files/00000000-0000-4000-8000-000000000000', { cookie }), 404);

      const empty = await postForm('/r/case/messages', cookie, { csrf, body: '   ' });
      assertPrivate(empty, 422);
      assert.match(visibleText(empty.body), /Schrijf eerst een bericht\./);
      const urlencoded = await haven.app.inject({
        method: 'POST',
        url: '/r/case/messages',
        payload: `csrf=${csrf}&body=hallo`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie,
          origin: 'https://haven.test',
        },
      });
      assertPrivate(urlencoded, 415);
    });

    test('replacing the link revokes the old one, shows the new one once and keeps this browser in', async () => {
      const { token, reference } = await report();
      const cookie = await open(token);
      const csrf = csrfOf((await get('/r/case', { cookie })).body);
      const replaced = await postForm('/r/case/link', cookie, { csrf });
      assertPrivate(replaced, 303);
      assert.equal(replaced.headers.location, '/r/case?done=link');
      const fresh = replaced.cookies.find((c) => c.name === COOKIE);
      assert.ok(fresh?.value && fresh.value !== token);
      assert.equal(fresh.path, '/r');
      const newCookie = `${COOKIE}=${fresh.value}`;
      const shown = await get('/r/case?done=link', { cookie: newCookie });
      assertPrivate(shown, 200);
      assert.ok(shown.body.includes(`https://haven.test/r/${fresh.value}`), 'the new link is shown');
      assert.ok(!(await get('/r/case', { cookie: newCookie })).body.includes(fresh.value), 'only once');
      // The old link and the old cookie open nothing any more; the CSRF field changed with the link.
      const old = await get(`/r/${token}`);
      assertPrivate(old, 404);
      assert.match(visibleText(old.body), /This link does not work|Deze link werkt niet/);
      const oldCookie = await get('/r/case', { cookie });
      assertPrivate(oldCookie, 404);
      assert.match(String(oldCookie.headers['set-cookie']), new RegExp(`^${COOKIE}=;`));
      assertPrivate(await postForm('/r/case/messages', newCookie, { csrf, body: 'Oud veld' }), 403);
      const timeline = visibleText((await get('/r/case', { cookie: newCookie })).body);
      assert.match(timeline, /Je link is vervangen/);
      assert.match(timeline, new RegExp(reference));
    });

    test('withdrawing needs the confirmation; afterwards the forms are closed', async () => {
      const { token } = await report();
      const cookie = await open(token);
      const csrf = csrfOf((await get('/r/case', { cookie })).body);
      const unconfirmed = await postForm('/r/case/withdraw', cookie, { csrf });
      assertPrivate(unconfirmed, 422);
      assert.match(visibleText(unconfirmed.body), /Vink het vakje aan om te bevestigen/);
      const withdrawn = await postForm('/r/case/withdraw', cookie, { csrf, confirm: 'yes' });
      assertPrivate(withdrawn, 303);
      assert.equal(withdrawn.headers.location, '/r/case?done=withdrawn');
      const page = await get('/r/case', { cookie });
      assertPrivate(page, 200);
      const text = visibleText(page.body);
      assert.match(text, /Ingetrokken/);
      assert.match(text, /Je hebt deze melding ingetrokken\./);
      assert.match(page.body, /<fieldset class="plain-fieldset" disabled>/);
      assert.doesNotMatch(page.body, /action="\/r\/case\/withdraw"/);
      const late = await postForm('/r/case/messages', cookie, { csrf, body: 'Toch nog iets' });
      assertPrivate(late, 409);
      assert.match(visibleText(late.body), /Deze melding is ingetrokken/);
    });

    test('credit can be changed where the policy credits reporters; signing out drops the cookie', async () => {
      // Reconi with a hall of fame, as a new version.
      const settings = presetSettings('reconi');
      settings.credit.hallOfFame = true;
      assert.equal((await owner.put('/api/v1/orgs/acme/policy/draft', settings)).statusCode, 200);
      const published = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(published.statusCode, 201, published.body);
      version = published.json().version;
      const { token } = await report({ reporter: { identity: 'named', name: 'Nora' } });
      const cookie = await open(token);
      const before = (await get('/r/case', { cookie })).body;
      assert.match(before, /id="credit-wanted" name="wanted" type="checkbox" value="yes">/);
      const csrf = csrfOf(before);
      const saved = await postForm('/r/case/credit', cookie, { csrf, wanted: 'yes', name: 'Nora N.' });
      assertPrivate(saved, 303);
      const page = await get('/r/case?done=credit', { cookie });
      assert.match(page.body, /id="credit-wanted" name="wanted" type="checkbox" value="yes" checked/);
      assert.match(page.body, /value="Nora N\."/);
      const out = await postForm('/r/case/sign-out', cookie, { csrf });
      assertPrivate(out, 303);
      assert.equal(out.headers.location, '/r/signed-out');
      assert.match(String(out.headers['set-cookie']), new RegExp(`^${COOKIE}=;.*Path=/r`));
      assertPrivate(await get('/r/signed-out'), 200);
    });

    test('the receipt is a text download with the reference, the link and the plain warning', async () => {
      const { token, reference, caseUrl } = await report();
      const cookie = await open(token);
      const receipt = await get('/r/case/receipt?lang=en', { cookie });
      assertPrivate(receipt, 200);
      assert.equal(receipt.headers['content-type'], 'text/plain; charset=utf-8');
      assert.match(
        String(receipt.headers['content-disposition']),
        new RegExp(`^attachment; filename="?${reference}-receipt\\.txt"?$`),
      );
      assert.match(receipt.body, new RegExp(`Reference: ${reference}`));
      assert.ok(receipt.body.includes(`Private link: ${caseUrl}`));
      assert.match(receipt.body, /Organisation: Acme/);
      assert.match(receipt.body, /if you lose this link, it cannot be recovered/);
      assertPrivate(await get('/r/case/receipt'), 403);
    });

    test('recovery answers the same either way; only a match sends a link, which works once', async () => {
      const { reference } = await report({
        reporter: { identity: 'named', name: 'Rita', email: 'rita@example.test' },
      });
      const form = await get('/r/recover?lang=nl');
      assertPrivate(form, 200);
      assert.match(visibleText(form.body), /Meldingen zonder e-mailadres zijn niet terug te halen/);
      // The acknowledgement goes out first; count from there.
      await eventually(() =>
        outboxMessages(haven.outbox).find((m) => m.includes(`Melding ${reference} ontvangen`)),
      );
      // The team's notices (subject "[Acme] Case …") come and go in the background: leave them out.
      const notTeam = () => outboxMessages(haven.outbox).filter((m) => !/^Subject: \[Acme\] /m.test(m));
      const before = notTeam().length;

      const wrong = await postForm('/r/recover', undefined, { reference, email: 'someone@example.test' });
      const unknown = await postForm('/r/recover', undefined, {
        reference: 'ACME-2020-9999',
        email: 'rita@example.test',
      });
      const right = await postForm('/r/recover', undefined, {
        reference: reference.toLowerCase(),
        email: 'Rita@Example.test',
      });
      for (const response of [wrong, unknown, right]) assertPrivate(response, 200);
      assert.equal(wrong.body, right.body);
      assert.equal(unknown.body, right.body);
      assert.match(visibleText(right.body), /If this reference and this e-mail address belong together/);

      const mail = await eventually(() => notTeam()[before]);
      // Time for a wrongly sent second mail to show up, were there one.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(notTeam().length, before + 1, 'one mail: for the matching request');
      assert.match(mail, /^To: rita@example\.test/m);
      assert.match(mailText(mail), /Iemand heeft een nieuwe link aangevraagd/);
      const link = /https:\/\/haven\.test(\/r\/havenr_[A-Za-z0-9_-]{43})/.exec(mailText(mail))?.[1];
      assert.ok(link);
      const opened = await get(link);
      assertPrivate(opened, 303);
      const cookie = opened.cookies.find((c) => c.name === COOKIE);
      assert.ok(cookie?.value && `/r/${cookie.value}` !== link, 'a fresh access link, not the recovery link');
      const page = await get('/r/case', { cookie: `${COOKIE}=${cookie.value}` });
      assertPrivate(page, 200);
      assert.match(page.body, new RegExp(reference));
      assert.match(visibleText(page.body), /Je kreeg per e-mail weer toegang/);
      assertPrivate(await get(link), 404);

      const malformed = await postForm('/r/recover', undefined, { reference: '', email: 'not-an-address' });
      assertPrivate(malformed, 422);
      assert.match(malformed.body, /href="#recover-email"/);
      const crossSite = await postForm(
        '/r/recover',
        undefined,
        { reference, email: 'rita@example.test' },
        { 'sec-fetch-site': 'cross-site' },
      );
      assertPrivate(crossSite, 403);
    });
  });
}
