import { createInstance, type TFunction } from 'i18next';
import en from '../../locales/en.json' with { type: 'json' };
import nl from '../../locales/nl.json' with { type: 'json' };

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const catalogues = { en, nl } as const;

export type Translate = (language: Language, key: string, values?: Record<string, unknown>) => string;

/** One catalogue for the web app and the server's texts (e-mail, CLI); plain text, no HTML escaping. */
export async function createTranslator(): Promise<Translate> {
  const instance = createInstance();
  await instance.init({
    resources: { en: { translation: en }, nl: { translation: nl } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Language, TFunction>(LANGUAGES.map((l) => [l, instance.getFixedT(l)]));
  return (language, key, values) => {
    const t = fixed.get(language) ?? instance.t;
    return String(t(key, values ?? {}));
  };
}

export function isLanguage(value: unknown): value is Language {
  return value === 'nl' || value === 'en';
}
