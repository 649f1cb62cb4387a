import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation, useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, type Session, setCsrfToken } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Wordmark } from '../../components/Wordmark.tsx';
import { errorText } from '../../errors.ts';
import { changeLanguage } from '../../i18n.ts';
import { sessionQuery } from '../../queries.ts';

/** Everything under /console: needs a session; renders the header around the page. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const session = useQuery(sessionQuery);
  const location = useLocation();
  const userLanguage = session.data?.user.language;

  // The account's language wins over this device's choice when the session first arrives.
  useEffect(() => {
    if (userLanguage) changeLanguage(userLanguage);
  }, [userLanguage]);

  if (session.isPending) return <p className="page-loading">{t('web.common.loading')}</p>;
  if (session.isError) {
    if (isApiError(session.error) && session.error.status === 401) {
      return <Navigate to="/sign-in" search={{ redirect: location.pathname }} replace />;
    }
    return (
      <main className="page-error" id="main">
        <Alert tone="error">{errorText(t, session.error)}</Alert>
        <Button variant="secondary" onClick={() => void session.refetch()}>
          {t('web.common.retry')}
        </Button>
      </main>
    );
  }
  return (
    <div className="console">
      <ConsoleHeader session={session.data} />
      <Outlet />
    </div>
  );
}

function ConsoleHeader({ session }: { session: Session }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const params = useParams({ strict: false });
  const location = useLocation();
  const switcherId = useId();
  const currentOrg = params.org;

  const signOut = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/sign-out'),
    onSuccess: () => leave(),
    onError: (error) => {
      if (isApiError(error) && error.status === 401) leave();
    },
  });

  function leave() {
    setCsrfToken(null);
    queryClient.clear();
    void navigate({ to: '/sign-in' });
  }

  function switchOrganisation(slug: string) {
    if (!currentOrg || slug === currentOrg) return;
    // Stay in the same section (members, tokens, …) of the other organisation.
    const prefix = `/console/${encodeURIComponent(currentOrg)}`;
    const section = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : '';
    // A case belongs to one organisation: in the other one, go to its list of cases.
    const rest = section.replace(/^\/cases\/.+$/, '/cases');
    void navigate({ href: `/console/${encodeURIComponent(slug)}${rest}` });
  }

  const known = session.memberships.some((m) => m.organisation.slug === currentOrg);

  return (
    <header className="console-header">
      <div className="console-header-start">
        <Wordmark />
        {currentOrg && session.memberships.length > 0 && (
          <div className="org-switcher">
            <label htmlFor={switcherId} className="visually-hidden">
              {t('web.console.organisation')}
            </label>
            <select
              id={switcherId}
              className="input input-compact"
              value={known ? currentOrg : ''}
              onChange={(e) => switchOrganisation(e.target.value)}
            >
              {!known && <option value="">{currentOrg}</option>}
              {session.memberships.map((m) => (
                <option key={m.organisation.slug} value={m.organisation.slug}>
                  {m.organisation.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <div className="console-header-end">
        <LanguageSwitch />
        <span className="console-user" title={session.user.name || undefined}>
          {session.user.email}
        </span>
        <Button
          variant="ghost"
          className="button-small"
          onClick={() => signOut.mutate()}
          busy={signOut.isPending}
        >
          {t('web.console.signOut')}
        </Button>
      </div>
      {signOut.isError && !(isApiError(signOut.error) && signOut.error.status === 401) && (
        <div className="console-header-alert">
          <Alert tone="error">{errorText(t, signOut.error)}</Alert>
        </div>
      )}
    </header>
  );
}
