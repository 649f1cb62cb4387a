import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n.ts';
import { useSwitchLanguage } from '../queries.ts';

const NATIVE_NAMES = { nl: 'Nederlands', en: 'English' } as const;

/** NL | EN toggle. Each button is labelled in its own language, so anyone can find theirs. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const switchLanguage = useSwitchLanguage();
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t('web.language.label')}</legend>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-label={NATIVE_NAMES[language]}
          aria-pressed={i18n.language === language}
          onClick={() => switchLanguage(language)}
        >
          {language.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}
