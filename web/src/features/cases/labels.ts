import type { TFunction } from 'i18next';

/** Every state a case can be in (design §2); the server may know more, shown by their code. */
export const CASE_STATES = [
  'received',
  'needs_info',
  'confirmed',
  'remediation',
  'resolved',
  'published',
  'closed',
  'withdrawn',
] as const;

// Codes and kinds come from the server: an unknown one is shown as it is rather than hidden.
export const stateLabel = (t: TFunction, state: string) =>
  t(`web.cases.state.${state}`, { defaultValue: state });

export const channelLabel = (t: TFunction, channel: string) =>
  t(`web.cases.channel.${channel}`, { defaultValue: channel });

export const identityLabel = (t: TFunction, identity: string) =>
  t(`web.cases.identity.${identity}`, { defaultValue: identity });

/** Event kinds have dots (`case.received`), which i18next reads as nesting. */
export const eventLabel = (t: TFunction, kind: string) =>
  t(`web.cases.event.${kind.replaceAll('.', '_')}`, { defaultValue: kind });

export const deviationLabel = (t: TFunction, code: string) =>
  t(`web.cases.deviation.${code}`, { defaultValue: code });

/** A language code as its name in the interface language, e.g. `de` → "German". */
export function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatBytes(bytes: number, uiLanguage: string): string {
  const locale = uiLanguage === 'nl' ? 'nl-NL' : 'en-GB';
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}
