import { useEffect } from 'react';

function localeOf(language: string): string {
  return language === 'nl' ? 'nl-NL' : 'en-GB';
}

export function formatDate(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium' }).format(date);
}

export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

/** Set the document title for the current page, e.g. "Members · Haven". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Haven` : 'Haven';
  }, [title]);
}
