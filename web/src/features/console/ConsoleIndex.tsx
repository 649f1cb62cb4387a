import { useQuery } from '@tanstack/react-query';
import { Navigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useTitle } from '../../format.ts';
import { sessionQuery } from '../../queries.ts';

/** /console: straight on to the first organisation, or a word on what to do without one. */
export function ConsoleIndex() {
  const { t } = useTranslation();
  useTitle(t('web.console.title'));
  const session = useQuery(sessionQuery);
  const first = session.data?.memberships[0];
  if (first) return <Navigate to="/console/$org" params={{ org: first.organisation.slug }} replace />;
  if (!session.data) return null;
  return (
    <main className="empty-state" id="main">
      <h1>{t('web.console.noOrgTitle')}</h1>
      <p>{t('web.console.noOrgBody')}</p>
    </main>
  );
}
