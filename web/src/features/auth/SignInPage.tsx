import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../../api.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import { useTitle } from '../../format.ts';
import { sessionQuery } from '../../queries.ts';
import { isEmail } from './validation.ts';

const FIELDS = ['email', 'password'] as const;

export function SignInPage({ redirect }: { redirect: string | undefined }) {
  const { t } = useTranslation();
  useTitle(t('web.signIn.title'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Already signed in (another tab, a back button)? Offer the way in instead of a second sign-in.
  const session = useQuery({ ...sessionQuery, retry: false });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const signIn = useMutation({
    mutationFn: () =>
      api.post<{ csrfToken: string }>('/api/v1/auth/sign-in', { email: email.trim(), password }),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      queryClient.clear();
      if (redirect) await navigate({ href: redirect });
      else await navigate({ to: '/console' });
    },
    onError: () => {
      setPassword('');
      focusFirstInvalid();
    },
  });

  const server = splitDetails(t, signIn.error, FIELDS);
  const errors: FieldErrors = { ...server.byField, ...clientErrors };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!email.trim()) found.email = t('fields.required');
    else if (!isEmail(email)) found.email = t('web.auth.emailInvalid');
    if (!password) found.password = t('fields.required');
    setClientErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    signIn.reset();
    signIn.mutate();
  }

  return (
    <AuthLayout title={t('web.signIn.title')} intro={<p>{t('web.signIn.intro')}</p>}>
      {session.data && (
        <div className="alert alert-info" role="status">
          <p className="alert-body">{t('web.signIn.alreadySignedIn', { email: session.data.user.email })}</p>
          <Link to="/console" className="button button-secondary button-small">
            {t('web.signIn.continue')}
          </Link>
        </div>
      )}
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field label={t('web.auth.email')} error={errors.email}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="username"
              inputMode="email"
              spellCheck={false}
              // biome-ignore lint/a11y/noAutofocus: the page exists for this one field
              autoFocus
            />
          )}
        </Field>
        <Field label={t('web.auth.password')} error={errors.password}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
            />
          )}
        </Field>
        <FormError error={signIn.error} other={server.other} />
        <div className="form-actions form-actions-split">
          <Button type="submit" busy={signIn.isPending}>
            {t('web.signIn.submit')}
          </Button>
          <Link to="/forgot-password" className="link-quiet">
            {t('web.signIn.forgot')}
          </Link>
        </div>
      </form>
    </AuthLayout>
  );
}
