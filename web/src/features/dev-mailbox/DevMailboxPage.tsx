import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime, useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';
import { PlainText } from '../cases/PlainText.tsx';
import { devMailboxQuery, devMailQuery } from './queries.ts';
import './dev-mailbox.css';

const route = getRouteApi('/console/$org/dev-mailbox');

/** The outbox of the embedded default, for owners: what Haven would have sent, as plain text. */
export function DevMailboxPage() {
  const { t, i18n } = useTranslation();
  useTitle(t('web.devMailbox.title'));
  const { org } = route.useParams();
  const { id } = route.useSearch();
  const organisation = useQuery(orgQuery(org)).data;
  const isOwner = organisation?.role === 'owner';
  const list = useQuery({ ...devMailboxQuery(org), enabled: isOwner });

  const header = (
    <div className="page-header">
      <h1>{t('web.devMailbox.title')}</h1>
      <p className="muted">{t('web.devMailbox.intro')}</p>
    </div>
  );
  if (!organisation) return null;
  if (!isOwner) {
    return (
      <>
        {header}
        <Alert tone="info">{t('web.devMailbox.ownersOnly')}</Alert>
      </>
    );
  }
  if (list.isError && isApiError(list.error) && list.error.status === 404) {
    return (
      <>
        {header}
        <Alert tone="info">{t('web.devMailbox.unavailable')}</Alert>
      </>
    );
  }

  return (
    <>
      {header}
      <Alert tone="warning">{t('web.devMailbox.secretWarning')}</Alert>
      <div className="mailbox">
        <section className="panel panel-flush mailbox-list" aria-labelledby="mailbox-list-title">
          <div className="mailbox-list-head">
            <h2 id="mailbox-list-title">{t('web.devMailbox.messages')}</h2>
            <Button
              variant="ghost"
              className="button-small"
              busy={list.isFetching}
              onClick={() => void list.refetch()}
            >
              {t('web.devMailbox.refresh')}
            </Button>
          </div>
          {list.isPending ? (
            <p className="muted panel-pad">{t('web.common.loading')}</p>
          ) : list.isError ? (
            <div className="panel-pad">
              <Alert tone="error">{errorText(t, list.error)}</Alert>
            </div>
          ) : list.data.messages.length === 0 ? (
            <p className="muted panel-pad">{t('web.devMailbox.empty')}</p>
          ) : (
            <ul className="mailbox-items">
              {list.data.messages.map((m) => (
                <li key={m.id}>
                  <Link
                    to="/console/$org/dev-mailbox"
                    params={{ org }}
                    search={{ id: m.id }}
                    className={m.id === id ? 'mailbox-item is-selected' : 'mailbox-item'}
                    aria-current={m.id === id ? 'true' : undefined}
                  >
                    <span className="mailbox-subject">{m.subject || t('web.devMailbox.noSubject')}</span>
                    <span className="mailbox-to">
                      {t('web.devMailbox.to')}: {m.to}
                    </span>
                    {m.date && (
                      <time className="mailbox-date" dateTime={m.date}>
                        {formatDateTime(m.date, i18n.language)}
                      </time>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {list.data?.truncated && <p className="muted panel-pad">{t('web.devMailbox.truncated')}</p>}
        </section>
        <section className="panel mailbox-reader" aria-label={t('web.devMailbox.message')}>
          {id ? <MailReader org={org} id={id} /> : <p className="muted">{t('web.devMailbox.choose')}</p>}
        </section>
      </div>
    </>
  );
}

function MailReader({ org, id }: { org: string; id: string }) {
  const { t, i18n } = useTranslation();
  const mail = useQuery(devMailQuery(org, id));
  if (mail.isPending) return <p className="muted">{t('web.common.loading')}</p>;
  if (mail.isError) return <Alert tone="error">{errorText(t, mail.error)}</Alert>;
  const m = mail.data;
  return (
    <article>
      <h2 className="mailbox-reader-subject">
        <PlainText text={m.subject || t('web.devMailbox.noSubject')} inline />
      </h2>
      <dl className="details details-compact mailbox-headers">
        <dt>{t('web.devMailbox.from')}</dt>
        <dd>
          <PlainText text={m.from} inline />
        </dd>
        <dt>{t('web.devMailbox.to')}</dt>
        <dd>
          <PlainText text={m.to} inline />
        </dd>
        <dt>{t('web.devMailbox.date')}</dt>
        <dd>{m.date ? <time dateTime={m.date}>{formatDateTime(m.date, i18n.language)}</time> : '—'}</dd>
        <dt>{t('web.devMailbox.file')}</dt>
        <dd className="mono">{m.id}</dd>
      </dl>
      <PlainText text={m.text} mono block />
    </article>
  );
}
