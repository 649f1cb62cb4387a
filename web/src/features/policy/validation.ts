import type { TFunction } from 'i18next';
import type { ApiErrorDetail } from '../../api.ts';
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

export function numberMessage(t: TFunction, path: string): string {
  if (path === 'intake.attachments.maxBytes') return t('web.policy.errors.size', { max: 100 });
  if (/^rewards\.bySeverity\./.test(path)) return t('web.policy.errors.money');
  const bounds = NUMBER_BOUNDS.find(([pattern]) => pattern.test(path))?.[1];
  return bounds ? t('web.policy.errors.numberRange', bounds) : t('web.policy.errors.number');
}

export function policyErrorText(t: TFunction, detail: ApiErrorDetail): string {
  const path = detail.field ?? '';
  const message = detail.message.toLowerCase();
  if (/^intake\.emails\.\d+$/.test(path)) return t('web.policy.errors.email');
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
  if (/^calendar\.workingHours\./.test(path)) return t('web.policy.errors.time');
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
