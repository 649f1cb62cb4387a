import type { AppError } from '../platform/errors.ts';
import type { Language } from '../platform/i18n.ts';
import {
  fileSize,
  type Html,
  html,
  languageNames,
  list,
  organisationLinks,
  page,
  sentence,
  type Translator,
} from '../policies/policy-page.ts';
import type { PolicySettings } from '../policies/policy-settings.ts';
import { promiseSentences } from '../policies/promises.ts';
import { ATTACHMENT_HARD_LIMITS } from './attachment-pipeline.ts';

/**
 * The web report form and its confirmation page: server-rendered HTML, complete without JavaScript
 * (only the ALTCHA check needs it), every value from the reporter escaped by `html`.
 */

/** The form's flat fields as the reporter typed them; shown again when the form comes back. */
export type ReportFormValues = {
  title: string;
  assets: string;
  ipAddresses: string;
  objects: string;
  steps: string;
  impact: string;
  proofOfConceptText: string;
  cwe: string;
  identity: string;
  name: string;
  alias: string;
  email: string;
  phone: string;
  openpgpKey: string;
  creditWanted: boolean;
  creditName: string;
  language: string;
  acceptPolicy: boolean;
};

export function emptyFormValues(language: Language, identities: readonly string[]): ReportFormValues {
  return {
    title: '',
    assets: '',
    ipAddresses: '',
    objects: '',
    steps: '',
    impact: '',
    proofOfConceptText: '',
    cwe: '',
    // One way to report: chosen already. More: the reporter chooses.
    identity: identities.length === 1 ? (identities[0] ?? '') : '',
    name: '',
    alias: '',
    email: '',
    phone: '',
    openpgpKey: '',
    creditWanted: false,
    creditName: '',
    language,
    acceptPolicy: false,
  };
}

/** What went wrong, translated: one line for the summary, and a message per form field. */
export type FormProblem = {
  summary: string;
  fields: { field: string; message: string }[];
  /** Files were sent with the form: they are not kept, so the reporter attaches them again. */
  filesDropped: boolean;
};

export type IntakeOrganisation = { slug: string; name: string };

export type ReportFormInput = {
  organisation: IntakeOrganisation;
  /** The published policy version in force; undefined before the first publication. */
  policy: { version: number; settings: PolicySettings } | undefined;
  rules: PolicySettings['intake'];
  language: Language;
  explicitLanguage: boolean;
  t: Translator;
  origin: string;
  values: ReportFormValues;
  nonce: string;
  problem?: FormProblem;
  /** The ALTCHA widget's files and challenge; undefined when proof-of-work is off. */
  altcha?: { script: string[]; stylesheet: string; challengeUrl: string };
};

/** The form's field for each `field` an AppError names (`assets.3` is the field `assets`). */
const FIELD_OF_DETAIL: Record<string, string> = {
  title: 'title',
  assets: 'assets',
  ipAddresses: 'ipAddresses',
  objects: 'objects',
  steps: 'steps',
  impact: 'impact',
  proofOfConcept: 'proofOfConceptText',
  proofOfConceptText: 'proofOfConceptText',
  cwe: 'cwe',
  reporter: 'identity',
  identity: 'identity',
  'reporter.identity': 'identity',
  'reporter.name': 'name',
  name: 'name',
  'reporter.alias': 'alias',
  alias: 'alias',
  'reporter.email': 'email',
  'contact.email': 'email',
  email: 'email',
  'reporter.phone': 'phone',
  'contact.phone': 'phone',
  phone: 'phone',
  'reporter.openpgpKey': 'openpgpKey',
  openpgpKey: 'openpgpKey',
  credit: 'creditWanted',
  'credit.wanted': 'creditWanted',
  'credit.name': 'creditName',
  creditName: 'creditName',
  language: 'language',
  acceptedPolicyVersion: 'acceptPolicy',
  acceptPolicy: 'acceptPolicy',
  altcha: 'altcha',
  website: 'website',
  attachments: 'attachments',
};

/** Free-text fields: an `invalid` there can only mean too long. */
const TEXT_FIELDS = new Set(['objects', 'impact', 'proofOfConceptText', 'assets']);

/** Form field ids in page order: the error summary lists problems in the order the reporter meets them. */
const FIELD_ORDER = [
  'title',
  'assets',
  'ipAddresses',
  'objects',
  'steps',
  'impact',
  'proofOfConceptText',
  'cwe',
  'identity',
  'name',
  'alias',
  'email',
  'phone',
  'openpgpKey',
  'creditWanted',
  'creditName',
  'language',
  'attachments',
  'acceptPolicy',
  'altcha',
  'website',
];

/**
 * Translates an AppError from intake into what the form shows: the summary line by error code
 * (`errors.<code>`), and per field a message by field and detail code.
 */
export function formProblem(
  error: AppError,
  context: {
    t: Translator;
    /** Looks up a key outside `public.` (the `errors.*` catalogue). */
    translate: (key: string, values?: Record<string, unknown>) => string;
    language: Language;
    organisation: string;
    rules: PolicySettings['intake'];
    policyVersion: number | undefined;
    /** The lines the reporter gave, to name the one that is wrong. */
    lines: { assets: string[]; ipAddresses: string[] };
    filesSent: boolean;
  },
): FormProblem {
  const { t, language } = context;
  const known = (key: string, values: Record<string, unknown>) => {
    const text = t(key, values);
    return text === `public.${key}` || text === key ? undefined : text;
  };
  const values = {
    organisation: context.organisation,
    version: context.policyVersion ?? '',
    languages: list(language, languageNames(language, context.rules.languages), 'disjunction'),
  };
  const fields: { field: string; message: string }[] = [];
  for (const detail of error.details ?? []) {
    if (!detail.field) continue;
    const [, base = detail.field, index] = /^(.*?)(?:\.(\d+))?$/.exec(detail.field) ?? [];
    const field = FIELD_OF_DETAIL[base];
    if (!field) continue;
    let code = detail.code;
    if (code === 'invalid' && TEXT_FIELDS.has(field)) code = 'too_long';
    if (field === 'ipAddresses' && index !== undefined) code = 'invalidLine';
    const line =
      index !== undefined && (field === 'ipAddresses' || field === 'assets')
        ? (context.lines[field][Number(index)] ?? '')
        : '';
    const detailValues: Record<string, unknown> = {
      ...values,
      value: line || detail.message,
      count: Number(detail.message) || 0,
      size: /^\d+$/.test(detail.message) ? fileSize(language, Number(detail.message)) : detail.message,
      language: code === 'language_not_accepted' ? languageName(language, detail.message) : '',
    };
    const message =
      known(`reportForm.fieldError.${field}.${code}`, detailValues) ??
      known(`reportForm.fieldError.${code}`, detailValues) ??
      context.translate(`errors.${error.code}`);
    if (!fields.some((f) => f.field === field)) fields.push({ field, message });
  }
  fields.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  let summary = context.translate(`errors.${error.code}`);
  if (error.code === 'request.rate_limited') {
    const seconds = Number(error.details?.find((d) => d.code === 'retry_after')?.message) || 60;
    summary = t('reportForm.summary.rateLimited', { count: Math.max(1, Math.ceil(seconds / 60)) });
  } else if (error.code === 'report.idempotency_conflict') {
    summary = t('reportForm.summary.alreadySent');
  } else if (error.code === 'request.too_large' && fields.length === 0) {
    summary = t('reportForm.summary.tooLarge');
  } else if (error.code === 'request.unsupported_media_type') {
    summary = t('reportForm.summary.notAForm');
  } else if (error.code === 'report.language_not_accepted') {
    summary = t('reportForm.summary.language', values);
  }
  return { summary, fields, filesDropped: context.filesSent };
}

/** A language's name from an ISO 639-1 code; the code itself when it is none. */
function languageName(language: Language, code: string): string {
  if (!/^[a-z]{2,3}$/.test(code)) return code;
  try {
    return languageNames(language, [code])[0] ?? code;
  } catch {
    return code;
  }
}

// ---------------------------------------------------------------------------------------------
// Fields.

type FieldContext = { t: Translator; values: ReportFormValues; errors: Map<string, string> };

function fieldId(name: string): string {
  return `f-${name}`;
}

/** `aria-describedby` and the hint/error paragraphs of one field. */
function helpOf(ctx: FieldContext, name: string, hint: Html | string | undefined) {
  const error = ctx.errors.get(name);
  const ids = [hint ? `${fieldId(name)}-hint` : '', error ? `${fieldId(name)}-error` : '']
    .filter(Boolean)
    .join(' ');
  const help = html`${hint ? html`<p class="field-hint" id="${fieldId(name)}-hint">${hint}</p>` : ''}${
    error
      ? html`<p class="field-error" id="${fieldId(name)}-error"><span class="visually-hidden">${ctx.t('reportForm.errorPrefix')} </span>${error}</p>`
      : ''
  }`;
  return { error, ids, help };
}

type Marks = { required?: boolean; requested?: boolean };

function labelText(t: Translator, label: string, marks: Marks): Html {
  return html`${label}${marks.required ? html` <span class="field-flag">(${t('reportForm.required')})</span>` : ''}${
    marks.requested ? html` <span class="field-tag">${t('reportForm.requested')}</span>` : ''
  }`;
}

type TextOptions = Marks & {
  label: string;
  hint?: Html | string;
  type?: 'text' | 'email' | 'tel';
  maxLength: number;
  minLength?: number;
  autocomplete?: string;
  inputMode?: string;
  spellcheck?: boolean;
};

function textInput(ctx: FieldContext, name: keyof ReportFormValues, o: TextOptions): Html {
  const { error, ids, help } = helpOf(ctx, name, o.hint);
  const value = ctx.values[name];
  return html`<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="${fieldId(name)}">${labelText(ctx.t, o.label, o)}</label>
${help}
<input class="input" id="${fieldId(name)}" name="${name}" type="${o.type ?? 'text'}" value="${typeof value === 'string' ? value : ''}" maxlength="${o.maxLength}"${o.minLength ? html` minlength="${o.minLength}"` : ''}${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputMode ? html` inputmode="${o.inputMode}"` : ''}${o.spellcheck === false ? html` spellcheck="false"` : ''}${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

function textArea(ctx: FieldContext, name: keyof ReportFormValues, o: TextOptions & { rows: number }): Html {
  const { error, ids, help } = helpOf(ctx, name, o.hint);
  const value = ctx.values[name];
  // The newline after the tag is eaten by the HTML parser, so text that starts with one keeps it.
  return html`<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="${fieldId(name)}">${labelText(ctx.t, o.label, o)}</label>
${help}
<textarea class="input${o.spellcheck === false ? ' input-code' : ''}" id="${fieldId(name)}" name="${name}" rows="${o.rows}" maxlength="${o.maxLength}"${o.minLength ? html` minlength="${o.minLength}"` : ''}${o.required ? html` required` : ''}${o.spellcheck === false ? html` spellcheck="false" autocapitalize="off"` : ''}${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}>
${typeof value === 'string' ? value : ''}</textarea>
</div>`;
}

function checkbox(
  ctx: FieldContext,
  name: keyof ReportFormValues,
  o: { label: Html | string; hint?: Html | string; required?: boolean; value?: string },
): Html {
  const { error, ids, help } = helpOf(ctx, name, o.hint);
  return html`<div class="field field-check${error ? ' field-invalid' : ''}">
<input class="check" id="${fieldId(name)}" name="${name}" type="checkbox" value="${o.value ?? 'yes'}"${ctx.values[name] === true ? html` checked` : ''}${o.required ? html` required` : ''}${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}>
<label for="${fieldId(name)}">${o.label}</label>
${help}
</div>`;
}

/** Radio buttons in a fieldset; an option may carry a field of its own (the name for "named"). */
function radios(
  ctx: FieldContext,
  name: keyof ReportFormValues,
  o: Marks & {
    legend: string;
    hint?: string;
    options: { value: string; label: string; hint?: string; lang?: string; detail?: Html }[];
  },
): Html {
  const { error, ids, help } = helpOf(ctx, name, o.hint);
  const current = ctx.values[name];
  return html`<fieldset class="field choices${error ? ' field-invalid' : ''}" id="${fieldId(name)}"${ids ? html` aria-describedby="${ids}"` : ''}>
<legend class="field-label">${labelText(ctx.t, o.legend, o)}</legend>
${help}
${o.options.map((option, i) => {
  const id = `${fieldId(name)}-${option.value}`;
  const hintId = option.hint ? `${id}-hint` : '';
  return html`<div class="choice">
<input class="check" type="radio" id="${id}" name="${name}" value="${option.value}"${current === option.value ? html` checked` : ''}${o.required && i === 0 ? html` required` : ''}${hintId ? html` aria-describedby="${hintId}"` : ''}${error ? html` aria-invalid="true"` : ''}>
<label for="${id}"${option.lang ? html` lang="${option.lang}"` : ''}>${option.label}</label>
${option.hint ? html`<p class="field-hint choice-hint" id="${hintId}">${option.hint}</p>` : ''}
${option.detail ? html`<div class="choice-detail">${option.detail}</div>` : ''}
</div>`;
})}
</fieldset>`;
}

function fileInput(
  ctx: FieldContext,
  name: string,
  o: { label: string; hint: Html | string; errorOf: string; id: string },
): Html {
  const error = ctx.errors.get(o.errorOf);
  const hintId = `${o.id}-hint`;
  const errorId = `${o.id}-error`;
  return html`<div class="field${error ? ' field-invalid' : ''}">
<label class="field-label" for="${o.id}">${o.label}</label>
<p class="field-hint" id="${hintId}">${o.hint}</p>
${error ? html`<p class="field-error" id="${errorId}"><span class="visually-hidden">${ctx.t('reportForm.errorPrefix')} </span>${error}</p>` : ''}
<input class="file-input" id="${o.id}" name="${name}" type="file" multiple aria-describedby="${hintId}${error ? ` ${errorId}` : ''}"${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

// ---------------------------------------------------------------------------------------------
// The form.

export function reportFormPath(slug: string): string {
  return `/o/${encodeURIComponent(slug)}/report`;
}

function policyHref(slug: string, version: number, language: Language | undefined): string {
  return `/o/${encodeURIComponent(slug)}?version=${version}${language ? `&lang=${language}` : ''}`;
}

/** Where a link in the error summary goes: the field itself, a group's first option, or the send button. */
function anchorOf(field: string, rules: PolicySettings['intake']): string {
  if (field === 'identity') return fieldId(`identity-${rules.identities[0] ?? 'named'}`);
  if (field === 'language') return fieldId('language-nl');
  // The honeypot is hidden from people: what they can do is send again.
  if (field === 'website') return 'f-submit';
  return fieldId(field);
}

export function renderReportForm(input: ReportFormInput): string {
  const { t, language, rules, policy, organisation } = input;
  const org = organisation.name;
  const linkLanguage = input.explicitLanguage ? language : undefined;
  const links = organisationLinks(organisation.slug, linkLanguage);
  const errors = new Map((input.problem?.fields ?? []).map((f) => [f.field, f.message]));
  const ctx: FieldContext = { t, values: input.values, errors };
  const requested = new Set<string>(rules.requestedDetails);
  // Contact details the policy requires; an anonymous report needs none (the policy page says so).
  const required = new Set<string>(rules.requiredContact);
  const anonymousAllowed = rules.identities.includes('anonymous');
  const contactHint = (field: 'email' | 'phone', hint: string) =>
    required.has(field) && anonymousAllowed ? `${hint} ${t('reportForm.requiredUnlessAnonymous')}` : hint;
  const action = `${reportFormPath(organisation.slug)}${linkLanguage ? `?lang=${linkLanguage}` : ''}`;
  const credit = policy && (policy.settings.credit.hallOfFame || policy.settings.credit.creditInAdvisories);
  const maxFiles = Math.min(rules.attachments.maxFiles, ATTACHMENT_HARD_LIMITS.maxFiles);
  const maxBytes = Math.min(rules.attachments.maxBytes, ATTACHMENT_HARD_LIMITS.maxBytes);
  const filesAllowed = rules.attachments.allowed.length > 0 && maxFiles > 0;

  const summary = input.problem
    ? html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t('reportForm.summary.title')}</h2>
<p>${input.problem.summary}</p>
${
  input.problem.fields.length > 0
    ? html`<ul class="error-list">${input.problem.fields.map(
        (f) => html`<li><a href="#${anchorOf(f.field, rules)}">${f.message}</a></li>`,
      )}</ul>`
    : ''
}
${input.problem.filesDropped ? html`<p class="error-files">${t('reportForm.summary.filesAgain')}</p>` : ''}
</div>`
    : '';

  const intro = html`<p class="hero-text">${t('reportForm.intro', { organisation: org })}</p>`;
  // In a new tab: following it from the form must not lose what the reporter has typed.
  const policyLink = policy
    ? html`<a href="${policyHref(organisation.slug, policy.version, linkLanguage)}" target="_blank" rel="noopener">${t('reportForm.readPolicyLink', { version: policy.version })}</a>`
    : '';
  const policyNote = policy
    ? html`<p class="form-lead">${sentence(t, 'reportForm.readPolicy', {
        policy: policyLink,
      })}</p>`
    : html`<p class="form-lead">${t('reportForm.noPolicy', { organisation: org })}</p>`;

  const languageHint =
    rules.languages.length > 0
      ? t('reportForm.field.steps.languages', {
          languages: list(language, languageNames(language, rules.languages), 'disjunction'),
        })
      : undefined;

  const about = html`<fieldset class="form-section">
<legend class="form-section-title">${t('reportForm.section.about')}</legend>
${textInput(ctx, 'title', {
  label: t('reportForm.field.title.label'),
  hint: t('reportForm.field.title.hint'),
  required: true,
  maxLength: 200,
  minLength: 3,
})}
${textArea(ctx, 'assets', {
  label: t('reportForm.field.assets.label'),
  hint: t('reportForm.field.assets.hint'),
  requested: requested.has('urls'),
  maxLength: 50 * 2001,
  rows: 3,
  spellcheck: false,
})}
${textArea(ctx, 'ipAddresses', {
  label: t('reportForm.field.ipAddresses.label'),
  hint: t('reportForm.field.ipAddresses.hint'),
  requested: requested.has('ip_addresses'),
  maxLength: 50 * 65,
  rows: 2,
  spellcheck: false,
})}
${textArea(ctx, 'objects', {
  label: t('reportForm.field.objects.label'),
  hint: t('reportForm.field.objects.hint'),
  requested: requested.has('objects'),
  maxLength: 10_000,
  rows: 2,
})}
${textArea(ctx, 'steps', {
  label: t('reportForm.field.steps.label'),
  hint: languageHint
    ? `${t('reportForm.field.steps.hint')} ${languageHint}`
    : t('reportForm.field.steps.hint'),
  required: true,
  requested: requested.has('steps'),
  maxLength: 100_000,
  minLength: 10,
  rows: 9,
})}
${textArea(ctx, 'impact', {
  label: t('reportForm.field.impact.label'),
  hint: t('reportForm.field.impact.hint'),
  requested: requested.has('impact'),
  maxLength: 20_000,
  rows: 3,
})}
${textArea(ctx, 'proofOfConceptText', {
  label: t('reportForm.field.proofOfConceptText.label'),
  hint: t('reportForm.field.proofOfConceptText.hint'),
  requested: requested.has('proof_of_concept'),
  maxLength: 100_000,
  rows: 5,
  spellcheck: false,
})}
${textInput(ctx, 'cwe', {
  label: t('reportForm.field.cwe.label'),
  hint: t('reportForm.field.cwe.hint'),
  requested: requested.has('cwe'),
  maxLength: 12,
  autocomplete: 'off',
  spellcheck: false,
})}
</fieldset>`;

  const identityOptions = rules.identities.map((mode) => {
    const detail =
      mode === 'named'
        ? textInput(ctx, 'name', {
            label: t('reportForm.field.name.label'),
            maxLength: 200,
            autocomplete: 'name',
          })
        : mode === 'alias'
          ? textInput(ctx, 'alias', {
              label: t('reportForm.field.alias.label'),
              hint: t('reportForm.field.alias.hint'),
              maxLength: 100,
              autocomplete: 'nickname',
            })
          : undefined;
    return {
      value: mode,
      label: t(`reportForm.field.identity.${mode}`),
      hint: t(`reportForm.field.identity.${mode}Hint`),
      detail,
    };
  });
  const who = html`<fieldset class="form-section">
<legend class="form-section-title">${t('reportForm.section.who')}</legend>
${radios(ctx, 'identity', {
  legend: t('reportForm.field.identity.legend'),
  required: true,
  options: identityOptions,
})}
${textInput(ctx, 'email', {
  label: t('reportForm.field.email.label'),
  hint: contactHint('email', t('reportForm.field.email.hint')),
  type: 'email',
  required: required.has('email') && !anonymousAllowed,
  maxLength: 254,
  autocomplete: 'email',
  spellcheck: false,
})}
${textInput(ctx, 'phone', {
  label: t('reportForm.field.phone.label'),
  hint: contactHint('phone', t('reportForm.field.phone.hint')),
  type: 'tel',
  required: required.has('phone') && !anonymousAllowed,
  maxLength: 40,
  autocomplete: 'tel',
})}
${textArea(ctx, 'openpgpKey', {
  label: t('reportForm.field.openpgpKey.label'),
  hint: t('reportForm.field.openpgpKey.hint'),
  maxLength: 50_000,
  rows: 3,
  spellcheck: false,
})}
${
  credit && policy
    ? checkbox(ctx, 'creditWanted', {
        label: t('reportForm.field.creditWanted.label'),
        hint: t(
          policy.settings.credit.hallOfFame && policy.settings.credit.creditInAdvisories
            ? 'reportForm.field.creditWanted.hintBoth'
            : policy.settings.credit.hallOfFame
              ? 'reportForm.field.creditWanted.hintHallOfFame'
              : 'reportForm.field.creditWanted.hintAdvisories',
          { organisation: org },
        ),
      })
    : ''
}
${
  credit
    ? textInput(ctx, 'creditName', {
        label: t('reportForm.field.creditName.label'),
        hint: t('reportForm.field.creditName.hint'),
        maxLength: 120,
      })
    : ''
}
${radios(ctx, 'language', {
  legend: t('reportForm.field.language.legend'),
  required: true,
  options: (['nl', 'en'] as const).map((l) => ({ value: l, label: t(`languageName.${l}`), lang: l })),
})}
</fieldset>`;

  const files = filesAllowed
    ? html`<fieldset class="form-section">
<legend class="form-section-title">${t('reportForm.section.files')}</legend>
<p class="form-note">${t('attachments.allowed', {
        kinds: list(
          language,
          rules.attachments.allowed.map((k) => t(`attachments.kind.${k}`)),
          'conjunction',
        ),
        files: t('attachments.files', { count: maxFiles }),
        size: fileSize(language, maxBytes),
      })}</p>
${fileInput(ctx, 'attachments', {
  id: fieldId('attachments'),
  label: t('reportForm.field.attachments.label'),
  hint: t('reportForm.field.attachments.hint'),
  errorOf: 'attachments',
})}
${fileInput(ctx, 'proofOfConcept', {
  id: fieldId('proofOfConceptFiles'),
  label: t('reportForm.field.proofOfConceptFiles.label'),
  hint: t('reportForm.field.proofOfConceptFiles.hint'),
  errorOf: 'proofOfConceptFiles',
})}
</fieldset>`
    : html`<fieldset class="form-section">
<legend class="form-section-title">${t('reportForm.section.files')}</legend>
<p class="form-note">${t('attachments.none')}</p>
</fieldset>`;

  const emails = policy?.settings.intake.emails ?? [];
  const altchaError = errors.get('altcha');
  const send = html`<fieldset class="form-section form-send">
<legend class="form-section-title">${t('reportForm.section.send')}</legend>
${
  policy
    ? checkbox(ctx, 'acceptPolicy', {
        required: true,
        label: sentence(t, 'reportForm.field.acceptPolicy.label', {
          policy: policyLink,
        }),
      })
    : ''
}
${
  input.altcha
    ? html`<div class="field field-altcha${altchaError ? ' field-invalid' : ''}" id="${fieldId('altcha')}">
<p class="field-label">${t('reportForm.field.altcha.label')}</p>
<p class="field-hint">${t('reportForm.field.altcha.hint')}</p>
${altchaError ? html`<p class="field-error"><span class="visually-hidden">${t('reportForm.errorPrefix')} </span>${altchaError}</p>` : ''}
<altcha-widget challenge="${input.altcha.challengeUrl}" name="altcha" auto="onsubmit" language="${language}" configuration="${JSON.stringify({ hideFooter: true })}"></altcha-widget>
<noscript><p class="notice-inline">${t('reportForm.field.altcha.noscript')}${
        emails.length > 0
          ? html` ${sentence(t, 'reportForm.field.altcha.noscriptEmail', {
              addresses: html`${emails.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="mailto:${e}">${e}</a>`)}`,
            })}`
          : ''
      }</p></noscript>
</div>`
    : ''
}
<div class="hp-field" aria-hidden="true">
<label for="${fieldId('website')}">${t('reportForm.field.website.label')}</label>
<input id="${fieldId('website')}" name="website" type="text" value="" tabindex="-1" autocomplete="off">
</div>
<p class="form-privacy">${t('reportForm.privacy')}</p>
<button class="button button-submit" id="f-submit" type="submit">${t('reportForm.submit')}</button>
</fieldset>`;

  const body = html`${summary}
<div class="form-card">
${policyNote}
<form class="report-form" method="post" action="${action}" enctype="multipart/form-data" accept-charset="utf-8">
<input type="hidden" name="formNonce" value="${input.nonce}">
<input type="hidden" name="formLanguage" value="${language}">
${policy ? html`<input type="hidden" name="acceptedPolicyVersion" value="${policy.version}">` : ''}
${about}
${who}
${files}
${send}
</form>
</div>`;

  const hero = html`<h1>${t('reportForm.title')}</h1>
${intro}`;

  const head = input.altcha
    ? html`<link rel="stylesheet" href="${input.altcha.stylesheet}">
${input.altcha.script.map((src) => html`<script src="${src}" defer></script>`)}`
    : undefined;

  return page({
    language,
    t,
    title: input.problem
      ? `${t('reportForm.errorTitlePrefix')} ${t('reportForm.pageTitle', { organisation: org })}`
      : t('reportForm.pageTitle', { organisation: org }),
    description: t('reportForm.intro', { organisation: org }),
    robots: 'noindex, follow',
    path: reportFormPath(organisation.slug),
    origin: input.origin,
    organisation: { name: org, links, hallOfFame: policy?.settings.credit.hallOfFame ?? false },
    kind: t('brand'),
    hero,
    body,
    head,
  });
}

// ---------------------------------------------------------------------------------------------
// The confirmation.

export type ReportReceivedInput = {
  organisation: IntakeOrganisation;
  policy: { version: number; settings: PolicySettings } | undefined;
  language: Language;
  explicitLanguage: boolean;
  t: Translator;
  origin: string;
  reference: string;
  caseUrl: string;
  /** The reporter gave an e-mail address: the acknowledgement goes there. */
  mailed: boolean;
  /** Where the reporter's case page and receipt are (the browser has the case cookie already). */
  casePath: string;
  receiptPath: string;
};

export function renderReportReceived(input: ReportReceivedInput): string {
  const { t, language, organisation, policy } = input;
  const org = organisation.name;
  const links = organisationLinks(organisation.slug, input.explicitLanguage ? language : undefined);
  const promises = policy ? promiseSentences(policy.settings, t) : [];
  const hero = html`<p class="hero-eyebrow">${t('reportReceived.eyebrow')}</p>
<h1>${t('reportReceived.title')}</h1>
<p class="hero-text">${t('reportReceived.intro', { organisation: org })}</p>`;
  const body = html`<section class="receipt-card" aria-labelledby="reference-title">
<h2 id="reference-title" class="receipt-label">${t('reportReceived.reference')}</h2>
<p class="reference">${input.reference}</p>
<p>${t('reportReceived.referenceText', { reference: input.reference, organisation: org })}</p>
</section>
<section class="panel panel-key" aria-labelledby="link-title">
<h2 id="link-title">${t('reportReceived.linkHeading')}</h2>
<p>${t('reportReceived.linkText')}</p>
<p class="field-label" id="case-link-label">${t('reportReceived.linkLabel')}</p>
<code class="link-box" id="case-link" aria-labelledby="case-link-label">${input.caseUrl}</code>
<p class="secret-note"><strong>${t('reportReceived.secretTitle')}</strong> ${t('reportReceived.secretText')}</p>
<p class="actions"><a class="button" href="${input.casePath}">${t('reportReceived.openCase')}</a> <a class="button button-secondary" href="${input.receiptPath}" download>${t('reportReceived.receipt')}</a></p>
${
  input.mailed
    ? html`<p class="status-note status-ok">${t('reportReceived.mailSent')}</p>`
    : html`<div class="notice notice-inline-block" role="note">
<p><strong>${t('reportReceived.noMail')}</strong></p>
<p>${t('reportReceived.noRecovery')}</p>
<p>${t('reportReceived.receiptHint')}</p>
</div>`
}
</section>
<section class="panel" aria-labelledby="next-title">
<h2 id="next-title">${t('reportReceived.nextHeading')}</h2>
${
  promises.length > 0
    ? html`<ul class="promises">${promises.map((p) => html`<li>${p}</li>`)}</ul>`
    : html`<p>${t('reportReceived.noPromises', { organisation: org })}</p>`
}
${policy ? html`<p class="fine-print">${t('reportReceived.policyVersion', { version: policy.version })}</p>` : ''}
</section>`;
  return page({
    language,
    t,
    title: t('reportReceived.pageTitle', { organisation: org }),
    robots: 'noindex, nofollow',
    path: reportFormPath(organisation.slug),
    origin: input.origin,
    organisation: { name: org, links, hallOfFame: policy?.settings.credit.hallOfFame ?? false },
    kind: t('brand'),
    hero,
    body,
  });
}
