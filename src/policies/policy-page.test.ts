import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createTranslator, type Language, type Translate } from '../platform/i18n.ts';
import type { PublishedPolicy } from './policies.ts';
import {
  escapeHtml,
  fillOrganisation,
  html,
  renderHallOfFamePage,
  renderNotFoundPage,
  renderPolicyPage,
  richText,
  toHtmlString,
} from './policy-page.ts';
import type { PolicySettings } from './policy-settings.ts';
import { PRESET_NAMES, presetSettings } from './presets/index.ts';

let translate: Translate;
before(async () => {
  translate = await createTranslator();
});
const tFor = (language: Language) => (key: string, values?: Record<string, unknown>) =>
  translate(language, `public.${key}`, values);

const organisation = {
  slug: 'acme',
  name: 'Acme',
  default_language: 'en' as const,
  timezone: 'Europe/Amsterdam',
};

function published(settings: PolicySettings, overrides: Partial<PublishedPolicy> = {}): PublishedPolicy {
  return {
    organisation,
    version: 1,
    currentVersion: 1,
    // 23:30 UTC is already 24 November in Amsterdam.
    publishedAt: new Date('2026-11-23T23:30:00Z'),
    settings,
    ...overrides,
  };
}

function policyPage(settings: PolicySettings, language: Language, overrides: Partial<PublishedPolicy> = {}) {
  return renderPolicyPage({
    policy: published(settings, overrides),
    language,
    t: tFor(language),
    origin: 'https://haven.test',
    explicitLanguage: false,
  });
}

/** The page's text as a reader sees it: tags dropped, entities decoded, white space collapsed. */
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

function assertCleanMarkup(page: string) {
  assert.doesNotMatch(page, /<script/i, 'no scripts');
  assert.doesNotMatch(page, /\sstyle=/i, 'no inline styles');
  assert.doesNotMatch(page, /<style/i, 'no style elements');
  assert.doesNotMatch(page, /<[^>]*\son[a-z]+=/i, 'no event handler attributes');
  // i18next answers a missing key with the key itself.
  assert.doesNotMatch(visibleText(page), /\bpublic\.[a-zA-Z]+\.[a-zA-Z]/, 'every text is translated');
}

describe('escaping', () => {
  test('html escapes interpolated text and keeps its own markup', () => {
    const name = '<img src=x onerror="alert(1)"> & \'co\'';
    const out = toHtmlString(html`<p title="${name}">${name}</p>${html`<br>`}`);
    assert.equal(
      out,
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;co&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;co&#39;</p><br>',
    );
    assert.equal(escapeHtml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&#39;');
  });

  test('organisation text becomes paragraphs and line breaks, {{organisation}} filled in and escaped', () => {
    const out = toHtmlString(
      richText('Hello {{organisation}}.\nSecond line\n\n\nNew <b>paragraph</b>', 'A&B <x>'),
    );
    assert.equal(
      out,
      '<p>Hello A&amp;B &lt;x&gt;.<br>Second line</p><p>New &lt;b&gt;paragraph&lt;/b&gt;</p>',
    );
  });

  test("{{organisation}} is the name as written, even with $' or $& in it", () => {
    for (const name of ["Tom $' Jerry", 'Tom $& Jerry', 'Tom $` Jerry', 'Tom $$ Jerry', 'Tom $1 Jerry']) {
      assert.equal(fillOrganisation('Welcome to {{organisation}}!', name), `Welcome to ${name}!`);
      assert.equal(
        toHtmlString(richText('Welcome to {{ organisation }}!', name)),
        `<p>Welcome to ${escapeHtml(name)}!</p>`,
      );
    }
    const settings = presetSettings('reconi');
    const page = renderPolicyPage({
      policy: { ...published(settings), organisation: { ...organisation, name: "Tom $' Jerry" } },
      language: 'en',
      t: tFor('en'),
      origin: 'https://haven.test',
      explicitLanguage: false,
    });
    const text = visibleText(page);
    assert.match(text, /Tom \$' Jerry is committed to providing secure online services\./);
    assert.doesNotMatch(text, /Tom (?!\$' Jerry)/, 'every mention is the whole name');
  });

  test('web addresses in organisation text become links; anything else stays text', () => {
    const out = toHtmlString(
      richText(
        'See https://example.org/policy?a=1&b=2. Not javascript:alert(1) nor "https://x.test/"onmouseover=1',
        'A',
      ),
    );
    assert.match(out, /<a href="https:\/\/example\.org\/policy\?a=1&amp;b=2" rel="nofollow noopener">/);
    assert.match(
      out,
      /policy\?a=1&amp;b=2<\/a>\. Not javascript:alert\(1\)/,
      'the full stop is not part of the link',
    );
    assert.match(out, /&quot;<a href="https:\/\/x\.test\/"/, 'a quote ends the address');
    assert.doesNotMatch(out, /href="javascript/);
  });
});

describe('policy page', () => {
  for (const preset of PRESET_NAMES) {
    for (const language of ['nl', 'en'] as const) {
      test(`${preset} in ${language}: complete, translated, no scripts or inline styles`, () => {
        const page = policyPage(presetSettings(preset), language);
        assertCleanMarkup(page);
        assert.match(page, new RegExp(`<html lang="${language}">`));
        assert.match(page, /<link rel="stylesheet" href="\/public\.css">/);
        assert.match(page, /<meta name="robots" content="index, follow">/);
        assert.match(page, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
        assert.match(
          page,
          /<link rel="alternate" hreflang="nl" href="https:\/\/haven\.test\/o\/acme\?lang=nl">/,
        );
        assert.match(
          page,
          /<link rel="alternate" hreflang="en" href="https:\/\/haven\.test\/o\/acme\?lang=en">/,
        );
        assert.match(page, /<a class="button" href="\/o\/acme\/report">/);
        assert.match(page, /href="\/o\/acme\/pgp-key\.asc"/);
        assert.match(page, /href="\/o\/acme\/security\.txt"/);
        assert.equal((page.match(/<h1[ >]/g) ?? []).length, 1, 'one h1');
        assert.equal((page.match(/<main[ >]/g) ?? []).length, 1, 'one main');
        const text = visibleText(page);
        assert.match(
          text,
          language === 'en'
            ? /Version 1, published 24 November 2026/
            : /Versie 1, gepubliceerd op 24 november 2026/,
          'the date is the organisation’s',
        );
        assert.doesNotMatch(text, /\{\{/, 'no placeholders left');
      });
    }
  }

  test('econnect: receipt within 1 working day, phone number required, no anonymous reports', () => {
    const en = visibleText(policyPage(presetSettings('econnect'), 'en'));
    assert.match(en, /We confirm receipt of your report within 1 working day\./);
    assert.match(en, /Include at least your e-mail address and phone number/);
    assert.match(en, /Anonymous reports Not accepted/);
    assert.match(en, /We solve the problem as quickly as possible, and within 30 days at most\./);
    assert.match(en, /For a solution we may depend on our suppliers\./);
    assert.match(
      en,
      /an initial assessment of your report and, where possible, an expected date for a solution/,
    );
    assert.match(en, /Working days are Monday to Friday, except public holidays \(Netherlands\)\./);
    assert.match(en, /You may attach text files and images: up to 10 files, each at most 10 MB\./);
    assert.match(
      en,
      /You may report under your own name or under an alias\. We do not accept anonymous reports\./,
    );
    assert.match(en, /We keep you informed of the progress at every important step\./);
    assert.doesNotMatch(en, /name reporters|Credit/, 'the seed says nothing about naming reporters');
    const nl = visibleText(policyPage(presetSettings('econnect'), 'nl'));
    assert.match(nl, /binnen 1 werkdag\./);
    assert.match(nl, /Geef in elk geval je e-mailadres en telefoonnummer op/);
    assert.match(nl, /Werkdagen zijn maandag tot en met vrijdag, behalve feestdagen \(Nederland\)\./);
  });

  test('reconi: anonymous reports welcome, Dutch or English only, response within 2 working days', () => {
    const en = visibleText(policyPage(presetSettings('reconi'), 'en'));
    assert.match(en, /You may report under your own name or anonymously\./);
    assert.match(en, /We accept reports written in Dutch or English\./);
    assert.match(en, /You receive a first substantive response within 2 working days\./);
    assert.match(en, /Anonymous reports Accepted/);
    const nl = visibleText(policyPage(presetSettings('reconi'), 'nl'));
    assert.match(nl, /Je kunt melden onder je eigen naam of anoniem\./);
    assert.match(nl, /in het Nederlands of Engels zijn geschreven/);
  });

  test('9292: password-protected documents, password by text message, assessment within 20 days', () => {
    const en = visibleText(policyPage(presetSettings('9292'), 'en'));
    assert.match(en, /You may put your findings in a password-protected document\./);
    assert.match(en, /send the password by text message/);
    assert.match(en, /Within 20 days you receive our response, with our assessment of your report\./);
    assert.match(en, /We do not accept anonymous reports\./);
    assert.match(en, /never to make it public/);
    assert.match(en, /until every organisation involved has been informed and the problem has been solved/);
    const nl = visibleText(policyPage(presetSettings('9292'), 'nl'));
    assert.match(nl, /met een wachtwoord beveiligd document/);
    assert.match(nl, /per sms/);
  });

  test('reconi: only what the seed promises; its scope is the services it offers over the internet', () => {
    const en = visibleText(policyPage(presetSettings('reconi'), 'en'));
    assert.doesNotMatch(en, /We solve the problem/, 'no promise of a solution');
    assert.doesNotMatch(en, /progress/i, 'no promise of progress updates');
    assert.doesNotMatch(en, /We treat your report confidentially/);
    assert.doesNotMatch(en, /all systems/i);
    assert.match(en, /In scope Internet services Other The services Acme offers over the internet\./);
    assert.match(en, /A vulnerability is made public only in agreement between you and us\./);
  });

  test('9292: named as discoverer if wished, no hall of fame, no progress updates', () => {
    const page = policyPage(presetSettings('9292'), 'en');
    const en = visibleText(page);
    assert.match(en, /If you wish, we name you as the discoverer when we publish about the problem\./);
    assert.doesNotMatch(page, /hall-of-fame/);
    assert.doesNotMatch(en, /progress/i);
  });

  test('ncsc-nl and disclose-io keep the reporter informed at milestones', () => {
    for (const preset of ['ncsc-nl', 'disclose-io'] as const) {
      const en = visibleText(policyPage(presetSettings(preset), 'en'));
      assert.match(en, /We keep you informed of the progress at every important step\./, preset);
      assert.equal(en.match(/informed of (the )?progress/g)?.length, 1, `${preset}: said once`);
    }
  });

  test('a policy that promises nothing beyond its texts says nothing more', () => {
    const settings = presetSettings('ncsc-nl');
    settings.serviceLevels = {
      acknowledgement: null,
      firstResponse: null,
      assessment: null,
      resolution: { kind: 'none' },
      mayDependOnSuppliers: false,
    };
    settings.firstAssessment = { includesAssessment: false, includesExpectedFixDate: false };
    settings.progressUpdates = { kind: 'none' };
    settings.rewards = { kind: 'none' };
    settings.credit = { hallOfFame: false, creditInAdvisories: false };
    settings.disclosure = {
      defaultEmbargoDays: null,
      publicationOnlyByAgreement: false,
      requiresAllPartiesInformed: false,
      requiresResolution: false,
      mayAgreeNeverToPublish: false,
      confidential: false,
    };
    for (const language of ['en', 'nl'] as const) {
      const page = policyPage(settings, language);
      assertCleanMarkup(page);
      const text = visibleText(page);
      for (const promise of [
        /We solve the problem|We lossen het probleem/,
        /progress|voortgang/,
        /name reporters|noemen melders/,
        /rewards for reports|geen beloning/,
        /Rewards None|Beloning Geen/,
        /We agree with you when|We spreken met je af/,
        /Working days|Werkdagen/,
      ]) {
        assert.doesNotMatch(text, promise, `${language}: ${promise}`);
      }
      for (const section of ['promises', 'rewards', 'credit', 'disclosure']) {
        assert.doesNotMatch(page, new RegExp(`id="${section}"|href="#${section}"`), section);
      }
      assert.match(page, /id="rules"/);
    }
  });

  test('"working days" is explained whenever any deadline counts them, also high or medium', () => {
    for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
      const settings = presetSettings('9292');
      const days = { amount: 30, unit: 'calendar_days' } as const;
      settings.serviceLevels.resolution = {
        kind: 'by_severity',
        critical: days,
        high: days,
        medium: days,
        low: days,
        [severity]: { amount: 5, unit: 'business_days' },
      };
      const en = visibleText(policyPage(settings, 'en'));
      assert.match(en, /Working days are Monday to Friday/, severity);
    }
    const calendar = presetSettings('9292');
    assert.doesNotMatch(visibleText(policyPage(calendar, 'en')), /Working days/, 'only calendar days');
  });

  test('publication by agreement with a default embargo: agreed first, the embargo if there is none', () => {
    const settings = presetSettings('ncsc-nl');
    settings.disclosure.publicationOnlyByAgreement = true;
    settings.disclosure.defaultEmbargoDays = 90;
    const en = visibleText(policyPage(settings, 'en'));
    assert.match(
      en,
      /We agree with you when and how the vulnerability is made public\. Unless we agree otherwise, the vulnerability may be made public 90 days after your report\./,
    );
    assert.doesNotMatch(en, /made public only in agreement/, 'not "only", when there is a fallback');
    const nl = visibleText(policyPage(settings, 'nl'));
    assert.match(
      nl,
      /We spreken met je af wanneer .* Tenzij we iets anders afspreken, mag de kwetsbaarheid 90 dagen/,
    );
  });

  test('the hall of fame is linked only when the policy keeps one', () => {
    assert.match(policyPage(presetSettings('ncsc-nl'), 'en'), /href="\/o\/acme\/hall-of-fame"/);
    assert.doesNotMatch(policyPage(presetSettings('econnect'), 'en'), /hall-of-fame/);
  });

  test('rewards by severity, as money in the page language', () => {
    const settings = presetSettings('ncsc-nl');
    settings.rewards = {
      kind: 'table',
      currency: 'EUR',
      bySeverity: {
        critical: { min: 100_000, max: 500_000 },
        high: { min: 50_000, max: 100_000 },
        medium: { min: 10_000, max: 25_050 },
        low: { min: 5_000, max: 5_000 },
      },
      dependsOnReportQuality: true,
      note: { nl: '', en: '' },
    };
    const en = visibleText(policyPage(settings, 'en'));
    assert.match(en, /Critical €1,000 – €5,000/);
    assert.match(en, /Medium €100 – €250\.50/);
    assert.match(en, /Low €50 /);
    assert.match(en, /Rewards €50 – €5,000/, 'the summary gives the whole range');
    const nl = visibleText(policyPage(settings, 'nl'));
    assert.match(nl, /Kritiek € 1\.000 – € 5\.000/);
    assert.match(nl, /Gemiddeld € 100 – € 250,50/);
  });

  test('discretionary rewards without a note say what the size depends on', () => {
    const settings = presetSettings('econnect');
    settings.rewards = {
      kind: 'discretionary',
      dependsOnSeverity: true,
      dependsOnReportQuality: false,
      note: { nl: '', en: '' },
    };
    const en = visibleText(policyPage(settings, 'en'));
    assert.match(
      en,
      /We may offer you a reward for your help\. Its size depends on the severity of the problem\./,
    );
    assert.match(en, /Rewards Possible, at our discretion/);
  });

  test('resolution times by severity, in hours and days', () => {
    const settings = presetSettings('ncsc-nl');
    settings.serviceLevels.resolution = {
      kind: 'by_severity',
      critical: { amount: 48, unit: 'hours' },
      high: { amount: 1, unit: 'calendar_days' },
      medium: { amount: 30, unit: 'calendar_days' },
      low: { amount: 90, unit: 'calendar_days' },
    };
    settings.progressUpdates = { kind: 'interval', everyDays: 14 };
    const en = visibleText(policyPage(settings, 'en'));
    assert.match(en, /Critical within 48 hours High within 1 day Medium within 30 days Low within 90 days/);
    assert.match(en, /at least every 14 days/);
    const nl = visibleText(policyPage(settings, 'nl'));
    assert.match(nl, /Kritiek binnen 48 uur Hoog binnen 1 dag/);
  });

  test('scope assets, exclusions and e-mail addresses', () => {
    const settings = presetSettings('ncsc-nl');
    settings.scope.inScope = [
      { kind: 'domain', target: '*.acme.example', note: { nl: 'Alle subdomeinen', en: 'All subdomains' } },
    ];
    settings.scope.outOfScope = [{ kind: 'url', target: 'https://legacy.acme.example/' }];
    settings.scope.exclusions = [{ nl: 'Ontbrekende headers', en: 'Missing headers without impact' }];
    settings.intake.emails = ['security@acme.example', 'cert@acme.example'];
    const page = policyPage(settings, 'en');
    const text = visibleText(page);
    assert.match(text, /In scope \*\.acme\.example Domain All subdomains/);
    assert.match(text, /Out of scope https:\/\/legacy\.acme\.example\/ Web address/);
    assert.match(text, /Missing headers without impact/);
    assert.match(text, /e-mail your report to security@acme\.example or cert@acme\.example\./);
    assert.match(page, /<a href="mailto:security@acme\.example">/);
  });

  test('policy text is organisation input: markup in it is shown, never run', () => {
    const settings = presetSettings('ncsc-nl');
    settings.introduction.en = 'Hi <script>alert(1)</script> {{organisation}}';
    settings.rules.do = [{ nl: 'x', en: '<img src=x onerror=alert(2)>' }];
    settings.scope.inScope = [{ kind: 'url', target: '"><svg onload=alert(3)>' }];
    const page = renderPolicyPage({
      policy: { ...published(settings), organisation: { ...organisation, name: '<b>Evil</b> & "Co"' } },
      language: 'en',
      t: tFor('en'),
      origin: 'https://haven.test',
      explicitLanguage: false,
    });
    assertCleanMarkup(page);
    assert.match(
      page,
      /Hi &lt;script&gt;alert\(1\)&lt;\/script&gt; &lt;b&gt;Evil&lt;\/b&gt; &amp; &quot;Co&quot;/,
    );
    assert.match(page, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(page, /&quot;&gt;&lt;svg onload=alert\(3\)&gt;/);
    assert.match(
      page,
      /<title>Responsible disclosure policy – &lt;b&gt;Evil&lt;\/b&gt; &amp; &quot;Co&quot;<\/title>/,
    );
    assert.doesNotMatch(page, /<(img|svg onload|b>)/);
  });

  test('an older version says so, links to the current one and is not indexed', () => {
    const page = policyPage(presetSettings('reconi'), 'en', { version: 2, currentVersion: 3 });
    const text = visibleText(page);
    assert.match(text, /This is not the current version of this policy\. You are reading version 2/);
    assert.match(page, /<a href="\/o\/acme">Read the current version \(version 3\)<\/a>/);
    assert.match(page, /<meta name="robots" content="noindex, follow">/);
    assert.match(page, /<a href="\/o\/acme\?version=2" aria-current="page">Version 2<\/a>/);
    assert.match(page, /<a href="\/o\/acme\?version=1">Version 1<\/a>/);
    assert.match(page, /<a href="\/o\/acme">Version 3 \(current\)<\/a>/);
    assert.match(page, /hreflang="nl" href="https:\/\/haven\.test\/o\/acme\?version=2&amp;lang=nl"/);
    const current = visibleText(
      policyPage(presetSettings('reconi'), 'en', { version: 3, currentVersion: 3 }),
    );
    assert.doesNotMatch(current, /not the current version/);
  });

  test('a chosen language sticks to the links between the public pages', () => {
    const page = renderPolicyPage({
      policy: published(presetSettings('ncsc-nl'), { version: 2, currentVersion: 2 }),
      language: 'nl',
      t: tFor('nl'),
      origin: 'https://haven.test',
      explicitLanguage: true,
    });
    assert.match(page, /href="\/o\/acme\/report\?lang=nl"/);
    assert.match(page, /href="\/o\/acme\/hall-of-fame\?lang=nl"/);
    assert.match(page, /href="\/o\/acme\?version=1&amp;lang=nl"/);
    assert.match(page, /<a href="\/o\/acme\?lang=en" hreflang="en" lang="en">English<\/a>/);
    assert.match(
      page,
      /<a href="\/o\/acme\?lang=nl" hreflang="nl" lang="nl" aria-current="true">Nederlands<\/a>/,
    );
  });
});

describe('hall of fame page', () => {
  const base = { organisation, origin: 'https://haven.test', explicitLanguage: false };

  test('empty: says no one is credited yet and invites reports', () => {
    for (const language of ['nl', 'en'] as const) {
      const page = renderHallOfFamePage({ ...base, credits: [], language, t: tFor(language) });
      assertCleanMarkup(page);
      const text = visibleText(page);
      assert.match(
        text,
        language === 'en' ? /No one has been credited yet\./ : /Er is nog niemand vermeld\./,
      );
      assert.match(page, /href="\/o\/acme\/report"/);
      assert.match(page, /href="\/o\/acme"/);
    }
  });

  test('a list of credits: in order, names escaped, only web links linked, dates in the organisation’s zone', () => {
    const page = renderHallOfFamePage({
      ...base,
      language: 'en',
      t: tFor('en'),
      credits: [
        {
          name: 'Ada Lovelace',
          date: new Date('2026-10-31T23:30:00Z'),
          link: 'https://ada.example/',
          title: 'Stored XSS in the portal',
        },
        {
          name: '<script>alert(1)</script>',
          date: new Date('2026-09-15T12:00:00Z'),
          link: 'javascript:alert(1)',
        },
        { name: 'Grace', date: new Date('2026-08-01T12:00:00Z'), link: null, title: null },
      ],
    });
    assertCleanMarkup(page);
    const items = page.match(/<li class="credit">[\s\S]*?<\/li>/g) ?? [];
    assert.equal(items.length, 3);
    assert.match(
      items[0] ?? '',
      /<a href="https:\/\/ada\.example\/" rel="nofollow ugc noopener">Ada Lovelace<\/a>/,
    );
    assert.match(items[0] ?? '', /Stored XSS in the portal/);
    assert.match(items[0] ?? '', /<time class="credit-date" datetime="2026-11-01">1 November 2026<\/time>/);
    assert.match(items[1] ?? '', /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(items[1] ?? '', /<a /, 'a javascript: link is not a link');
    assert.match(items[2] ?? '', /Grace/);
    assert.doesNotMatch(visibleText(page), /No one has been credited/);
  });
});

describe('not-found pages', () => {
  test('unknown organisation, no policy yet, no such version, no hall of fame', () => {
    const common = { origin: 'https://haven.test', path: '/o/x', explicitLanguage: false };
    const pages = {
      organisation: renderNotFoundPage({ ...common, kind: 'organisation', language: 'en', t: tFor('en') }),
      policy: renderNotFoundPage({ ...common, kind: 'policy', language: 'nl', t: tFor('nl') }),
      version: renderNotFoundPage({
        ...common,
        kind: 'version',
        language: 'en',
        t: tFor('en'),
        policy: published(presetSettings('ncsc-nl')),
      }),
      hallOfFame: renderNotFoundPage({
        ...common,
        kind: 'hallOfFame',
        language: 'en',
        t: tFor('en'),
        policy: published(presetSettings('econnect')),
      }),
    };
    for (const page of Object.values(pages)) {
      assertCleanMarkup(page);
      assert.match(page, /<meta name="robots" content="noindex">/);
    }
    assert.match(visibleText(pages.organisation), /There is no organisation at this address/);
    assert.match(visibleText(pages.policy), /Deze organisatie heeft nog geen meldbeleid gepubliceerd/);
    assert.match(visibleText(pages.version), /This version does not exist/);
    assert.match(pages.version, /<a class="button" href="\/o\/acme">/);
    assert.match(visibleText(pages.hallOfFame), /Acme does not keep a hall of fame\./);
  });
});
