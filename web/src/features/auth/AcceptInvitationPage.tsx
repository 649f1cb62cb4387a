import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { Button } from '../../components/Button.tsx';
import { FormError } from '../../components/FormError.tsx';
import { splitDetails } from '../../errors.ts';
import { useTitle } from '../../format.ts';
import { useLinkToken } from '../../link-token.ts';

/** An invitation for someone who already has a Haven account: one click, then sign in as usual. */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  useTitle(t('web.acceptInvitation.title'));
  const token = useLinkToken();
  const accept = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/accept-invitation', { token }),
  });
  const server = splitDetails(t, accept.error, ['token']);
  const linkInvalid =
    Boolean(server.byField.token) || (isApiError(accept.error) && accept.error.code === 'auth.link_invalid');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    accept.reset();
    accept.mutate();
  }

  if (!token) {
    return (
      <AuthLayout title={t('web.acceptInvitation.title')}>
        <Alert tone="warning" title={t('web.setPassword.noTokenTitle')}>
          {t('web.setPassword.noTokenBody')}
        </Alert>
      </AuthLayout>
    );
  }

  if (accept.isSuccess) {
    return (
      <AuthLayout title={t('web.acceptInvitation.title')}>
        <Alert tone="success" title={t('web.acceptInvitation.doneTitle')}>
          {t('web.acceptInvitation.doneBody')}
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
    <AuthLayout title={t('web.acceptInvitation.title')} intro={<p>{t('web.acceptInvitation.intro')}</p>}>
      <form className="form" onSubmit={onSubmit} noValidate>
        {linkInvalid ? (
          <Alert tone="error">{t('errors.auth.link_invalid')}</Alert>
        ) : (
          <FormError error={accept.error} other={server.other} />
        )}
        <div className="form-actions">
          <Button type="submit" busy={accept.isPending} disabled={linkInvalid}>
            {t('web.acceptInvitation.submit')}
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
