import type { TFunction } from 'i18next';
import { type ApiErrorDetail, isApiError } from './api.ts';

/** The text to show for an error: translated by its code, else the server's message. */
export function errorText(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    if (error.code === 'network.unreachable') return t('web.errors.network');
    return t([`errors.${error.code}`, `web.errors.${error.code}`], {
      defaultValue: error.message || t('web.errors.unknown'),
    });
  }
  return t('web.errors.unknown');
}

/** The text for one 422 detail: by code (errors.* or fields.*), else the server's message. */
export function detailText(t: TFunction, detail: ApiErrorDetail): string {
  return t([`errors.${detail.code}`, `web.errors.${detail.code}`, `fields.${detail.code}`], {
    defaultValue: detail.message || t('fields.invalid'),
  });
}

export type FieldErrors = Record<string, string>;

/**
 * Split a 422's details into messages for the fields the form shows (by dotted path, e.g.
 * `owner.password`) and the rest, which the form shows above its button.
 */
export function splitDetails(
  t: TFunction,
  error: unknown,
  fields: readonly string[],
): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  if (!isApiError(error)) return { byField, other };
  for (const detail of error.details) {
    // Details without a field only explain a validation failure (a 429's retry_after is not for reading).
    if (!detail.field && error.code !== 'request.invalid') continue;
    const text = detailText(t, detail);
    if (detail.field && fields.includes(detail.field)) {
      byField[detail.field] ??= text;
    } else {
      other.push(detail.field ? `${detail.field}: ${text}` : text);
    }
  }
  return { byField, other };
}

/** Move keyboard focus to the first field marked invalid, once React has rendered the messages. */
export function focusFirstInvalid(): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
}
