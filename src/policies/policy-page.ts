import type { Language } from '../platform/i18n.ts';
import type { PublishedPolicy } from './policies.ts';
import { type PolicyDuration, type PolicySettings, SEVERITIES } from './policy-settings.ts';
import { promiseItems, sameDuration } from './promises.ts';

/**
 * The public pages of an organisation (policy, hall of fame, not-found) as complete HTML: no
 * scripts, no inline styles, one stylesheet. Everything that comes from data is escaped here; the
 * only raw markup is what these functions write themselves.
 */

// ---------------------------------------------------------------------------------------------
// Escaping: values are text unless they are Html made by `html` below.

const MARKUP: unique symbol = Symbol('html');
export type Html = { readonly [MARKUP]: string };
type Part = Html | string | number | false | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function markup(value: string): Html {
  return { [MARKUP]: value };
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && MARKUP in value;
}

function renderPart(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (isHtml(part)) return part[MARKUP];
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return escapeHtml(String(part));
}

/** A template whose interpolations are escaped, except Html made by this function. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += renderPart(part) + (strings[i + 1] ?? '');
  });
  return markup(out);
}

export function toHtmlString(value: Html): string {
  return value[MARKUP];
}

/** A translator bound to one language; returns plain text. */
export type Translator = (key: string, values?: Record<string, unknown>) => string;

/**
 * A translated sentence with values put in after escaping, so neither the catalogue nor the values
 * can inject markup; an Html value (a link) goes in as markup.
 */
export function sentence(t: Translator, key: string, values: Record<string, Part> = {}): Html {
  const markers: Record<string, string> = {};
  const counts: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name === 'count') counts.count = value;
    markers[name] = `\u{E000}${name}\u{E001}`;
  }
  const text = escapeHtml(t(key, { ...markers, ...counts }));
  return markup(
    text.replace(/\u{E000}([A-Za-z]+)\u{E001}/gu, (_m, name: string) => renderPart(values[name] ?? '')),
  );
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/g;

/** One line of organisation text: escaped, `{{organisation}}` filled in, web addresses as links. */
function lineHtml(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    out += escapeHtml(line.slice(last, match.index));
    out += `<a href="${escapeHtml(url)}" rel="nofollow noopener">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + escapeHtml(line.slice(last));
}

/** `{{organisation}}` filled in. A replacer function, so `$&`, `$'` and the like in a name stay text. */
export function fillOrganisation(text: string, organisation: string): string {
  return text.replace(/\{\{\s*organisation\s*\}\}/g, () => organisation);
}

/** Organisation text as paragraphs: blank lines separate paragraphs, single newlines break lines. */
export function richText(text: string, organisation: string): Html {
  return markup(
    fillOrganisation(text, organisation)
      .replace(/\r\n?/g, '\n')
      .split(/\n[ \t]*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => `<p>${p.split('\n').map(lineHtml).join('<br>')}</p>`)
      .join(''),
  );
}

/** Organisation text inside a list item: one paragraph stays inline, more become paragraphs. */
function inlineText(text: string, organisation: string): Html {
  const filled = fillOrganisation(text, organisation).replace(/\r\n?/g, '\n').trim();
  if (/\n[ \t]*\n/.test(filled)) return richText(filled, organisation);
  return markup(filled.split('\n').map(lineHtml).join('<br>'));
}

// ---------------------------------------------------------------------------------------------
// Formatting in the page's language.

export const LOCALES: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

export function formatDate(date: Date, language: Language, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
  try {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** The calendar date in a time zone, for `<time datetime>`. */
function isoDay(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export function list(language: Language, items: string[], type: 'conjunction' | 'disjunction'): string {
  return new Intl.ListFormat(LOCALES[language], { style: 'long', type }).format(items);
}

export function languageNames(language: Language, codes: string[]): string[] {
  const names = new Intl.DisplayNames([LOCALES[language]], { type: 'language', fallback: 'code' });
  return codes.map((code) => names.of(code) ?? code);
}

function regionName(language: Language, code: string): string {
  try {
    return new Intl.DisplayNames([LOCALES[language]], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Money is stored in minor units; shown in the page's language, without ",00" for whole amounts. */
export function moneyFormatter(language: Language, currency: string) {
  const locale = LOCALES[language];
  const digits = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    trailingZeroDisplay: 'stripIfInteger',
  });
  const major = (minor: number) => minor / 10 ** (digits ?? 2);
  return {
    amount: (minor: number) => format.format(major(minor)),
    // Both ends in full ("€ 50 – € 5.000"): Dutch formatRange would drop the second symbol.
    range: (min: number, max: number) =>
      min === max ? format.format(major(min)) : `${format.format(major(min))} – ${format.format(major(max))}`,
  };
}

export function fileSize(language: Language, bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const unit = mb >= 1 ? 'megabyte' : 'kilobyte';
  const value = mb >= 1 ? mb : bytes / 1024;
  return new Intl.NumberFormat(LOCALES[language], {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

/** ISO weekdays 1…7 as "Monday to Friday" when they run on, else as a list. */
function weekdays(language: Language, days: number[], t: Translator): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  // 1 January 2024 was a Monday.
  const name = (day: number) =>
    new Intl.DateTimeFormat(LOCALES[language], { weekday: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, day)),
    );
  const first = sorted[0];
  const lastDay = sorted[sorted.length - 1];
  if (first === undefined || lastDay === undefined) return '';
  if (sorted.length === 7) return t('calendar.everyDay');
  if (sorted.length >= 3 && lastDay - first === sorted.length - 1) {
    return t('calendar.range', { from: name(first), to: name(lastDay) });
  }
  return list(language, sorted.map(name), 'conjunction');
}

function durationText(t: Translator, d: PolicyDuration): string {
  return t(`duration.${d.unit}`, { count: d.amount });
}

// ---------------------------------------------------------------------------------------------
// Shared page frame.

export type PageLinks = {
  /** `/o/acme`, the policy page of the organisation. */
  policy: string;
  report: string;
  hallOfFame: string;
  pgpKey: string;
  securityTxt: string;
};

export function organisationLinks(slug: string, language?: Language): PageLinks {
  const base = `/o/${encodeURIComponent(slug)}`;
  const q = language ? `?lang=${language}` : '';
  return {
    policy: `${base}${q}`,
    report: `${base}/report${q}`,
    hallOfFame: `${base}/hall-of-fame${q}`,
    pgpKey: `${base}/pgp-key.asc`,
    securityTxt: `${base}/security.txt`,
  };
}

type Frame = {
  language: Language;
  t: Translator;
  title: string;
  description?: string;
  robots: string;
  /** The page's address without a language (`/o/acme`, `/o/acme?version=2`): for alternates and the switch. */
  path: string;
  /** Absolute origin for alternate links, e.g. `https://haven.example`. */
  origin: string;
  organisation?: { name: string; links: PageLinks; hallOfFame: boolean };
  /** What the header says next to the organisation's name. */
  kind: string;
  /** The page's title block (h1 and what belongs to it), on the header's colour. */
  hero: Html;
  body: Html;
  /** Extra stylesheets and deferred scripts (served by Haven itself) for the page's head. */
  head?: Html;
};

function withLanguage(path: string, language: Language): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${language}`;
}

const SHIELD = markup(
  '<svg class="masthead-mark" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path d="M12 2.5 4 5.6v6.1c0 4.9 3.3 8.6 8 9.8 4.7-1.2 8-4.9 8-9.8V5.6z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="m8.6 12.2 2.4 2.4 4.6-4.8" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>',
);

/** A complete public page: masthead, language switch, title band, body, footer. */
export function page(frame: Frame): string {
  const { language, t } = frame;
  const other: Language = language === 'nl' ? 'en' : 'nl';
  const switchLink = (l: Language) =>
    l === language
      ? html`<a href="${withLanguage(frame.path, l)}" hreflang="${l}" lang="${l}" aria-current="true">${t(`languageName.${l}`)}</a>`
      : html`<a href="${withLanguage(frame.path, l)}" hreflang="${l}" lang="${l}">${t(`languageName.${l}`)}</a>`;
  const brand = frame.organisation
    ? html`<a class="masthead-name" href="${frame.organisation.links.policy}">${SHIELD}<span>${frame.organisation.name}</span></a><span class="masthead-kind">${frame.kind}</span>`
    : html`<span class="masthead-name">${SHIELD}<span>${frame.kind}</span></span>`;
  const document = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="${frame.robots}">
<title>${frame.title}</title>
${frame.description ? html`<meta name="description" content="${frame.description}">` : ''}
<link rel="stylesheet" href="/public.css">
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
${frame.head ?? ''}
<link rel="canonical" href="${frame.origin}${withLanguage(frame.path, language)}">
<link rel="alternate" hreflang="${language}" href="${frame.origin}${withLanguage(frame.path, language)}">
<link rel="alternate" hreflang="${other}" href="${frame.origin}${withLanguage(frame.path, other)}">
<link rel="alternate" hreflang="x-default" href="${frame.origin}${frame.path}">
</head>
<body>
<a class="skip-link" href="#content">${t('skipToContent')}</a>
<header class="masthead">
<div class="wrap masthead-inner">
<div class="masthead-id">${brand}</div>
<nav class="language-switch" aria-label="${t('languageSwitch')}"><ul><li>${switchLink('nl')}</li><li>${switchLink('en')}</li></ul></nav>
</div>
</header>
<main id="content">
<div class="hero"><div class="wrap">
${frame.hero}
</div></div>
<div class="wrap page-body">
${frame.body}
</div>
</main>
<footer class="site-footer">
<div class="wrap">
${
  frame.organisation
    ? html`<ul class="footer-links">
<li><a href="${frame.organisation.links.policy}">${t('footer.policy')}</a></li>
${frame.organisation.hallOfFame ? html`<li><a href="${frame.organisation.links.hallOfFame}">${t('footer.hallOfFame')}</a></li>` : ''}
<li><a href="${frame.organisation.links.securityTxt}">security.txt</a></li>
<li><a href="${frame.organisation.links.pgpKey}">${t('footer.pgpKey')}</a></li>
</ul>`
    : ''
}
<p class="powered">${t('footer.poweredBy')}</p>
</div>
</footer>
</body>
</html>
`;
  return toHtmlString(document);
}

// ---------------------------------------------------------------------------------------------
// The policy page.

export type PolicyPageInput = {
  policy: PublishedPolicy;
  language: Language;
  t: Translator;
  origin: string;
  /** Links carry `?lang=` when the reader chose a language explicitly. */
  explicitLanguage: boolean;
};

export function renderPolicyPage(input: PolicyPageInput): string {
  const { policy, language, t } = input;
  const s = policy.settings;
  const org = policy.organisation.name;
  const tz = policy.organisation.timezone;
  const links = organisationLinks(policy.organisation.slug, input.explicitLanguage ? language : undefined);
  const isCurrent = policy.version === policy.currentVersion;
  const path = isCurrent
    ? `/o/${policy.organisation.slug}`
    : `/o/${policy.organisation.slug}?version=${policy.version}`;
  const published = html`<time datetime="${isoDay(policy.publishedAt, tz)}">${formatDate(policy.publishedAt, language, tz)}</time>`;

  // A section that would only say what the organisation does not promise is left out: the page
  // states what the organisation promises, and nothing it did not.
  const sections: { id: string; title: string; body: Html }[] = [
    { id: 'report', title: t('sections.report'), body: reportSection(input, links) },
    { id: 'scope', title: t('sections.scope'), body: scopeSection(s, language, t, org) },
  ];
  const promises = promisesSection(s, language, t);
  if (promises) sections.push({ id: 'promises', title: t('sections.promises'), body: promises });
  sections.push(
    { id: 'rules', title: t('sections.rules'), body: rulesSection(s, language, t, org) },
    {
      id: 'safe-harbour',
      title: t('sections.safeHarbour'),
      body: richText(s.rules.safeHarbour[language], org),
    },
  );
  if (s.rules.privacy[language].trim()) {
    sections.push({
      id: 'privacy',
      title: t('sections.privacy'),
      body: richText(s.rules.privacy[language], org),
    });
  }
  const rewards = rewardsSection(s, language, t, org);
  if (rewards) sections.push({ id: 'rewards', title: t('sections.rewards'), body: rewards });
  const credit = creditSection(s, t, links);
  if (credit) sections.push({ id: 'credit', title: t('sections.credit'), body: credit });
  const disclosure = disclosureSection(s, t);
  if (disclosure) sections.push({ id: 'disclosure', title: t('sections.disclosure'), body: disclosure });
  if (s.rules.other.length > 0) {
    sections.push({
      id: 'other',
      title: t('sections.other'),
      body: html`<ul class="plain-list">${s.rules.other.map((o) => html`<li>${inlineText(o[language], org)}</li>`)}</ul>`,
    });
  }

  const notice = isCurrent
    ? ''
    : html`<div class="notice notice-old" role="note">
<p><strong>${t('version.notCurrent')}</strong> ${sentence(t, 'version.oldIntro', { version: policy.version, date: published })}</p>
<p><a href="${links.policy}">${sentence(t, 'version.readCurrent', { version: policy.currentVersion })}</a></p>
</div>`;

  const hero = html`<h1>${t('policyTitle')}</h1>
<p class="version-line">${sentence(t, 'version.line', { version: policy.version, date: published })}</p>`;
  const body = html`${notice}
${callToAction(s, t, links)}
<div class="lead">${richText(s.introduction[language], org)}</div>
${factsBox(s, language, t)}
<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title" class="toc-title">${t('toc')}</h2>
<ol>${sections.map((x) => html`<li><a href="#${x.id}">${x.title}</a></li>`)}</ol>
</nav>
<div class="policy-document">
${sections.map(
  (x) => html`<section class="policy-section" id="${x.id}" aria-labelledby="${x.id}-title">
<h2 id="${x.id}-title">${x.title}</h2>
${x.body}
</section>
`,
)}</div>
${versionHistory(policy, t, input.explicitLanguage ? language : undefined)}`;

  return page({
    language,
    t,
    title: t('policyPageTitle', { organisation: org }),
    description: t('description', { organisation: org }),
    robots: isCurrent ? 'index, follow' : 'noindex, follow',
    path,
    origin: input.origin,
    organisation: { name: org, links, hallOfFame: s.credit.hallOfFame },
    kind: t('brand'),
    hero,
    body,
  });
}

function callToAction(s: PolicySettings, t: Translator, links: PageLinks): Html {
  const emails = s.intake.emails.map((e) => html`<a href="mailto:${e}">${e}</a>`);
  return html`<aside class="cta" aria-labelledby="cta-title">
<div class="cta-text">
<h2 id="cta-title">${t('cta.heading')}</h2>
<p>${t('cta.text')}</p>
</div>
<div class="cta-actions">
<a class="button" href="${links.report}">${t('cta.button')}</a>
${emails.length > 0 ? html`<p class="cta-alt">${sentence(t, 'cta.orEmail', { addresses: joinHtml(emails, ', ') })}</p>` : ''}
</div>
</aside>`;
}

function joinHtml(items: Html[], separator: string): Html {
  return markup(items.map(toHtmlString).join(escapeHtml(separator)));
}

function factsBox(s: PolicySettings, language: Language, t: Translator): Html {
  const facts: [string, Part][] = [];
  const sl = s.serviceLevels;
  if (sl.acknowledgement)
    facts.push([
      t('facts.acknowledgement'),
      t('facts.within', { duration: durationText(t, sl.acknowledgement) }),
    ]);
  if (sl.firstResponse && !(sl.assessment && sameDuration(sl.firstResponse, sl.assessment)))
    facts.push([
      t('facts.firstResponse'),
      t('facts.within', { duration: durationText(t, sl.firstResponse) }),
    ]);
  if (sl.assessment)
    facts.push([t('facts.assessment'), t('facts.within', { duration: durationText(t, sl.assessment) })]);
  if (sl.resolution.kind === 'fixed')
    facts.push([
      t('facts.resolution'),
      t('facts.within', { duration: durationText(t, sl.resolution.within) }),
    ]);
  if (sl.resolution.kind === 'by_severity') facts.push([t('facts.resolution'), t('facts.bySeverity')]);
  facts.push([
    t('facts.languages'),
    s.intake.languages.length > 0
      ? list(language, languageNames(language, s.intake.languages), 'conjunction')
      : t('facts.anyLanguage'),
  ]);
  facts.push([
    t('facts.anonymous'),
    s.intake.identities.includes('anonymous') ? t('facts.anonymousYes') : t('facts.anonymousNo'),
  ]);
  const r = s.rewards;
  // No rewards: nothing to say (the organisation did not write "none", it wrote nothing).
  if (r.kind === 'discretionary') facts.push([t('facts.rewards'), t('facts.rewardsDiscretionary')]);
  if (r.kind === 'table') {
    const range = moneyFormatter(language, r.currency).range(
      Math.min(...Object.values(r.bySeverity).map((x) => x.min)),
      Math.max(...Object.values(r.bySeverity).map((x) => x.max)),
    );
    facts.push([t('facts.rewards'), range]);
  }
  return html`<section class="facts" aria-labelledby="facts-title">
<h2 id="facts-title" class="facts-title">${t('facts.heading')}</h2>
<dl class="facts-list">${facts.map(([k, v]) => html`<div class="fact"><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
</section>`;
}

function reportSection(input: PolicyPageInput, links: PageLinks): Html {
  const { policy, language, t } = input;
  const s = policy.settings;
  const intake = s.intake;
  const paragraphs: Html[] = [];

  paragraphs.push(
    sentence(t, 'report.form', { form: html`<a href="${links.report}">${t('report.formLink')}</a>` }),
  );
  if (intake.emails.length > 0) {
    const addresses = intake.emails.map((e) => html`<a href="mailto:${e}">${e}</a>`);
    paragraphs.push(
      sentence(t, 'report.email', {
        addresses: joinHtml(addresses, language === 'nl' ? ' of ' : ' or '),
      }),
    );
  }
  paragraphs.push(
    sentence(t, 'report.encrypt', { key: html`<a href="${links.pgpKey}">${t('report.pgpKeyLink')}</a>` }),
  );
  paragraphs.push(
    sentence(t, 'report.securityTxt', { file: html`<a href="${links.securityTxt}">security.txt</a>` }),
  );

  const who: Html[] = [];
  const ways = intake.identities.map((i) => t(`identity.${i}`));
  if (intake.identities.length === 1 && intake.identities[0] === 'named') {
    who.push(sentence(t, 'identity.namedOnly'));
  } else {
    const identity = sentence(t, 'identity.ways', { ways: list(language, ways, 'disjunction') });
    who.push(
      intake.identities.includes('anonymous')
        ? identity
        : html`${identity} ${sentence(t, 'identity.noAnonymous')}`,
    );
  }
  if (intake.requiredContact.length > 0) {
    const fields = list(
      language,
      intake.requiredContact.map((f) => t(`contact.${f}`)),
      'conjunction',
    );
    who.push(
      sentence(
        t,
        intake.identities.includes('anonymous') ? 'contact.requiredUnlessAnonymous' : 'contact.required',
        {
          fields,
        },
      ),
    );
  }
  who.push(
    intake.languages.length > 0
      ? sentence(t, 'languages.some', {
          languages: list(language, languageNames(language, intake.languages), 'disjunction'),
        })
      : sentence(t, 'languages.any'),
  );

  const details =
    intake.requestedDetails.length > 0
      ? html`<h3>${t('details.heading')}</h3>
<ul class="plain-list">${intake.requestedDetails.map((d) => html`<li>${t(`details.${d}`)}</li>`)}</ul>`
      : '';

  return html`<div class="report-ways">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
<h3>${t('report.whoHeading')}</h3>
${who.map((p) => html`<p>${p}</p>`)}
${details}
<h3>${t('attachments.heading')}</h3>
${attachments(s, language, t)}`;
}

function attachments(s: PolicySettings, language: Language, t: Translator): Html {
  const a = s.intake.attachments;
  const out: Html[] = [];
  if (a.allowed.length === 0 || a.maxFiles === 0) {
    out.push(sentence(t, 'attachments.none'));
  } else {
    const kinds = list(
      language,
      a.allowed.map((k) => t(`attachments.kind.${k}`)),
      'conjunction',
    );
    out.push(
      sentence(t, 'attachments.allowed', {
        kinds,
        files: t('attachments.files', { count: a.maxFiles }),
        size: fileSize(language, a.maxBytes),
      }),
    );
  }
  if (a.passwordProtectedAccepted) {
    const protectedDocument = sentence(t, 'attachments.passwordProtected');
    out.push(
      a.passwordChannel === 'none'
        ? protectedDocument
        : html`${protectedDocument} ${sentence(t, `attachments.passwordChannel.${a.passwordChannel}`)}`,
    );
  }
  return html`${out.map((p) => html`<p>${p}</p>`)}`;
}

function assetList(
  assets: PolicySettings['scope']['inScope'],
  language: Language,
  t: Translator,
  org: string,
  variant: 'in' | 'out',
): Html {
  return html`<ul class="assets assets-${variant}">${assets.map(
    (asset) => html`<li class="asset">
<span class="asset-target asset-target-${asset.kind}">${asset.target}</span> <span class="asset-kind">${t(`assetKind.${asset.kind}`)}</span>
${asset.note?.[language].trim() ? html`<span class="asset-note">${inlineText(asset.note[language], org)}</span>` : ''}
</li>`,
  )}</ul>`;
}

function scopeSection(s: PolicySettings, language: Language, t: Translator, org: string): Html {
  const scope = s.scope;
  return html`<h3>${t('scope.inHeading')}</h3>
${
  scope.inScope.length > 0
    ? assetList(scope.inScope, language, t, org, 'in')
    : html`<p>${sentence(t, 'scope.everything', { organisation: org })}</p>`
}
${
  scope.outOfScope.length > 0
    ? html`<h3>${t('scope.outHeading')}</h3>${assetList(scope.outOfScope, language, t, org, 'out')}`
    : ''
}
${
  scope.exclusions.length > 0
    ? html`<h3>${t('scope.exclusionsHeading')}</h3>
<p>${t('scope.exclusionsIntro')}</p>
<ul class="plain-list">${scope.exclusions.map((e) => html`<li>${inlineText(e[language], org)}</li>`)}</ul>`
    : ''
}`;
}

/** What the organisation promises about its answers and the solution; undefined when nothing. */
function promisesSection(s: PolicySettings, language: Language, t: Translator): Html | undefined {
  const sl = s.serviceLevels;
  const items: Html[] = promiseItems(s).map((item) =>
    sentence(t, item.key, {
      ...(item.duration ? { duration: durationText(t, item.duration) } : {}),
      ...(item.count !== undefined ? { count: item.count } : {}),
    }),
  );
  let resolution: Html | '' = '';
  if (sl.resolution.kind === 'by_severity') {
    const r = sl.resolution;
    resolution = html`<dl class="severity-times">${SEVERITIES.map(
      (sev) =>
        html`<div><dt><span class="severity severity-${sev}">${t(`severity.${sev}`)}</span></dt><dd>${t('facts.within', { duration: durationText(t, r[sev]) })}</dd></div>`,
    )}</dl>`;
  }
  if (items.length === 0) return undefined;

  // Every deadline that the page states, so that "working days" is explained whenever one uses them.
  const durations = [sl.acknowledgement, sl.firstResponse, sl.assessment];
  if (sl.resolution.kind === 'fixed') durations.push(sl.resolution.within);
  if (sl.resolution.kind === 'by_severity') {
    for (const severity of SEVERITIES) durations.push(sl.resolution[severity]);
  }
  const usesWorkingDays = durations.some((d) => d?.unit === 'business_days');
  const cal = s.calendar;
  const workingDays = usesWorkingDays
    ? html`<p class="fine-print">${sentence(
        t,
        cal.holidays ? 'calendar.workingDaysHolidays' : 'calendar.workingDays',
        {
          days: weekdays(language, cal.workingDays, t),
          country: cal.holidays ? regionName(language, cal.holidays.country) : '',
        },
      )}</p>`
    : '';

  return html`<ul class="promises">${items.map((i) => html`<li>${i}</li>`)}</ul>
${resolution}
${workingDays}`;
}

function rulesSection(s: PolicySettings, language: Language, t: Translator, org: string): Html {
  return html`${
    s.rules.do.length > 0
      ? html`<h3>${t('rules.doHeading')}</h3>
<ul class="rules rules-do">${s.rules.do.map((r) => html`<li>${inlineText(r[language], org)}</li>`)}</ul>`
      : ''
  }
${
  s.rules.dont.length > 0
    ? html`<h3>${t('rules.dontHeading')}</h3>
<ul class="rules rules-dont">${s.rules.dont.map((r) => html`<li>${inlineText(r[language], org)}</li>`)}</ul>`
    : ''
}`;
}

/** The rewards on offer; undefined when the organisation offers none (nothing to promise). */
function rewardsSection(s: PolicySettings, language: Language, t: Translator, org: string): Html | undefined {
  const r = s.rewards;
  if (r.kind === 'none') return undefined;
  const note = r.note[language].trim() ? richText(r.note[language], org) : '';
  if (r.kind === 'discretionary') {
    const dependsOn =
      r.dependsOnSeverity && r.dependsOnReportQuality
        ? 'rewards.dependsOnBoth'
        : r.dependsOnSeverity
          ? 'rewards.dependsOnSeverity'
          : r.dependsOnReportQuality
            ? 'rewards.dependsOnQuality'
            : undefined;
    // The organisation's own words, when it wrote them, say this better than the generated sentences.
    if (note) return note;
    return html`<p>${sentence(t, 'rewards.discretionary')}${dependsOn ? html` ${sentence(t, dependsOn)}` : ''}</p>`;
  }
  const money = moneyFormatter(language, r.currency);
  return html`<p>${sentence(t, 'rewards.table')}</p>
<table class="reward-table">
<thead><tr><th scope="col">${t('rewards.severity')}</th><th scope="col">${t('rewards.amount')}</th></tr></thead>
<tbody>${SEVERITIES.map(
    (sev) =>
      html`<tr><th scope="row"><span class="severity severity-${sev}">${t(`severity.${sev}`)}</span></th><td>${money.range(r.bySeverity[sev].min, r.bySeverity[sev].max)}</td></tr>`,
  )}</tbody>
</table>
${r.dependsOnReportQuality ? html`<p>${sentence(t, 'rewards.qualityWithinRange')}</p>` : ''}
${note}`;
}

/** How reporters are credited; undefined when the policy promises no credit. */
function creditSection(s: PolicySettings, t: Translator, links: PageLinks): Html | undefined {
  const items: Html[] = [];
  if (s.credit.hallOfFame) {
    items.push(
      sentence(t, 'credit.hallOfFame', {
        link: html`<a href="${links.hallOfFame}">${t('credit.hallOfFameLink')}</a>`,
      }),
    );
  }
  if (s.credit.creditInAdvisories) items.push(sentence(t, 'credit.advisories'));
  if (items.length === 0) return undefined;
  return html`${items.map((i) => html`<p>${i}</p>`)}`;
}

/** When and how a problem is made public; undefined when the policy says nothing about it. */
function disclosureSection(s: PolicySettings, t: Translator): Html | undefined {
  const d = s.disclosure;
  const items: Html[] = [];
  if (d.publicationOnlyByAgreement && d.defaultEmbargoDays !== null) {
    // Both: publication is agreed with the reporter, and the embargo is the fallback when no
    // agreement is reached ("We agree with you when…; unless we agree otherwise, … after N days").
    items.push(sentence(t, 'disclosure.agree'));
    items.push(sentence(t, 'disclosure.embargo', { count: d.defaultEmbargoDays }));
  } else if (d.publicationOnlyByAgreement) {
    items.push(sentence(t, 'disclosure.byAgreement'));
  } else if (d.defaultEmbargoDays !== null) {
    items.push(sentence(t, 'disclosure.embargo', { count: d.defaultEmbargoDays }));
  }
  if (d.requiresAllPartiesInformed && d.requiresResolution)
    items.push(sentence(t, 'disclosure.informedAndResolved'));
  else if (d.requiresAllPartiesInformed) items.push(sentence(t, 'disclosure.informed'));
  else if (d.requiresResolution) items.push(sentence(t, 'disclosure.resolved'));
  if (d.mayAgreeNeverToPublish) items.push(sentence(t, 'disclosure.never'));
  if (d.confidential) items.push(sentence(t, 'disclosure.confidential'));
  if (items.length === 0) return undefined;
  return html`<ul class="plain-list">${items.map((i) => html`<li>${i}</li>`)}</ul>`;
}

function versionHistory(policy: PublishedPolicy, t: Translator, language: Language | undefined): Html {
  if (policy.currentVersion <= 1) return html``;
  const base = `/o/${encodeURIComponent(policy.organisation.slug)}`;
  const lang = language ? `lang=${language}` : '';
  const href = (v: number) =>
    v === policy.currentVersion
      ? `${base}${lang ? `?${lang}` : ''}`
      : `${base}?version=${v}${lang ? `&${lang}` : ''}`;
  const versions = Array.from({ length: policy.currentVersion }, (_, i) => policy.currentVersion - i);
  return html`<nav class="versions" aria-labelledby="versions-title">
<h2 id="versions-title">${t('version.history')}</h2>
<ul>${versions.map((v) => {
    const label =
      v === policy.currentVersion
        ? t('version.itemCurrent', { version: v })
        : t('version.item', { version: v });
    return v === policy.version
      ? html`<li><a href="${href(v)}" aria-current="page">${label}</a></li>`
      : html`<li><a href="${href(v)}">${label}</a></li>`;
  })}</ul>
</nav>`;
}

// ---------------------------------------------------------------------------------------------
// Hall of fame.

/** One person credited for a report; the credits domain will supply these. */
export type HallOfFameEntry = {
  name: string;
  date: Date;
  /** The reporter's own page; shown only when it is an http(s) address. */
  link?: string | null;
  /** What they found, when the team chose to say. */
  title?: string | null;
};

export type HallOfFameInput = {
  organisation: PublishedPolicy['organisation'];
  credits: readonly HallOfFameEntry[];
  language: Language;
  t: Translator;
  origin: string;
  explicitLanguage: boolean;
};

const AWARD = markup(
  '<svg class="empty-mark" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false"><circle cx="12" cy="9" r="6" fill="none" stroke="currentColor" stroke-width="1.7"/><path d="m12 6.2.9 1.8 2 .3-1.45 1.4.35 2-1.8-.95-1.8.95.35-2L9.1 8.3l2-.3z" fill="currentColor"/><path d="M8.5 14 7 21l5-2.5 5 2.5-1.5-7" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round"/></svg>',
);

function safeLink(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function renderHallOfFamePage(input: HallOfFameInput): string {
  const { organisation, language, t } = input;
  const org = organisation.name;
  const links = organisationLinks(organisation.slug, input.explicitLanguage ? language : undefined);
  const content =
    input.credits.length === 0
      ? html`<div class="empty-state">
${AWARD}
<p class="empty-title">${t('hallOfFame.emptyTitle')}</p>
<p>${t('hallOfFame.emptyText')}</p>
<p class="empty-actions"><a class="button" href="${links.report}">${t('cta.button')}</a> <a class="button button-secondary" href="${links.policy}">${t('hallOfFame.readPolicy')}</a></p>
</div>`
      : html`<ul class="credits">${input.credits.map((c) => {
          const link = safeLink(c.link);
          const name = link
            ? html`<a href="${link}" rel="nofollow ugc noopener">${c.name}</a>`
            : html`${c.name}`;
          return html`<li class="credit">
<span class="credit-name">${name}</span>
${c.title ? html`<span class="credit-title">${c.title}</span>` : ''}
<time class="credit-date" datetime="${isoDay(c.date, organisation.timezone)}">${formatDate(c.date, language, organisation.timezone)}</time>
</li>`;
        })}</ul>
<p class="back-link"><a href="${links.policy}">${t('hallOfFame.readPolicy')}</a></p>`;

  const hero = html`<h1>${t('hallOfFame.title')}</h1>
<p class="hero-text">${t('hallOfFame.intro', { organisation: org })}</p>`;
  const body = content;
  return page({
    language,
    t,
    title: t('hallOfFame.pageTitle', { organisation: org }),
    description: t('hallOfFame.intro', { organisation: org }),
    robots: 'index, follow',
    path: `/o/${organisation.slug}/hall-of-fame`,
    origin: input.origin,
    organisation: { name: org, links, hallOfFame: true },
    kind: t('brand'),
    hero,
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Pages that say something is not there (all served with status 404).

export type NotFoundKind = 'organisation' | 'policy' | 'version' | 'hallOfFame';

export type NotFoundInput = {
  kind: NotFoundKind;
  language: Language;
  t: Translator;
  origin: string;
  path: string;
  /** The current policy, known for `version` and `hallOfFame`. */
  policy?: PublishedPolicy;
  explicitLanguage: boolean;
};

export function renderNotFoundPage(input: NotFoundInput): string {
  const { kind, language, t } = input;
  const org = input.policy?.organisation;
  const links = org ? organisationLinks(org.slug, input.explicitLanguage ? language : undefined) : undefined;
  const values = { organisation: org?.name ?? '' };
  const title = t(`notFound.${kind}.title`, values);
  const text = t(`notFound.${kind}.text`, values);
  const hero = html`<p class="hero-eyebrow">404</p>
<h1>${title}</h1>`;
  const body = html`<div class="empty-state">
<p>${text}</p>
${links ? html`<p class="empty-actions"><a class="button" href="${links.policy}">${t('notFound.toPolicy')}</a></p>` : ''}
</div>`;
  return page({
    language,
    t,
    title,
    robots: 'noindex',
    path: input.path,
    origin: input.origin,
    organisation:
      org && links
        ? { name: org.name, links, hallOfFame: input.policy?.settings.credit.hallOfFame ?? false }
        : undefined,
    kind: t('brand'),
    hero,
    body,
  });
}
