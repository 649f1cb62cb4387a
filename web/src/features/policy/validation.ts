import type { TFunction } from 'i18next';
import { type ApiErrorDetail, MIN_ATTACHMENT_BYTES, type PolicySettings } from '../../api.ts';
import { detailText } from '../../errors.ts';

/** Messages for the editor's fields: what to do, in the reader's words, rather than the schema's. */

type Bounds = { min: number; max: number };

const NUMBER_BOUNDS: [RegExp, Bounds][] = [
  [/\.amount$/, { min: 1, max: 3650 }],
  [/^intake\.attachments\.maxFiles$/, { min: 0, max: 50 }],
  [/^progressUpdates\.everyDays$/, { min: 1, max: 365 }],
  [/^disclosure\.defaultEmbargoDays$/, { min: 1, max: 3650 }],
];

const NUMERIC_PATH =
  /\.amount$|^intake\.attachments\.(maxFiles|maxBytes)$|^progressUpdates\.everyDays$|^disclosure\.defaultEmbargoDays$|^rewards\.bySeverity\.\w+\.(min|max)$/;

/** Lists edited by one control (checkboxes, a comma list): an entry's error belongs to that control. */
const ONE_CONTROL_LISTS =
  /^(intake\.(identities|requiredContact|requestedDetails|languages|attachments\.allowed)|calendar\.workingDays)\.\d+$/;

/** The path whose control shows an error the server reported at `field`. */
export function controlPath(field: string): string {
  return ONE_CONTROL_LISTS.test(field) ? field.slice(0, field.lastIndexOf('.')) : field;
}

export function numberMessage(t: TFunction, path: string): string {
  if (path === 'intake.attachments.maxBytes') return t('web.policy.errors.size', { max: 100 });
  if (/^rewards\.bySeverity\./.test(path)) return t('web.policy.errors.money');
  const bounds = NUMBER_BOUNDS.find(([pattern]) => pattern.test(path))?.[1];
  return bounds ? t('web.policy.errors.numberRange', bounds) : t('web.policy.errors.number');
}

/** The text of one language is there, the other's is not. */
const oneLanguageMessage = (t: TFunction, path: string) =>
  t(path.endsWith('.nl') ? 'web.policy.errors.onlyEn' : 'web.policy.errors.onlyNl');

export function policyErrorText(t: TFunction, detail: ApiErrorDetail): string {
  const path = detail.field ?? '';
  const message = detail.message.toLowerCase();
  if (/more than once/.test(message)) {
    if (/^intake\.emails\.\d+$/.test(path)) return t('web.policy.errors.duplicateEmail');
    if (/^intake\.languages\.\d+$/.test(path)) return t('web.policy.errors.duplicateLanguage');
    return t('web.policy.errors.duplicateChoice');
  }
  if (/^intake\.emails\.\d+$/.test(path)) return t('web.policy.errors.email');
  if (/\.(nl|en)$/.test(path) && /both languages/.test(message)) return oneLanguageMessage(t, path);
  if (
    /\.(nl|en)$/.test(path) &&
    (detail.code === 'required' || /too small|>=\s*1|at least 1/.test(message))
  ) {
    return t(path.endsWith('.nl') ? 'web.policy.errors.requiredNl' : 'web.policy.errors.requiredEn');
  }
  if (/\.(nl|en)$/.test(path) && /too big|<=/.test(message)) return t('web.policy.errors.tooLong');
  if (/\.target$/.test(path)) return t('web.policy.errors.target');
  if (/^rewards\.bySeverity\.\w+\.max$/.test(path) && /exceed/.test(message))
    return t('web.policy.errors.minMax');
  if (path === 'calendar.workingHours.end' && /after start/.test(message))
    return t('web.policy.errors.hoursOrder');
  if (/^calendar\.workingHours\./.test(path)) return t('web.policy.errors.time');
  if (path === 'intake.attachments.maxBytes' && /when files are accepted/.test(message))
    return t('web.policy.errors.minSize');
  if (path === 'rewards.currency') return t('web.policy.errors.currency');
  if (/^calendar\.holidays/.test(path)) return t('web.policy.errors.holidays');
  if (/^intake\.languages/.test(path)) return t('web.policy.errors.language');
  if (path === 'intake.identities') return t('web.policy.errors.identities');
  if (path === 'calendar.workingDays') return t('web.policy.errors.workingDays');
  if (NUMERIC_PATH.test(path)) return numberMessage(t, path);
  return detailText(t, detail);
}

/** Numbers that are not numbers (a cleared or mistyped field) by path: caught before asking the server. */
export function findUnfinishedNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    findUnfinishedNumbers(inner, path ? `${path}.${key}` : key),
  );
}

const isBilingual = (value: object): value is { nl: string; en: string } =>
  'nl' in value && 'en' in value && typeof value.nl === 'string' && typeof value.en === 'string';

/** Texts written in one language only, by the path of the empty one. */
function findOneLanguageTexts(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (!Array.isArray(value) && isBilingual(value)) {
    const nlEmpty = value.nl.trim() === '';
    if (nlEmpty === (value.en.trim() === '')) return [];
    return [`${path}.${nlEmpty ? 'nl' : 'en'}`];
  }
  return Object.entries(value).flatMap(([key, inner]) =>
    findOneLanguageTexts(inner, path ? `${path}.${key}` : key),
  );
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/**
 * What the server would refuse and the editor can tell without asking: a text in one language only,
 * a working day that ends before it starts, a file size too small to be of use. Messages by path.
 */
export function findClientProblems(t: TFunction, settings: PolicySettings): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const path of findOneLanguageTexts(settings)) problems[path] = oneLanguageMessage(t, path);
  const { start, end } = settings.calendar.workingHours;
  if (TIME.test(start) && TIME.test(end) && start >= end) {
    problems['calendar.workingHours.end'] = t('web.policy.errors.hoursOrder');
  }
  const attachments = settings.intake.attachments;
  if (
    attachments.allowed.length > 0 &&
    Number.isFinite(attachments.maxBytes) &&
    attachments.maxBytes < MIN_ATTACHMENT_BYTES
  ) {
    problems['intake.attachments.maxBytes'] = t('web.policy.errors.minSize');
  }
  return problems;
}
