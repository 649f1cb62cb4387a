import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.ts';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import {
  checkForm,
  DEFAULT_PORT,
  formOf,
  inputOf,
  keepsStoredSecret,
  MAILBOX_FIELDS,
  type MailboxForm,
  sameClient,
} from './mailbox-form.ts';
import { AUTH_KINDS, type ImapMailbox, saveImapMailbox, TLS_MODES } from './queries.ts';

/** Codes of Haven's own checks on a mailbox, said in the page's words rather than the server's. */
const OWN_CODES = new Set(['tls_required', 'same_folder', 'https_required']);

export function MailboxSettingsForm({
  org,
  stored,
  onSaved,
}: {
  org: string;
  stored: ImapMailbox | null;
  onSaved: (mailbox: ImapMailbox, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<MailboxForm>(() => formOf(stored));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const set = <K extends keyof MailboxForm>(key: K, value: MailboxForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: () => saveImapMailbox(org, inputOf(form)),
    onSuccess: (mailbox) => onSaved(mailbox, stored === null),
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, save.error, MAILBOX_FIELDS);
  if (isApiError(save.error)) {
    for (const detail of save.error.details) {
      if (!detail.field || !(MAILBOX_FIELDS as readonly string[]).includes(detail.field)) continue;
      if (OWN_CODES.has(detail.code)) server.byField[detail.field] = t(`web.mailbox.errors.${detail.code}`);
    }
  }
  const errors: FieldErrors = { ...server.byField, ...clientErrors };

  const xoauth2 = form.authKind === 'xoauth2';
  const keepsSecret = stored !== null && keepsStoredSecret(form, stored);
  // Left empty, the client secret is kept for the same client and dropped for another one.
  const keepsClientSecret = stored?.oauth?.hasClientSecret === true && sameClient(form, stored);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = checkForm(t, form, stored);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    save.reset();
    save.mutate();
  }

  function pickTls(tls: MailboxForm['tls']) {
    setForm((current) => ({
      ...current,
      tls,
      // A port left at the old mode's usual number follows the mode; one typed by hand stays.
      port: current.port === String(DEFAULT_PORT[current.tls]) ? String(DEFAULT_PORT[tls]) : current.port,
    }));
  }

  return (
    <section className="panel imap-form" aria-labelledby="imap-form-title">
      <h2 id="imap-form-title">{stored ? t('web.mailbox.editTitle') : t('web.mailbox.setUpTitle')}</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field-row imap-server-row">
          <Field label={t('web.mailbox.host')} hint={t('web.mailbox.hostHint')} error={errors.host}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={form.host}
                onChange={(e) => set('host', e.target.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={253}
              />
            )}
          </Field>
          <Field label={t('web.mailbox.port')} error={errors.port}>
            {(control) => (
              <input
                {...control}
                className="input"
                inputMode="numeric"
                value={form.port}
                onChange={(e) => set('port', e.target.value)}
                autoComplete="off"
                maxLength={5}
              />
            )}
          </Field>
        </div>

        <Choices
          legend={t('web.mailbox.tlsLabel')}
          name="tls"
          value={form.tls}
          options={TLS_MODES.map((mode) => ({
            value: mode,
            label: t(`web.mailbox.tls.${mode}`),
            hint: t(`web.mailbox.tlsHint.${mode}`),
          }))}
          onPick={pickTls}
          error={errors.tls}
        />

        <Choices
          legend={t('web.mailbox.authKindLabel')}
          name="authKind"
          value={form.authKind}
          options={AUTH_KINDS.map((kind) => ({
            value: kind,
            label: t(`web.mailbox.authKind.${kind}`),
            hint: t(`web.mailbox.authKindHint.${kind}`),
          }))}
          onPick={(kind) => set('authKind', kind)}
          error={errors.authKind}
        />

        <div className="field-row">
          <Field label={t('web.mailbox.username')} error={errors.username}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={form.username}
                onChange={(e) => set('username', e.target.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={320}
              />
            )}
          </Field>
          <Field
            label={xoauth2 ? t('web.mailbox.refreshToken') : t('web.mailbox.password')}
            hint={
              keepsSecret
                ? t(xoauth2 ? 'web.mailbox.tokenStored' : 'web.mailbox.passwordStored')
                : stored
                  ? t('web.mailbox.secretNeededAgain')
                  : xoauth2
                    ? t('web.mailbox.refreshTokenHint')
                    : undefined
            }
            error={errors.secret}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                type="password"
                value={form.secret}
                onChange={(e) => set('secret', e.target.value)}
                // Never offer the owner's own Haven password for the mail server.
                autoComplete="new-password"
                spellCheck={false}
                maxLength={8192}
                placeholder={keepsSecret ? t('web.mailbox.secretKeep') : undefined}
              />
            )}
          </Field>
        </div>

        {xoauth2 && (
          <fieldset className="imap-oauth">
            <legend>{t('web.mailbox.oauthTitle')}</legend>
            <p className="muted imap-oauth-intro">{t('web.mailbox.oauthIntro')}</p>
            {errors.oauth && <p className="field-error">{errors.oauth}</p>}
            <Field
              label={t('web.mailbox.tokenUrl')}
              hint={t('web.mailbox.tokenUrlHint')}
              error={errors['oauth.tokenUrl']}
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  type="url"
                  value={form.tokenUrl}
                  onChange={(e) => set('tokenUrl', e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={2000}
                />
              )}
            </Field>
            <div className="field-row">
              <Field label={t('web.mailbox.clientId')} error={errors['oauth.clientId']}>
                {(control) => (
                  <input
                    {...control}
                    className="input"
                    value={form.clientId}
                    onChange={(e) => set('clientId', e.target.value)}
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={500}
                  />
                )}
              </Field>
              <Field
                label={t('web.mailbox.clientSecret')}
                hint={
                  keepsClientSecret ? t('web.mailbox.clientSecretStored') : t('web.mailbox.clientSecretHint')
                }
                error={errors['oauth.clientSecret']}
                optional
              >
                {(control) => (
                  <input
                    {...control}
                    className="input"
                    type="password"
                    value={form.clientSecret}
                    onChange={(e) => set('clientSecret', e.target.value)}
                    autoComplete="new-password"
                    spellCheck={false}
                    maxLength={8192}
                    placeholder={keepsClientSecret ? t('web.mailbox.secretKeep') : undefined}
                  />
                )}
              </Field>
            </div>
            <Field
              label={t('web.mailbox.scope')}
              hint={t('web.mailbox.scopeHint')}
              error={errors['oauth.scope']}
              optional
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  value={form.scope}
                  onChange={(e) => set('scope', e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={1000}
                />
              )}
            </Field>
          </fieldset>
        )}

        <div className="field-row">
          <Field label={t('web.mailbox.folder')} hint={t('web.mailbox.folderHint')} error={errors.folder}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={form.folder}
                onChange={(e) => set('folder', e.target.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={200}
              />
            )}
          </Field>
          <Field
            label={t('web.mailbox.processedFolder')}
            hint={t('web.mailbox.processedFolderHint')}
            error={errors.processedFolder}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                value={form.processedFolder}
                onChange={(e) => set('processedFolder', e.target.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={200}
              />
            )}
          </Field>
        </div>

        <Check
          label={t('web.mailbox.enabled')}
          hint={t('web.mailbox.enabledHint')}
          checked={form.enabled}
          onChange={(enabled) => set('enabled', enabled)}
          error={errors.enabled}
        />

        <FormError error={save.error} other={server.other} />
        <div className="form-actions">
          <Button type="submit" busy={save.isPending}>
            {t('web.mailbox.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** A set of radio buttons, each with a line saying what it means. */
function Choices<V extends string>({
  legend,
  name,
  value,
  options,
  onPick,
  error,
}: {
  legend: string;
  name: string;
  value: V;
  options: { value: V; label: string; hint: string }[];
  onPick: (value: V) => void;
  error: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className={error ? 'imap-choices has-error' : 'imap-choices'}>
      <legend>{legend}</legend>
      <div className="imap-radios">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <div
              key={option.value}
              className={option.value === value ? 'imap-radio is-checked' : 'imap-radio'}
            >
              <input
                id={optionId}
                type="radio"
                name={`${id}-${name}`}
                value={option.value}
                checked={option.value === value}
                onChange={() => onPick(option.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={[`${optionId}-hint`, error ? errorId : null].filter(Boolean).join(' ')}
              />
              <div className="imap-radio-body">
                <label htmlFor={optionId} className="imap-radio-label">
                  {option.label}
                </label>
                <span id={`${optionId}-hint`} className="imap-radio-hint">
                  {option.hint}
                </span>
              </div>
            </div>
          );
        })}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Check({
  label,
  hint,
  checked,
  onChange,
  error,
}: {
  label: string;
  hint: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error: string | undefined;
}) {
  const id = useId();
  return (
    <div className="imap-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
      />
      <div className="imap-radio-body">
        <label htmlFor={id} className="imap-radio-label">
          {label}
        </label>
        <span id={`${id}-hint`} className="imap-radio-hint">
          {hint}
        </span>
        {error && <span className="field-error">{error}</span>}
      </div>
    </div>
  );
}
