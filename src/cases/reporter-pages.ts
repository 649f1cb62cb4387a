import type { Language } from '../platform/i18n.ts';
import {
  fileSize,
  formatDate,
  type Html,
  html,
  LOCALES,
  organisationLinks,
  page,
  sentence,
  type Translator,
} from '../policies/policy-page.ts';
import type { ReporterCaseView } from './case-views.ts';

/**
 * The reporter's private pages under /r: the case page, the pages a link or a missing cookie
 * lead to, and lost-link recovery. Server-rendered HTML without scripts; everything the reporter
 * or the team wrote is escaped by `html` and shown as plain text.
 */

export type PageBase = {
  language: Language;
  /** `?lang=` was given: links keep it. */
  explicitLanguage: boolean;
  t: Translator;
  origin: string;
};

/** A second translator for pages that say the same thing in both languages. */
export type BilingualBase = PageBase & { other: { language: Language; t: Translator } };

function withLang(path: string, base: PageBase): string {
  return base.explicitLanguage ? `${path}${path.includes('?') ? '&' : '?'}lang=${base.language}` : path;
}

export function formatDateTime(date: Date, language: Language, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** A translation, or the fallback key's when the catalogue has none (a state or event added later). */
function translatedOr(t: Translator, key: string, fallback: string): string {
  const text = t(key);
  return text === key || text === `public.${key}` ? t(fallback) : text;
}

export function caseStateLabel(t: Translator, state: string): string {
  return translatedOr(t, `caseState.${state}`, 'caseState.unknown');
}

function caseStateText(t: Translator, state: string): string {
  return translatedOr(t, `reporterCase.stateText.${state}`, 'reporterCase.stateText.unknown');
}

/** Event kinds are dotted (`case.received`); the catalogue keys use underscores. */
function caseEventLabel(t: Translator, kind: string): string {
  return translatedOr(t, `caseEvent.${kind.replace(/[^a-z0-9_]/gi, '_')}`, 'caseEvent.other');
}

function cssToken(value: string): string {
  return value.replace(/[^a-z0-9_-]/gi, '');
}

// ---------------------------------------------------------------------------------------------
// The case page.

export type CaseFormName = 'message' | 'credit' | 'withdraw' | 'link';

export type CasePageInput = PageBase & {
  view: ReporterCaseView;
  timezone: string;
  /** The hidden field every form here carries (bound to the link token). */
  csrf: string;
  /** The promises of the accepted policy version, in the page's language. */
  promises: string[];
  /** The organisation credits reporters (hall of fame or advisories): the credit form is shown. */
  creditOffered: boolean;
  /** What was just done (`?done=`), for the confirmation at the top. */
  done?: string;
  /** The new private link, shown once after it was replaced. */
  newLink?: string;
  /** A form that came back with a problem, and what the reporter had typed in it. */
  formError?: { form: CaseFormName; message: string; body?: string };
  /** Paths of the actions. */
  paths: {
    messages: string;
    credit: string;
    withdraw: string;
    link: string;
    signOut: string;
    receipt: string;
    file: (id: string) => string;
    recover: string;
  };
};

const DONE = new Set(['message', 'credit', 'withdrawn', 'link']);

function formErrorOf(input: CasePageInput, form: CaseFormName): Html {
  if (input.formError?.form !== form) return html``;
  return html`<p class="field-error" id="${form}-error" role="alert"><span class="visually-hidden">${input.t('reportForm.errorPrefix')} </span>${input.formError.message}</p>`;
}

function csrfField(input: CasePageInput): Html {
  return html`<input type="hidden" name="csrf" value="${input.csrf}">`;
}

/** A file's size; below a kilobyte in bytes, so a small text file does not read "0 kB". */
function sizeText(language: Language, bytes: number): string {
  if (bytes >= 1024) return fileSize(language, bytes);
  return new Intl.NumberFormat(LOCALES[language], {
    style: 'unit',
    unit: 'byte',
    unitDisplay: 'short',
  }).format(bytes);
}

function fileList(input: CasePageInput, files: ReporterCaseView['attachments']): Html {
  if (files.length === 0) return html``;
  return html`<ul class="file-list">${files.map(
    (f) =>
      html`<li><a href="${input.paths.file(f.id)}" download>${f.fileName}</a> <span class="file-size">${sizeText(input.language, f.size)}</span></li>`,
  )}</ul>`;
}

export function renderCasePage(input: CasePageInput): string {
  const { t, view, language } = input;
  const org = view.organisation.name;
  const links = organisationLinks(view.organisation.slug, input.explicitLanguage ? language : undefined);
  const received = new Date(view.receivedAt);
  const withdrawnAt = view.timeline.find((e) => e.kind === 'case.withdrawn')?.at;
  const when = (iso: string) => {
    const d = new Date(iso);
    return html`<time datetime="${d.toISOString()}">${formatDateTime(d, language, input.timezone)}</time>`;
  };

  const flash =
    input.done && DONE.has(input.done)
      ? html`<div class="flash" role="status">
<p>${t(`reporterCase.done.${input.done}`)}</p>
${
  input.done === 'link' && input.newLink
    ? html`<p class="field-label" id="new-link-label">${t('reporterCase.link.newLabel')}</p>
<code class="link-box" id="new-link" aria-labelledby="new-link-label">${input.newLink}</code>
<p class="fine-print">${t('reporterCase.link.newText')}</p>`
    : ''
}
</div>`
      : '';

  const withdrawnNotice = view.withdrawn
    ? html`<div class="notice notice-inline-block" role="note">
<p><strong>${t('reporterCase.withdrawn.title')}</strong></p>
<p>${withdrawnAt ? sentence(t, 'reporterCase.withdrawn.textOn', { date: when(withdrawnAt) }) : t('reporterCase.withdrawn.text')}</p>
</div>`
    : '';

  const status = html`<section class="panel" aria-labelledby="status-title">
<h2 id="status-title">${t('reporterCase.status.heading')}</h2>
<p class="state-line"><span class="state-badge state-${cssToken(view.state)}">${caseStateLabel(t, view.state)}</span></p>
<p>${caseStateText(t, view.state)}</p>
${
  input.promises.length > 0
    ? html`<h3 class="panel-subtitle">${t('reporterCase.status.promises', { organisation: org })}</h3>
<ul class="promises">${input.promises.map((p) => html`<li>${p}</li>`)}</ul>
<p class="fine-print">${t('reporterCase.status.promisesFrom', { version: view.policyVersion ?? '' })}</p>`
    : ''
}
</section>`;

  const disabled = view.withdrawn;
  const messages = html`<section class="panel" id="messages" aria-labelledby="messages-title">
<h2 id="messages-title">${t('reporterCase.messages.heading')}</h2>
${
  view.messages.length === 0
    ? html`<p class="empty-note">${t('reporterCase.messages.none', { organisation: org })}</p>`
    : html`<ol class="thread">${view.messages.map(
        (m) => html`<li class="message message-${m.from === 'team' ? 'team' : 'you'}">
<p class="message-meta"><span class="message-author">${m.from === 'team' ? t('reporterCase.messages.fromTeam', { organisation: org }) : t('reporterCase.messages.fromYou')}</span> ${when(m.at)}</p>
<div class="message-body">${m.body}</div>
${fileList(input, m.attachments)}
</li>`,
      )}</ol>`
}
<form class="case-form" method="post" action="${input.paths.messages}" enctype="multipart/form-data" accept-charset="utf-8">
${csrfField(input)}
<fieldset class="plain-fieldset"${disabled ? html` disabled` : ''}>
<legend class="field-label">${t('reporterCase.messages.replyLabel')}</legend>
${formErrorOf(input, 'message')}
<div class="field">
<label class="visually-hidden" for="reply-body">${t('reporterCase.messages.replyLabel')}</label>
<textarea class="input" id="reply-body" name="body" rows="5" maxlength="100000" required${input.formError?.form === 'message' ? html` aria-invalid="true" aria-describedby="message-error"` : ''}>
${input.formError?.form === 'message' ? (input.formError.body ?? '') : ''}</textarea>
</div>
<div class="field">
<label class="field-label" for="reply-files">${t('reporterCase.messages.filesLabel')}</label>
<p class="field-hint" id="reply-files-hint">${t('reporterCase.messages.filesHint')}</p>
<input class="file-input" id="reply-files" name="attachments" type="file" multiple aria-describedby="reply-files-hint">
</div>
<button class="button button-submit" type="submit">${t('reporterCase.messages.send')}</button>
</fieldset>
${disabled ? html`<p class="fine-print">${t('reporterCase.withdrawn.formsClosed')}</p>` : ''}
</form>
</section>`;

  const timeline = html`<section class="panel" aria-labelledby="timeline-title">
<h2 id="timeline-title">${t('reporterCase.timeline.heading')}</h2>
<ol class="timeline">${[...view.timeline]
    .reverse()
    .map(
      (e) => html`<li><span class="timeline-what">${caseEventLabel(t, e.kind)}</span> ${when(e.at)}</li>`,
    )}</ol>
</section>`;

  const report = html`<section class="panel" aria-labelledby="report-title">
<h2 id="report-title">${t('reporterCase.report.heading')}</h2>
<dl class="details">
<div><dt>${t('reporterCase.report.reference')}</dt><dd class="reference-inline">${view.reference}</dd></div>
<div><dt>${t('reporterCase.report.organisation')}</dt><dd><a href="${links.policy}">${org}</a></dd></div>
<div><dt>${t('reporterCase.report.received')}</dt><dd>${when(view.receivedAt)}</dd></div>
${view.policyVersion !== null ? html`<div><dt>${t('reporterCase.report.policyVersion')}</dt><dd><a href="/o/${encodeURIComponent(view.organisation.slug)}?version=${view.policyVersion}${input.explicitLanguage ? `&lang=${language}` : ''}">${t('reporterCase.report.policyVersionValue', { version: view.policyVersion })}</a></dd></div>` : ''}
<div><dt>${t('reporterCase.report.answerLanguage')}</dt><dd>${t(`languageName.${view.language}`)}</dd></div>
</dl>
${
  view.attachments.length > 0
    ? html`<h3 class="panel-subtitle">${t('reporterCase.report.files')}</h3>${fileList(input, view.attachments)}`
    : html`<p class="empty-note">${t('reporterCase.report.noFiles')}</p>`
}
</section>`;

  const credit =
    input.creditOffered || view.credit.wanted
      ? html`<section class="panel" aria-labelledby="credit-title">
<h2 id="credit-title">${t('reporterCase.credit.heading')}</h2>
<p>${t('reporterCase.credit.text', { organisation: org })}</p>
<form class="case-form" method="post" action="${input.paths.credit}" enctype="multipart/form-data" accept-charset="utf-8">
${csrfField(input)}
<fieldset class="plain-fieldset"${disabled ? html` disabled` : ''}>
<legend class="visually-hidden">${t('reporterCase.credit.heading')}</legend>
${formErrorOf(input, 'credit')}
<div class="field field-check">
<input class="check" id="credit-wanted" name="wanted" type="checkbox" value="yes"${view.credit.wanted ? html` checked` : ''}>
<label for="credit-wanted">${t('reporterCase.credit.wanted')}</label>
</div>
<div class="field">
<label class="field-label" for="credit-name">${t('reporterCase.credit.name')}</label>
<p class="field-hint" id="credit-name-hint">${t('reporterCase.credit.nameHint')}</p>
<input class="input" id="credit-name" name="name" type="text" maxlength="120" value="${view.credit.name ?? ''}" aria-describedby="credit-name-hint">
</div>
<button class="button button-secondary" type="submit">${t('reporterCase.credit.save')}</button>
</fieldset>
</form>
</section>`
      : '';

  const access = html`<section class="panel panel-key" aria-labelledby="access-title">
<h2 id="access-title">${t('reporterCase.link.heading')}</h2>
<p>${t('reporterCase.link.text')}</p>
${
  view.recoverable
    ? html`<p>${sentence(t, 'reporterCase.link.recoverable', {
        recover: html`<a href="${input.paths.recover}">${t('reporterCase.link.recoverLink')}</a>`,
      })}</p>`
    : html`<div class="notice notice-inline-block" role="note"><p><strong>${t('reporterCase.link.notRecoverableTitle')}</strong></p><p>${t('reporterCase.link.notRecoverable')}</p></div>`
}
<p><a class="button button-secondary" href="${input.paths.receipt}" download>${t('reporterCase.link.receipt')}</a></p>
<form class="case-form inline-form" method="post" action="${input.paths.link}" enctype="multipart/form-data">
${csrfField(input)}
${formErrorOf(input, 'link')}
<p class="field-hint">${t('reporterCase.link.replaceText')}</p>
<button class="button button-secondary" type="submit">${t('reporterCase.link.replace')}</button>
</form>
<form class="case-form inline-form" method="post" action="${input.paths.signOut}" enctype="multipart/form-data">
${csrfField(input)}
<p class="field-hint">${t('reporterCase.link.signOutText')}</p>
<button class="button button-secondary" type="submit">${t('reporterCase.link.signOut')}</button>
</form>
</section>`;

  const withdraw = view.withdrawn
    ? ''
    : html`<section class="panel panel-danger" aria-labelledby="withdraw-title">
<h2 id="withdraw-title">${t('reporterCase.withdraw.heading')}</h2>
<p>${t('reporterCase.withdraw.text', { organisation: org })}</p>
<form class="case-form" method="post" action="${input.paths.withdraw}" enctype="multipart/form-data">
${csrfField(input)}
${formErrorOf(input, 'withdraw')}
<div class="field field-check">
<input class="check" id="withdraw-confirm" name="confirm" type="checkbox" value="yes" required${input.formError?.form === 'withdraw' ? html` aria-invalid="true" aria-describedby="withdraw-error"` : ''}>
<label for="withdraw-confirm">${t('reporterCase.withdraw.confirm')}</label>
</div>
<button class="button button-danger" type="submit">${t('reporterCase.withdraw.submit')}</button>
</form>
</section>`;

  const hero = html`<p class="hero-eyebrow">${t('reporterCase.eyebrow', { reference: view.reference })}</p>
<h1 class="case-title">${view.title}</h1>
<p class="hero-meta"><span class="state-badge state-${cssToken(view.state)}">${caseStateLabel(t, view.state)}</span> <span>${sentence(
    t,
    'reporterCase.receivedBy',
    {
      organisation: org,
      date: html`<time datetime="${received.toISOString()}">${formatDate(received, language, input.timezone)}</time>`,
    },
  )}</span></p>`;

  const body = html`${flash}
${withdrawnNotice}
<div class="case-layout">
${status}
${messages}
${report}
${timeline}
${credit}
${access}
${withdraw}
</div>`;

  return page({
    language,
    t,
    title: t('reporterCase.pageTitle', { reference: view.reference, organisation: org }),
    robots: 'noindex, nofollow',
    path: '/r/case',
    origin: input.origin,
    organisation: { name: org, links, hallOfFame: false },
    kind: t('reporterCase.brand'),
    hero,
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Pages without a case: a dead link, no cookie, signed out, a refused request.

/** The same text in the page's language and, below it, in the other one. */
function bilingual(
  base: BilingualBase,
  render: (t: Translator, language: Language, primary: boolean) => Html,
): Html {
  return html`${render(base.t, base.language, true)}
<div class="other-language" lang="${base.other.language}">
${render(base.other.t, base.other.language, false)}
</div>`;
}

function simplePage(
  base: PageBase,
  o: { title: string; eyebrow?: string; body: Html; path: string; head?: Html },
): string {
  return page({
    language: base.language,
    t: base.t,
    title: o.title,
    robots: 'noindex, nofollow',
    path: o.path,
    origin: base.origin,
    kind: base.t('reporterCase.brand'),
    hero: html`${o.eyebrow ? html`<p class="hero-eyebrow">${o.eyebrow}</p>` : ''}<h1>${o.title}</h1>`,
    body: html`<div class="panel panel-raised">${o.body}</div>`,
    head: o.head,
  });
}

/** `/r/{token}` with a link that is unknown, revoked, used or expired (404). */
export function renderLinkInvalidPage(base: BilingualBase): string {
  return simplePage(base, {
    title: base.t('reporterCase.invalidLink.title'),
    eyebrow: '404',
    path: '/r/case',
    body: bilingual(
      base,
      (
        t,
        language,
        primary,
      ) => html`${primary ? '' : html`<h2 class="other-title">${t('reporterCase.invalidLink.title')}</h2>`}
<p>${t('reporterCase.invalidLink.text')}</p>
<p>${sentence(t, 'reporterCase.invalidLink.recover', {
        recover: html`<a href="/r/recover?lang=${language}">${t('reporterCase.invalidLink.recoverLink')}</a>`,
      })}</p>
<p>${t('reporterCase.invalidLink.anonymous')}</p>`,
    ),
  });
}

/** `/r/case` without the cookie, first time: a same-site refresh brings the SameSite=Strict cookie along. */
export function renderCookieRetryPage(base: PageBase, retryPath: string): string {
  return simplePage(base, {
    title: base.t('reporterCase.retry.title'),
    path: '/r/case',
    head: html`<meta http-equiv="refresh" content="0;url=${retryPath}">`,
    body: html`<p>${base.t('reporterCase.retry.text')}</p>
<p><a class="button" href="${retryPath}">${base.t('reporterCase.retry.continue')}</a></p>`,
  });
}

/** `/r/case` without the cookie even after the retry (403). */
export function renderNoAccessPage(base: BilingualBase): string {
  return simplePage(base, {
    title: base.t('reporterCase.noAccess.title'),
    path: '/r/case',
    body: bilingual(
      base,
      (
        t,
        language,
        primary,
      ) => html`${primary ? '' : html`<h2 class="other-title">${t('reporterCase.noAccess.title')}</h2>`}
<p>${t('reporterCase.noAccess.text')}</p>
<p>${t('reporterCase.noAccess.cookies')}</p>
<p>${sentence(t, 'reporterCase.invalidLink.recover', {
        recover: html`<a href="/r/recover?lang=${language}">${t('reporterCase.invalidLink.recoverLink')}</a>`,
      })}</p>`,
    ),
  });
}

export function renderSignedOutPage(base: PageBase): string {
  return simplePage(base, {
    title: base.t('reporterCase.signedOut.title'),
    path: '/r/signed-out',
    body: html`<p>${base.t('reporterCase.signedOut.text')}</p>`,
  });
}

/** A request this page refuses, or that broke: status, title and text given by the caller. */
export function renderProblemPage(
  base: PageBase,
  o: { status: number; title: string; text: string; path: string },
): string {
  return simplePage(base, {
    title: o.title,
    eyebrow: String(o.status),
    path: o.path,
    body: html`<p>${o.text}</p>`,
  });
}

// ---------------------------------------------------------------------------------------------
// Lost link.

export type RecoverPageInput = PageBase & {
  action: string;
  values: { reference: string; email: string };
  errors?: { summary: string; fields: { field: 'reference' | 'email'; message: string }[] };
};

export function renderRecoverPage(input: RecoverPageInput): string {
  const { t } = input;
  const errorOf = (field: 'reference' | 'email') => input.errors?.fields.find((f) => f.field === field);
  const field = (
    name: 'reference' | 'email',
    o: { type: string; autocomplete: string; maxLength: number; hint: string },
  ) => {
    const error = errorOf(name);
    const ids = `recover-${name}-hint${error ? ` recover-${name}-error` : ''}`;
    return html`<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="recover-${name}">${t(`recover.${name}`)}</label>
<p class="field-hint" id="recover-${name}-hint">${o.hint}</p>
${error ? html`<p class="field-error" id="recover-${name}-error"><span class="visually-hidden">${t('reportForm.errorPrefix')} </span>${error.message}</p>` : ''}
<input class="input" id="recover-${name}" name="${name}" type="${o.type}" value="${input.values[name]}" maxlength="${o.maxLength}" required autocomplete="${o.autocomplete}" spellcheck="false" aria-describedby="${ids}"${error ? html` aria-invalid="true"` : ''}>
</div>`;
  };
  const summary = input.errors
    ? html`<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="recover-error-title">
<h2 id="recover-error-title">${t('recover.errorTitle')}</h2>
<p>${input.errors.summary}</p>
${input.errors.fields.length > 0 ? html`<ul class="error-list">${input.errors.fields.map((f) => html`<li><a href="#recover-${f.field}">${f.message}</a></li>`)}</ul>` : ''}
</div>`
    : '';
  return page({
    language: input.language,
    t,
    title: t('recover.title'),
    robots: 'noindex, follow',
    path: '/r/recover',
    origin: input.origin,
    kind: t('reporterCase.brand'),
    hero: html`<h1>${t('recover.title')}</h1>
<p class="hero-text">${t('recover.intro')}</p>`,
    body: html`${summary}<div class="panel panel-raised">
<form class="case-form" method="post" action="${input.action}" enctype="multipart/form-data" accept-charset="utf-8">
${field('reference', { type: 'text', autocomplete: 'off', maxLength: 80, hint: t('recover.referenceHint') })}
${field('email', { type: 'email', autocomplete: 'email', maxLength: 254, hint: t('recover.emailHint') })}
<button class="button button-submit" type="submit">${t('recover.submit')}</button>
</form>
<div class="notice notice-inline-block" role="note">
<p><strong>${t('recover.anonymousTitle')}</strong></p>
<p>${t('recover.anonymous')}</p>
</div>
</div>`,
  });
}

/** The one answer to every well-formed recovery request, matching or not. */
export function renderRecoverSentPage(input: PageBase & { minutes: number; again: string }): string {
  const { t } = input;
  return simplePage(input, {
    title: t('recover.sentTitle'),
    path: '/r/recover',
    body: html`<p>${t('recover.sent', { minutes: input.minutes })}</p>
<p>${t('recover.sentCheck')}</p>
<p class="fine-print">${t('recover.anonymous')}</p>
<p><a href="${withLang(input.again, input)}">${t('recover.again')}</a></p>`,
  });
}

// ---------------------------------------------------------------------------------------------
// The receipt: a text file an anonymous reporter keeps instead of an e-mail.

export function receiptText(input: {
  t: Translator;
  language: Language;
  timezone: string;
  view: ReporterCaseView;
  caseUrl: string;
}): string {
  const { t, view } = input;
  const lines = [
    t('reporterCase.receipt.heading', { organisation: view.organisation.name }),
    '',
    `${t('reporterCase.receipt.organisation')}: ${view.organisation.name}`,
    `${t('reporterCase.receipt.reference')}: ${view.reference}`,
    `${t('reporterCase.receipt.title')}: ${view.title}`,
    `${t('reporterCase.receipt.received')}: ${formatDateTime(new Date(view.receivedAt), input.language, input.timezone)} (${input.timezone})`,
    ...(view.policyVersion !== null
      ? [`${t('reporterCase.receipt.policyVersion')}: ${view.policyVersion}`]
      : []),
    `${t('reporterCase.receipt.link')}: ${input.caseUrl}`,
    '',
    t('reporterCase.receipt.secret'),
    view.recoverable ? t('reporterCase.receipt.recoverable') : t('reporterCase.receipt.notRecoverable'),
    '',
  ];
  return lines.join('\r\n');
}
