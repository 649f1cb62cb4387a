import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../src/platform/clock.ts';
import { presetSettings } from '../src/policies/presets/index.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

/** What a reader sees: tags dropped (inline ones without a gap), entities decoded, spaces collapsed. */
function visibleText(page: string): string {
  return page
    .replace(/<head>[\s\S]*<\/head>/, '')
    .replace(/<\/?(a|span|time|strong|code)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Every public page is a complete HTML document under Haven's CSP, without scripts or inline styles. */
function assertPublicHtml(response: LightMyRequestResponse, status: number) {
  assert.equal(response.statusCode, status, response.body.slice(0, 300));
  assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
  assert.match(String(response.headers['content-security-policy']), /style-src 'self'/);
  assert.equal(response.headers.vary, 'Accept-Language');
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.match(response.body, /^<!doctype html>/);
  assert.match(response.body, /<link rel="stylesheet" href="\/public\.css">/);
  assert.doesNotMatch(response.body, /<script/i);
  assert.doesNotMatch(response.body, /\sstyle=/i);
}

for (const engine of engines()) {
  describe(`public pages on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    let version = 0;
    // 23:30 UTC is already the next day in Amsterdam, the organisation's time zone.
    const clock = fixedClock(new Date('2026-11-23T23:30:00Z'));
    const page = (url: string, headers: Record<string, string> = {}) =>
      haven.app.inject({ method: 'GET', url, headers });

    async function publish(
      preset: Parameters<typeof presetSettings>[0],
      edit?: (s: ReturnType<typeof presetSettings>) => void,
    ) {
      const settings = presetSettings(preset);
      edit?.(settings);
      const saved = await owner.put('/api/v1/orgs/acme/policy/draft', settings);
      assert.equal(saved.statusCode, 200, saved.body);
      const published = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(published.statusCode, 201, published.body);
      version = published.json().version;
      return version;
    }

    before(async () => {
      haven = await startTestHaven(engine, { clock });
      owner = await setUp(haven);
    });
    after(() => haven.close());

    test('an organisation without a published policy: a friendly 404 page', async () => {
      const response = await page('/o/acme');
      assertPublicHtml(response, 404);
      assert.match(visibleText(response.body), /This organisation has not published a policy yet\./);
      assert.equal(response.headers['cache-control'], 'no-cache');
      const hallOfFame = await page('/o/acme/hall-of-fame', { 'accept-language': 'nl' });
      assertPublicHtml(hallOfFame, 404);
      assert.match(visibleText(hallOfFame.body), /Deze organisatie heeft nog geen meldbeleid gepubliceerd\./);
    });

    test('an unknown organisation: a 404 page, not JSON', async () => {
      for (const url of ['/o/nobody', '/o/nobody/hall-of-fame', '/o/Not_A_Slug', '/o/nobody?version=2']) {
        const response = await page(url, { accept: 'text/html' });
        assertPublicHtml(response, 404);
        assert.match(visibleText(response.body), /There is no organisation at this address\./, url);
        assert.match(response.body, /<meta name="robots" content="noindex">/);
      }
    });

    test('the preset policy applied through the API and published is the page, in both languages', async () => {
      const preset = await owner.post('/api/v1/orgs/acme/policy/draft/preset', { preset: 'econnect' });
      assert.equal(preset.statusCode, 200);
      const published = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(published.statusCode, 201);
      version = published.json().version;

      const en = await page('/o/acme?lang=en');
      assertPublicHtml(en, 200);
      assert.equal(en.headers['cache-control'], 'public, max-age=300');
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /<meta name="robots" content="index, follow">/);
      assert.match(en.body, /<title>Responsible disclosure policy – Acme<\/title>/);
      assert.match(
        en.body,
        /<a class="button" href="\/o\/acme\/report\?lang=en">Report a vulnerability<\/a>/,
      );
      const text = visibleText(en.body);
      assert.match(text, new RegExp(`Version ${version}, published 24 November 2026`));
      assert.match(text, /We confirm receipt of your report within 1 working day\./);
      assert.match(text, /Include at least your e-mail address and phone number/);
      assert.match(text, /Anonymous reports Not accepted/);
      assert.match(text, /within 30 days at most/);
      assert.match(text, /You may report under your own name or under an alias\./);
      assert.match(text, /We keep you informed of the progress at every important step\./);
      assert.doesNotMatch(text, /name reporters/, 'the seed says nothing about naming reporters');

      const nl = await page('/o/acme?lang=nl');
      assertPublicHtml(nl, 200);
      assert.match(nl.body, /<html lang="nl">/);
      const tekst = visibleText(nl.body);
      assert.match(tekst, /Beleid voor het melden van kwetsbaarheden/);
      assert.match(tekst, new RegExp(`Versie ${version}, gepubliceerd op 24 november 2026`));
      assert.match(tekst, /binnen 1 werkdag/);
      assert.match(tekst, /telefoonnummer/);
      assert.match(
        nl.body,
        /<a class="button" href="\/o\/acme\/report\?lang=nl">Meld een kwetsbaarheid<\/a>/,
      );
    });

    test('a stray Authorization header or a stale cookie does not turn the public page into a 401', async () => {
      for (const headers of [
        { authorization: 'Bearer not-a-token' },
        { cookie: '__Host-haven_session=stale-session-value-stale-session-value' },
      ]) {
        const response = await haven.app.inject({ url: '/o/acme?lang=en', headers });
        assertPublicHtml(response, 200);
      }
    });

    test('reconi: anonymous reports welcome, only in Dutch or English', async () => {
      await publish('reconi');
      const text = visibleText((await page('/o/acme?lang=en')).body);
      assert.match(text, /You may report under your own name or anonymously\./);
      assert.match(text, /We accept reports written in Dutch or English\./);
      assert.match(text, /Anonymous reports Accepted/);
      assert.match(text, /first substantive response within 2 working days/);
      for (const invented of [
        /We solve the problem/,
        /progress/,
        /rewards/i,
        /name reporters/,
        /all systems/,
      ]) {
        assert.doesNotMatch(text, invented, 'reconi does not promise this');
      }
      assert.match(text, /The services Acme offers over the internet\./);
      const tekst = visibleText((await page('/o/acme?lang=nl')).body);
      assert.match(tekst, /Je kunt melden onder je eigen naam of anoniem\./);
      assert.match(tekst, /Nederlands of Engels/);
    });

    test('9292: findings in a password-protected document, the password by text message', async () => {
      await publish('9292');
      const text = visibleText((await page('/o/acme?lang=en')).body);
      assert.match(text, /You may put your findings in a password-protected document\./);
      assert.match(text, /send the password by text message/);
      assert.match(text, /Within 20 days you receive our response, with our assessment of your report\./);
      assert.match(text, /we may agree together never to make it public/);
      assert.match(text, /we name you as the discoverer/);
      assert.doesNotMatch(text, /progress|hall of fame/i);
      const tekst = visibleText((await page('/o/acme?lang=nl')).body);
      assert.match(tekst, /met een wachtwoord beveiligd document/);
      assert.match(tekst, /het wachtwoord per sms/);
    });

    test('ncsc-nl and disclose-io: hall of fame and default embargo', async () => {
      await publish('ncsc-nl');
      const ncsc = await page('/o/acme?lang=en');
      assert.match(visibleText(ncsc.body), /Within 3 working days you receive our response/);
      assert.match(ncsc.body, /href="\/o\/acme\/hall-of-fame\?lang=en"/);
      await publish('disclose-io');
      const text = visibleText((await page('/o/acme?lang=en')).body);
      assert.match(text, /may be made public 90 days after your report/);
      assert.match(text, /We confirm receipt of your report within 5 working days\./);
    });

    test('the language: ?lang=, else Accept-Language, else the organisation’s own', async () => {
      const dutch = await page('/o/acme', { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.8' });
      assert.match(dutch.body, /<html lang="nl">/);
      assert.equal(dutch.headers.vary, 'Accept-Language');
      assert.match(dutch.body, /<a class="button" href="\/o\/acme\/report">/, 'no ?lang= when negotiated');
      const english = await page('/o/acme', { 'accept-language': 'en-US,en;q=0.5' });
      assert.match(english.body, /<html lang="en">/);
      const chosen = await page('/o/acme?lang=en', { 'accept-language': 'nl' });
      assert.match(chosen.body, /<html lang="en">/);
      // Acme's default language is English; German readers get that.
      assert.match((await page('/o/acme', { 'accept-language': 'de' })).body, /<html lang="en">/);
      assert.match((await page('/o/acme?lang=fr')).body, /<html lang="en">/);
      const links = (await page('/o/acme?lang=en')).body;
      assert.match(links, /<a href="\/o\/acme\?lang=nl" hreflang="nl" lang="nl">Nederlands<\/a>/);
      assert.match(
        links,
        /<link rel="alternate" hreflang="nl" href="https:\/\/haven\.test\/o\/acme\?lang=nl">/,
      );
    });

    test('older versions stay readable, say they are not current and link to the current one', async () => {
      const current = await page('/o/acme?lang=en');
      for (let v = 1; v < version; v++) {
        assert.match(
          current.body,
          new RegExp(`<a href="/o/acme\\?version=${v}&amp;lang=en">Version ${v}</a>`),
        );
      }
      assert.doesNotMatch(visibleText(current.body), /not the current version/);

      const old = await page('/o/acme?version=1&lang=en');
      assertPublicHtml(old, 200);
      const text = visibleText(old.body);
      assert.match(text, /This is not the current version of this policy\. You are reading version 1/);
      assert.match(
        old.body,
        new RegExp(`<a href="/o/acme\\?lang=en">Read the current version \\(version ${version}\\)</a>`),
      );
      assert.match(
        text,
        /We confirm receipt of your report within 1 working day\./,
        'version 1 was econnect',
      );
      assert.match(old.body, /<meta name="robots" content="noindex, follow">/);

      for (const url of ['/o/acme?version=99', '/o/acme?version=abc', '/o/acme?version=0']) {
        const missing = await page(url, { 'accept-language': 'en' });
        assertPublicHtml(missing, 404);
        assert.match(visibleText(missing.body), /This version does not exist/, url);
        assert.match(missing.body, /<a class="button" href="\/o\/acme">/);
      }
    });

    test('the hall of fame: empty until credits exist; absent when the policy keeps none', async () => {
      const empty = await page('/o/acme/hall-of-fame?lang=en');
      assertPublicHtml(empty, 200);
      assert.equal(empty.headers['cache-control'], 'public, max-age=300');
      const text = visibleText(empty.body);
      assert.match(text, /Hall of fame/);
      assert.match(text, /No one has been credited yet\./);
      assert.match(empty.body, /href="\/o\/acme\/report\?lang=en"/);
      assert.match(empty.body, /href="\/o\/acme\?lang=en"/);
      assert.match(
        visibleText((await page('/o/acme/hall-of-fame?lang=nl')).body),
        /Er is nog niemand vermeld\./,
      );

      await publish('econnect', (s) => {
        s.introduction.en += ' (again)';
      });
      const none = await page('/o/acme/hall-of-fame?lang=en');
      assertPublicHtml(none, 404);
      assert.match(visibleText(none.body), /Acme does not keep a hall of fame\./);
      assert.doesNotMatch((await page('/o/acme?lang=en')).body, /hall-of-fame/);
    });

    test('policy text is organisation input: it is escaped, never markup', async () => {
      await publish('ncsc-nl', (s) => {
        s.introduction.en = 'Welcome to {{organisation}}.\n<script>alert(1)</script>\n\nSecond paragraph.';
        s.rules.other = [
          { nl: 'Zie <a href="javascript:alert(2)">hier</a>', en: '"><img src=x onerror=alert(3)>' },
        ];
        s.scope.inScope = [{ kind: 'domain', target: '<b>*.acme.test</b>' }];
      });
      const response = await page('/o/acme?lang=en');
      assertPublicHtml(response, 200);
      assert.match(
        response.body,
        /<p>Welcome to Acme\.<br>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p><p>Second paragraph\.<\/p>/,
      );
      assert.match(response.body, /&quot;&gt;&lt;img src=x onerror=alert\(3\)&gt;/);
      assert.match(response.body, /&lt;b&gt;\*\.acme\.test&lt;\/b&gt;/);
      assert.doesNotMatch(response.body, /<img|<b>|<[^>]*\son[a-z]+=/);
      const nl = await page('/o/acme?lang=nl');
      assert.match(nl.body, /Zie &lt;a href=&quot;javascript:alert\(2\)&quot;&gt;hier&lt;\/a&gt;/);
      assert.doesNotMatch(nl.body, /href="javascript/);
    });

    test('an organisation’s name is escaped too, and its default language decides', async () => {
      const { createOrganisation } = await import('../src/orgs/create-organisation.ts');
      await haven.deps.db.transaction().execute((trx) =>
        createOrganisation(haven.deps, trx, {
          slug: 'evil',
          name: '<script>alert(1)</script> & "Co"',
          defaultLanguage: 'nl',
          timezone: 'Europe/Amsterdam',
        }),
      );
      const member = await addOrganisationWithMember(
        haven,
        'evil',
        { email: 'eve@evil.test', role: 'owner' },
        true,
      );
      assert.equal(
        (await member.post('/api/v1/orgs/evil/policy/draft/preset', { preset: 'reconi' })).statusCode,
        200,
      );
      assert.equal((await member.post('/api/v1/orgs/evil/policy/publish')).statusCode, 201);
      const response = await page('/o/evil');
      assertPublicHtml(response, 200);
      assert.match(response.body, /<html lang="nl">/);
      assert.match(response.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Co&quot;/);
    });

    test("a name with $' or $& in it is shown as written wherever the policy says {{organisation}}", async () => {
      const { createOrganisation } = await import('../src/orgs/create-organisation.ts');
      const name = "Tom $' & $& Jerry";
      await haven.deps.db.transaction().execute((trx) =>
        createOrganisation(haven.deps, trx, {
          slug: 'tom',
          name,
          defaultLanguage: 'en',
          timezone: 'Europe/Amsterdam',
        }),
      );
      const member = await addOrganisationWithMember(
        haven,
        'tom',
        { email: 'tom@tom.test', role: 'owner' },
        true,
      );
      assert.equal(
        (await member.post('/api/v1/orgs/tom/policy/draft/preset', { preset: 'reconi' })).statusCode,
        200,
      );
      assert.equal((await member.post('/api/v1/orgs/tom/policy/publish')).statusCode, 201);
      const text = visibleText((await page('/o/tom?lang=en')).body);
      assert.match(text, /Tom \$' & \$& Jerry is committed to providing secure online services\./);
      assert.match(text, /the services Tom \$' & \$& Jerry offers over the internet/);
      assert.doesNotMatch(text, /Tom (?!\$' & \$& Jerry)/, 'every mention is the whole name');
    });

    test('/public.css is served, also before the web app is built', async () => {
      const response = await page('/public.css');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/css/);
      assert.match(response.body, /prefers-color-scheme: dark/);
      assert.match(response.body, /@media print/);
    });

    test('HEAD answers like GET, without a body', async () => {
      const response = await haven.app.inject({ method: 'HEAD', url: '/o/acme' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(response.body, '');
    });
  });
}
