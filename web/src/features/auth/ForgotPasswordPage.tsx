import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { focusFirstInvalid, splitDetails } from '../../errors.ts';
import { useTitle } from '../../format.ts';
import { isEmail } from './validation.ts';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useTitle(t('web.forgot.title'));
  const [email, setEmail] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();

  const request = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/password-reset', { email: email.trim() }),
  });
  const server = splitDetails(t, request.error, ['email']);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problem = !email.trim()
      ? t('fields.required')
      : !isEmail(email)
        ? t('web.auth.emailInvalid')
        : undefined;
    setClientError(problem);
    if (problem) return focusFirstInvalid();
    request.reset();
    request.mutate();
  }

  if (request.isSuccess) {
    return (
      <AuthLayout title={t('web.forgot.title')}>
        <Alert tone="success" title={t('web.forgot.sentTitle')}>
          {t('web.forgot.sentBody')}
        </Alert>
        <p>
          <Link to="/sign-in">{t('web.common.backToSignIn')}</Link>
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('web.forgot.title')} intro={<p>{t('web.forgot.intro')}</p>}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field label={t('web.auth.email')} error={clientError ?? server.byField.email}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="email"
              inputMode="email"
              spellCheck={false}
              // biome-ignore lint/a11y/noAutofocus: the page exists for this one field
              autoFocus
            />
          )}
        </Field>
        <FormError error={request.error} other={server.other} />
        <div className="form-actions form-actions-split">
          <Button type="submit" busy={request.isPending}>
            {t('web.forgot.submit')}
          </Button>
          <Link to="/sign-in" className="link-quiet">
            {t('web.common.backToSignIn')}
          </Link>
        </div>
      </form>
    </AuthLayout>
  );
}
