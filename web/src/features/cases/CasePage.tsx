import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime, useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';
import { CaseAttachments } from './CaseAttachments.tsx';
import { CaseConversation } from './CaseConversation.tsx';
import { CaseTimeline } from './CaseTimeline.tsx';
import { channelLabel, deviationLabel, identityLabel, languageName, stateLabel } from './labels.ts';
import { PlainText } from './PlainText.tsx';
import { caseQuery, type Deviation, type StaffCase } from './queries.ts';
import './cases.css';

const route = getRouteApi('/console/$org/cases/$reference');

/** One case as the team works it: the report, who sent it, files, messages, notes and timeline. */
export function CasePage() {
  const { t, i18n } = useTranslation();
  const { org, reference } = route.useParams();
  const organisation = useQuery(orgQuery(org)).data;
  const found = useQuery(caseQuery(org, reference));
  useTitle(found.data ? `${found.data.reference} · ${found.data.title}` : reference);
  const canWrite = organisation?.scopes.includes('cases:write') ?? false;

  const back = (
    <Link to="/console/$org/cases" params={{ org }} className="back-link">
      {t('web.cases.backToList')}
    </Link>
  );

  if (found.isPending) {
    return (
      <>
        {back}
        <p className="muted">{t('web.common.loading')}</p>
      </>
    );
  }
  if (found.isError) {
    const missing = isApiError(found.error) && found.error.status === 404;
    return (
      <>
        {back}
        <div className="panel">
          <Alert tone="error">{missing ? t('web.cases.notFound') : errorText(t, found.error)}</Alert>
          {!missing && (
            <Button variant="secondary" onClick={() => void found.refetch()}>
              {t('web.common.retry')}
            </Button>
          )}
        </div>
      </>
    );
  }

  const c = found.data;
  // The last bounce that came to the case's own bounce address; a forged one raises no alarm.
  const bounced = c.timeline.findLast((e) => e.kind === 'mail.bounced' && e.data.verified === true);
  return (
    <>
      {back}
      <header className="case-header">
        <p className="case-header-meta">
          <span className="mono case-header-reference">{c.reference}</span>
          <span className={`badge case-state case-state-${c.state}`}>{stateLabel(t, c.state)}</span>
        </p>
        <h1 className="case-header-title">{c.title}</h1>
      </header>

      {c.withdrawnAt && (
        <Alert tone="info">
          {t('web.cases.withdrawnNotice', { date: formatDateTime(c.withdrawnAt, i18n.language) })}
        </Alert>
      )}
      {bounced && (
        <Alert tone="warning">
          {t('web.cases.bouncedNotice', { date: formatDateTime(bounced.at, i18n.language) })}
        </Alert>
      )}
      {c.report && c.report.deviations.length > 0 && <Deviations deviations={c.report.deviations} />}

      <div className="case-layout">
        <div className="case-main">
          <ReportPanel report={c.report} />
          <CaseAttachments org={org} c={c} canWrite={canWrite} />
          <CaseConversation org={org} c={c} canWrite={canWrite} />
        </div>
        <aside className="case-side" aria-label={t('web.cases.aboutCase')}>
          <CaseDetails c={c} />
          <ReporterPanel c={c} />
          <CaseTimeline timeline={c.timeline} />
        </aside>
      </div>
    </>
  );
}

function Deviations({ deviations }: { deviations: Deviation[] }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-warning case-deviations" role="note" aria-labelledby="deviations-title">
      <p className="alert-title" id="deviations-title">
        {t('web.cases.deviationsTitle', { count: deviations.length })}
      </p>
      <p className="case-deviations-intro">{t('web.cases.deviationsIntro')}</p>
      <ul className="alert-list">
        {deviations.map((d, i) => (
          // Deviations have no id; their order is fixed for the life of the report.
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored list that never reorders
          <li key={i}>
            <strong>{deviationLabel(t, d.code)}</strong>
            {d.field && (
              <>
                {' · '}
                <span className="mono">{d.field}</span>
              </>
            )}
            {d.detail && (
              <>
                {' · '}
                <span className="case-deviation-detail">{d.detail}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Section({ label, children, empty }: { label: string; children: ReactNode; empty: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="report-field">
      <h3>{label}</h3>
      {empty ? <p className="muted report-empty">{t('web.cases.notGiven')}</p> : children}
    </div>
  );
}

function ReportPanel({ report }: { report: StaffCase['report'] }) {
  const { t, i18n } = useTranslation();
  if (!report) {
    return (
      <section className="panel" aria-labelledby="report-title">
        <h2 id="report-title">{t('web.cases.report')}</h2>
        <p className="muted">{t('web.cases.noReport')}</p>
      </section>
    );
  }
  const cwe = report.cwe ? /^CWE-(\d{1,6})$/.exec(report.cwe) : null;
  return (
    <section className="panel" aria-labelledby="report-title">
      <h2 id="report-title">{t('web.cases.report')}</h2>
      <div className="report-fields">
        <Section label={t('web.cases.assets')} empty={report.assets.length === 0}>
          <ul className="plain-list">
            {report.assets.map((asset, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the reporter may list one URL twice
              <li key={i}>
                <PlainText text={asset} mono />
              </li>
            ))}
          </ul>
        </Section>
        <Section label={t('web.cases.ipAddresses')} empty={report.ipAddresses.length === 0}>
          <ul className="plain-list">
            {report.ipAddresses.map((ip, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the reporter may list one address twice
              <li key={i} className="mono">
                {ip}
              </li>
            ))}
          </ul>
        </Section>
        <Section label={t('web.cases.objects')} empty={!report.objects}>
          <PlainText text={report.objects} />
        </Section>
        <Section label={t('web.cases.steps')} empty={!report.steps}>
          <PlainText text={report.steps} />
        </Section>
        <Section label={t('web.cases.impact')} empty={!report.impact}>
          <PlainText text={report.impact} />
        </Section>
        <Section label={t('web.cases.proofOfConcept')} empty={!report.proofOfConcept}>
          <PlainText text={report.proofOfConcept} mono block />
        </Section>
      </div>
      <dl className="details report-meta">
        <dt>{t('web.cases.cwe')}</dt>
        <dd>
          {cwe ? (
            <a
              href={`https://cwe.mitre.org/data/definitions/${cwe[1]}.html`}
              target="_blank"
              rel="noopener noreferrer nofollow"
            >
              {report.cwe}
            </a>
          ) : (
            (report.cwe ?? <span className="muted">{t('web.cases.notGiven')}</span>)
          )}
        </dd>
        <dt>{t('web.cases.detectedLanguage')}</dt>
        <dd>
          {report.detectedLanguage ? (
            `${languageName(report.detectedLanguage, i18n.language)} (${report.detectedLanguage})`
          ) : (
            <span className="muted">{t('web.cases.languageUndetermined')}</span>
          )}
        </dd>
        <dt>{t('web.cases.policy')}</dt>
        <dd>
          {report.policyVersion === null
            ? t('web.cases.noPolicy')
            : t(
                report.policyAcceptance === 'implicit'
                  ? 'web.cases.policyImplicit'
                  : 'web.cases.policyExplicit',
                { version: report.policyVersion },
              )}
        </dd>
        {report.source && (
          <>
            <dt>{t('web.cases.source')}</dt>
            <dd>
              <PlainText text={report.source} />
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function CaseDetails({ c }: { c: StaffCase }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="case-details-title">
      <h2 id="case-details-title">{t('web.cases.details')}</h2>
      <dl className="details details-compact">
        <dt>{t('web.cases.reference')}</dt>
        <dd className="mono">{c.reference}</dd>
        <dt>{t('web.cases.state.label')}</dt>
        <dd>{stateLabel(t, c.state)}</dd>
        <dt>{t('web.cases.channel.label')}</dt>
        <dd>{channelLabel(t, c.channel)}</dd>
        <dt>{t('web.cases.received')}</dt>
        <dd>
          <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt, i18n.language)}</time>
        </dd>
        <dt>{t('web.cases.updated')}</dt>
        <dd>
          <time dateTime={c.updatedAt}>{formatDateTime(c.updatedAt, i18n.language)}</time>
        </dd>
        <dt>{t('web.cases.language')}</dt>
        <dd>{languageName(c.language, i18n.language)}</dd>
      </dl>
    </section>
  );
}

function ReporterPanel({ c }: { c: StaffCase }) {
  const { t } = useTranslation();
  const r = c.reporter;
  const value = (text: string | null, mono = false) =>
    text ? <PlainText text={text} mono={mono} /> : <span className="muted">{t('web.cases.notGiven')}</span>;
  return (
    <section className="panel" aria-labelledby="reporter-title">
      <h2 id="reporter-title">{t('web.cases.reporter')}</h2>
      <dl className="details details-compact">
        <dt>{t('web.cases.identity.label')}</dt>
        <dd>
          <span className={`badge case-identity-${r.identity}`}>{identityLabel(t, r.identity)}</span>
        </dd>
        {r.identity === 'named' && (
          <>
            <dt>{t('web.cases.name')}</dt>
            <dd>{value(r.name)}</dd>
          </>
        )}
        {(r.identity === 'alias' || r.alias) && (
          <>
            <dt>{t('web.cases.alias')}</dt>
            <dd>{value(r.alias)}</dd>
          </>
        )}
        <dt>{t('web.cases.email')}</dt>
        <dd>{value(r.email)}</dd>
        <dt>{t('web.cases.phone')}</dt>
        <dd>{value(r.phone)}</dd>
        <dt>{t('web.cases.openpgpKey')}</dt>
        <dd>
          {r.openpgpKey ? (
            <details className="case-key">
              <summary>{t('web.cases.openpgpKeyGiven')}</summary>
              <PlainText text={r.openpgpKey} mono block />
            </details>
          ) : (
            <span className="muted">{t('web.cases.openpgpKeyNone')}</span>
          )}
        </dd>
        <dt>{t('web.cases.credit')}</dt>
        <dd>
          {!c.credit.wanted ? (
            t('web.cases.creditNone')
          ) : c.credit.name ? (
            <>
              {t('web.cases.creditAs')} <PlainText text={c.credit.name} inline />
            </>
          ) : (
            t('web.cases.creditNoName')
          )}
        </dd>
      </dl>
      {r.identity === 'anonymous' && <p className="muted case-note-small">{t('web.cases.anonymousNote')}</p>}
    </section>
  );
}
