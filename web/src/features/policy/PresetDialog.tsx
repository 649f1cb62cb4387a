import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRESET_NAMES, type PresetName } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../errors.ts';

export function PresetDialog({
  open,
  busy,
  error,
  dirty,
  onApply,
  onCancel,
}: {
  open: boolean;
  busy: boolean;
  error: unknown;
  dirty: boolean;
  onApply: (preset: PresetName) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<PresetName | null>(null);
  const [missing, setMissing] = useState(false);

  return (
    <ConfirmDialog
      open={open}
      title={t('web.policy.presets.title')}
      confirmLabel={t('web.policy.presets.confirm')}
      busy={busy}
      onCancel={() => {
        setMissing(false);
        onCancel();
      }}
      onConfirm={() => {
        if (!choice) return setMissing(true);
        onApply(choice);
      }}
    >
      <div className="policy-dialog-wide policy-preset-body">
        <p>{t('web.policy.presets.intro')}</p>
        <fieldset className="policy-presets" aria-describedby={missing ? 'policy-preset-missing' : undefined}>
          <legend className="visually-hidden">{t('web.policy.presets.legend')}</legend>
          {PRESET_NAMES.map((name) => {
            const id = `policy-preset-${name}`;
            return (
              <div key={name} className={choice === name ? 'policy-preset is-checked' : 'policy-preset'}>
                <input
                  id={id}
                  type="radio"
                  name="policy-preset"
                  value={name}
                  checked={choice === name}
                  aria-describedby={`${id}-desc`}
                  onChange={() => {
                    setChoice(name);
                    setMissing(false);
                  }}
                />
                <label htmlFor={id} className="policy-choice-label">
                  <span className="policy-preset-name">{t(`web.policy.presets.names.${name}`)}</span>
                  <span id={`${id}-desc`} className="policy-preset-desc">
                    {t(`web.policy.presets.descriptions.${name}`)}
                  </span>
                </label>
              </div>
            );
          })}
        </fieldset>
        {missing && (
          <p id="policy-preset-missing" className="field-error">
            {t('web.policy.presets.pickOne')}
          </p>
        )}
        <Alert tone="warning">
          {dirty ? t('web.policy.presets.warningUnsaved') : t('web.policy.presets.warning')}
        </Alert>
        {error ? <Alert tone="error">{errorText(t, error)}</Alert> : null}
      </div>
    </ConfirmDialog>
  );
}
