import type { TFunction } from 'i18next';
import type { Language, PolicyDuration } from '../../api.ts';

/** Readable values for the policy editor, its preview and its diff, in a given language. */

function locale(language: Language | string): string {
  return language === 'nl' ? 'nl-NL' : 'en-GB';
}

/** "1 working day", "24 hours", "30 dagen". */
export function formatDuration(t: TFunction, duration: PolicyDuration): string {
  if (!Number.isFinite(duration.amount)) return t(`web.policy.units.${duration.unit}_other`, { count: 0 });
  return t(`web.policy.units.${duration.unit}`, { count: duration.amount });
}

function displayName(code: string, language: string, type: 'language' | 'region'): string {
  try {
    return new Intl.DisplayNames([locale(language)], { type, fallback: 'code' }).of(code) ?? code;
  } catch {
    return code; // Not a well-formed code (yet): show what was typed.
  }
}

export const languageName = (code: string, language: string) => displayName(code, language, 'language');
export const countryName = (code: string, language: string) => displayName(code, language, 'region');

export function joinList(
  items: readonly string[],
  language: string,
  type: 'conjunction' | 'disjunction',
): string {
  return new Intl.ListFormat(locale(language), { style: 'long', type }).format(items);
}

const MB = 1024 * 1024;

/** Shown with up to three decimals, so that the smallest allowed size (1 KB ≈ 0.001 MB) stays visible. */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / MB) * 1000) / 1000;
}

export function mbToBytes(mb: number): number {
  return Math.round(mb * MB);
}

/** "10 MB", "512 kB": the same words as the public page. */
export function formatSize(bytes: number, language: string): string {
  const mb = bytes / MB;
  return new Intl.NumberFormat(locale(language), {
    style: 'unit',
    unit: mb >= 1 ? 'megabyte' : 'kilobyte',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(mb >= 1 ? mb : bytes / 1024);
}

/** How many decimals a currency's major unit has (EUR 2, JPY 0); 2 for anything unknown. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

export function formatMoney(minor: number, currency: string, language: string): string {
  const digits = currencyDigits(currency);
  const major = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale(language), {
      style: 'currency',
      currency,
      minimumFractionDigits: Number.isInteger(major) ? 0 : digits,
    }).format(major);
  } catch {
    return `${currency} ${major}`;
  }
}

/** ISO weekday 1 = Monday … 7 = Sunday, in the language's own words. */
export function weekdayName(isoDay: number, language: string): string {
  // 2024-01-01 was a Monday.
  const date = new Date(Date.UTC(2024, 0, isoDay));
  return new Intl.DateTimeFormat(locale(language), { weekday: 'long', timeZone: 'UTC' }).format(date);
}

/** "Monday to Friday", or "Monday, Wednesday and Friday" when the days are not one run. */
export function formatWorkingDays(t: TFunction, days: readonly number[], language: string): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return '';
  const contiguous = sorted.length >= 3 && last - first === sorted.length - 1;
  if (contiguous) {
    return t('web.policy.preview.calendar.range', {
      from: weekdayName(first, language),
      to: weekdayName(last, language),
    });
  }
  return joinList(
    sorted.map((d) => weekdayName(d, language)),
    language,
    'conjunction',
  );
}

/**
 * Texts may say {{organisation}}; the reader sees the organisation's name. A replacer function, so
 * `$&`, `$'` and the like in a name stay text (as on the public page).
 */
export function fillOrganisation(text: string, organisation: string): string {
  return text.replace(/\{\{\s*organisation\s*\}\}/g, () => organisation);
}

/** Countries whose public holidays a business calendar may follow (date-holidays knows them all). */
export const HOLIDAY_COUNTRIES = [
  'NL',
  'BE',
  'LU',
  'DE',
  'FR',
  'GB',
  'IE',
  'AT',
  'CH',
  'DK',
  'SE',
  'NO',
  'FI',
  'IS',
  'ES',
  'PT',
  'IT',
  'MT',
  'GR',
  'CY',
  'PL',
  'CZ',
  'SK',
  'HU',
  'SI',
  'HR',
  'RO',
  'BG',
  'EE',
  'LV',
  'LT',
  'US',
  'CA',
  'AU',
  'NZ',
  'JP',
  'SG',
  'ZA',
  'CW',
  'AW',
  'SR',
] as const;
