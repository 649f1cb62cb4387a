import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { errorText } from '../../errors.ts';
import { orgQuery } from '../../queries.ts';
import { devMailboxQuery } from '../dev-mailbox/queries.ts';
import { CONSOLE_NAV, type NavCondition } from './nav.ts';

const route = getRouteApi('/console/$org');

/** /console/{org}/…: the section navigation beside the page. */
export function OrgLayout() {
  const { t } = useTranslation();
  const { org } = route.useParams();
  const organisation = useQuery(orgQuery(org));
  // The server knows whether there is a dev mailbox (no SMTP relay); only owners may ask.
  const devMailbox = useQuery({ ...devMailboxQuery(org), enabled: organisation.data?.role === 'owner' });
  const shown: Record<NavCondition, boolean> = {
    devMailbox: devMailbox.isSuccess,
    owner: organisation.data?.role === 'owner',
  };

  return (
    <div className="console-body">
      <nav className="console-nav" aria-label={t('web.nav.label')}>
        <ul>
          {CONSOLE_NAV.filter((item) => !('only' in item) || shown[item.only]).map((item) => (
            <li key={item.to}>
              <Link
                to={item.to}
                params={{ org }}
                className="nav-link"
                activeOptions={{ exact: item.exact }}
                activeProps={{ className: 'nav-link is-active', 'aria-current': 'page' }}
              >
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="console-main" id="main">
        {organisation.isPending ? (
          <p className="muted">{t('web.common.loading')}</p>
        ) : organisation.isError ? (
          <div className="panel">
            <Alert tone="error">{errorText(t, organisation.error)}</Alert>
            <div className="form-actions">
              <Link to="/console" className="button button-secondary">
                {t('web.console.backToConsole')}
              </Link>
              <Button variant="ghost" onClick={() => void organisation.refetch()}>
                {t('web.common.retry')}
              </Button>
            </div>
          </div>
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
