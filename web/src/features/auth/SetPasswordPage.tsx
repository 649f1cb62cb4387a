import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import { useTitle } from '../../format.ts';
import { useLinkToken } from '../../link-token.ts';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './validation.ts';

const FIELDS = ['token', 'name', 'password', 'passwordConfirm'] as const;

/** Reached from an invitation or a password-reset e-mail: choose a (new) password. */
export function SetPasswordPage() {
  const { t } = useTranslation();
  useTitle(t('web.setPassword.title'));
  const token = useLinkToken();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [passwordConfirm, setPasswordConfirm] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const save = useMutation({
    mutationFn: () =>
      api.post<void>('/api/v1/auth/set-password', {
        token,
        password,
        ...(name.trim() ? { name: name.trim() } : {}),
      }),
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, save.error, FIELDS);
  const errors: FieldErrors = { ...server.byField, ...clientErrors };
  // A malformed token is a 422 on field `token`: to the reader that is the same broken link as a 410.
  const tokenRejected = Boolean(server.byField.token);
  const linkInvalid = tokenRejected || (isApiError(save.error) && save.error.code === 'auth.link_invalid');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    const passwordIssue = passwordProblem(password);
    if (passwordIssue) found.password = t(passwordIssue);
    if (passwordConfirm !== password) found.passwordConfirm = t('web.auth.passwordMismatch');
    setClientErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    save.reset();
    save.mutate();
  }

  if (!token) {
    return (
      <AuthLayout title={t('web.setPassword.title')}>
        <Alert tone="warning" title={t('web.setPassword.noTokenTitle')}>
          {t('web.setPassword.noTokenBody')}
        </Alert>
        <p>
          <Link to="/forgot-password">{t('web.setPassword.requestNew')}</Link>
        </p>
      </AuthLayout>
    );
  }

  if (save.isSuccess) {
    return (
      <AuthLayout title={t('web.setPassword.title')}>
        <Alert tone="success" title={t('web.setPassword.doneTitle')}>
          {t('web.setPassword.doneBody')}
        </Alert>
        <p>
          <Link to="/sign-in" className="button button-primary">
            {t('web.signIn.submit')}
          </Link>
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('web.setPassword.title')} intro={<p>{t('web.setPassword.intro')}</p>}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field label={t('web.auth.name')} hint={t('web.setPassword.nameHint')} error={errors.name} optional>
          {(control) => (
            <input
              {...control}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="name"
              maxLength={200}
            />
          )}
        </Field>
        <Field
          label={t('web.auth.newPassword')}
          hint={t('web.auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          error={errors.password}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
            />
          )}
        </Field>
        <Field label={t('web.auth.passwordConfirm')} error={errors.passwordConfirm}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              value={passwordConfirm}
              onChange={(e) => setPasswordConfirm(e.target.value)}
              autoComplete="new-password"
            />
          )}
        </Field>
        {tokenRejected ? (
          <Alert tone="error">{t('errors.auth.link_invalid')}</Alert>
        ) : (
          <FormError error={save.error} other={server.other} />
        )}
        {linkInvalid && (
          <p>
            <Link to="/forgot-password">{t('web.setPassword.requestNew')}</Link>
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" busy={save.isPending}>
            {t('web.setPassword.submit')}
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
