import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.tsx';

/** A read-only value with a copy button (falls back to selecting the text for Ctrl+C). */
export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field">
        <input
          ref={input}
          id={id}
          className="input mono"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
        />
        <Button variant="secondary" onClick={copy}>
          {state === 'copied' ? t('web.common.copied') : t('web.common.copy')}
        </Button>
      </div>
      <p className="field-hint" aria-live="polite">
        {state === 'failed' ? t('web.common.copyFailed') : ''}
      </p>
    </div>
  );
}
