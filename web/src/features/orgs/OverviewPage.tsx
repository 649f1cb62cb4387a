import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';

const route = getRouteApi('/console/$org/');

export function OverviewPage() {
  const { t } = useTranslation();
  const { org } = route.useParams();
  const { data: organisation } = useQuery(orgQuery(org));
  useTitle(organisation?.name ?? t('web.nav.overview'));
  if (!organisation) return null;
  const reportUrl = `${window.location.origin}/o/${encodeURIComponent(organisation.slug)}/report`;

  return (
    <>
      <div className="page-header">
        <h1>{organisation.name}</h1>
        <p className="muted">{t('web.overview.intro')}</p>
      </div>
      <div className="grid-2">
        <section className="panel" aria-labelledby="org-details">
          <h2 id="org-details">{t('web.overview.details')}</h2>
          <dl className="details">
            <dt>{t('web.overview.name')}</dt>
            <dd>{organisation.name}</dd>
            <dt>{t('web.overview.slug')}</dt>
            <dd className="mono">{organisation.slug}</dd>
            <dt>{t('web.overview.defaultLanguage')}</dt>
            <dd>{t(`web.language.${organisation.defaultLanguage}`)}</dd>
            <dt>{t('web.overview.timezone')}</dt>
            <dd>{organisation.timezone.replaceAll('_', ' ')}</dd>
            <dt>{t('web.overview.yourRole')}</dt>
            <dd>
              <span className={`badge badge-${organisation.role}`}>{t(`roles.${organisation.role}`)}</span>
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="next-steps">
          <h2 id="next-steps">{t('web.overview.nextTitle')}</h2>
          <ol className="steps">
            <li>
              <strong>{t('web.overview.nextPolicyTitle')}</strong>
              <p className="muted">{t('web.overview.nextPolicyBody')}</p>
            </li>
            <li>
              <strong>{t('web.overview.nextFormTitle')}</strong>
              <p className="muted">{t('web.overview.nextFormBody')}</p>
              <p className="mono url">{reportUrl}</p>
            </li>
            <li>
              <strong>{t('web.overview.nextTeamTitle')}</strong>
              <p className="muted">
                {t('web.overview.nextTeamBody')}{' '}
                <Link to="/console/$org/members" params={{ org }}>
                  {t('web.overview.nextTeamLink')}
                </Link>
              </p>
            </li>
          </ol>
        </section>
      </div>
    </>
  );
}
