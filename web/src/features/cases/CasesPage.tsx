import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime, useTitle } from '../../format.ts';
import { CASE_STATES, channelLabel, identityLabel, stateLabel } from './labels.ts';
import { caseListQuery } from './queries.ts';
import './cases.css';

const route = getRouteApi('/console/$org/cases');

/** The organisation's cases, newest first: filter by state, search title and reference, load more. */
export function CasesPage() {
  const { t, i18n } = useTranslation();
  useTitle(t('web.cases.title'));
  const { org } = route.useParams();
  const { state, q } = route.useSearch();
  const navigate = useNavigate();
  const stateId = useId();
  const searchId = useId();
  const [search, setSearch] = useState(q ?? '');
  useEffect(() => setSearch(q ?? ''), [q]);

  const cases = useInfiniteQuery(caseListQuery(org, { state, q }));
  const rows = cases.data?.pages.flatMap((page) => page.cases) ?? [];
  const filtered = Boolean(state || q);

  function applyFilter(next: { state?: string | undefined; q?: string | undefined }) {
    void navigate({
      to: '/console/$org/cases',
      params: { org },
      search: {
        ...(next.state ? { state: next.state } : {}),
        ...(next.q?.trim() ? { q: next.q.trim() } : {}),
      },
    });
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    applyFilter({ state, q: search });
  }

  return (
    <>
      <div className="page-header">
        <h1>{t('web.cases.title')}</h1>
        <p className="muted">{t('web.cases.intro')}</p>
      </div>

      <search>
        <form className="case-filters" onSubmit={onSearch}>
          <div className="field">
            <label htmlFor={stateId}>{t('web.cases.filterState')}</label>
            <select
              id={stateId}
              className="input"
              value={state ?? ''}
              onChange={(e) => applyFilter({ state: e.target.value, q: search })}
            >
              <option value="">{t('web.cases.allStates')}</option>
              {CASE_STATES.map((s) => (
                <option key={s} value={s}>
                  {stateLabel(t, s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field case-filters-search">
            <label htmlFor={searchId}>{t('web.cases.search')}</label>
            <input
              id={searchId}
              className="input"
              type="search"
              value={search}
              maxLength={200}
              placeholder={t('web.cases.searchPlaceholder')}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <div className="case-filters-actions">
            <Button type="submit" variant="secondary">
              {t('web.cases.searchSubmit')}
            </Button>
            {filtered && (
              <Button variant="ghost" onClick={() => applyFilter({})}>
                {t('web.cases.clearFilter')}
              </Button>
            )}
          </div>
        </form>
      </search>

      <section className="panel panel-flush" aria-label={t('web.cases.title')} aria-busy={cases.isFetching}>
        {cases.isPending ? (
          <p className="muted panel-pad">{t('web.common.loading')}</p>
        ) : cases.isError ? (
          <div className="panel-pad">
            <Alert tone="error">{errorText(t, cases.error)}</Alert>
            <Button variant="secondary" onClick={() => void cases.refetch()}>
              {t('web.common.retry')}
            </Button>
          </div>
        ) : rows.length === 0 ? (
          <div className="panel-pad">
            <p className="muted">{filtered ? t('web.cases.noMatches') : t('web.cases.empty')}</p>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table case-table">
              <thead>
                <tr>
                  <th scope="col">{t('web.cases.reference')}</th>
                  <th scope="col">{t('web.cases.caseTitle')}</th>
                  <th scope="col">{t('web.cases.state.label')}</th>
                  <th scope="col">{t('web.cases.channel.label')}</th>
                  <th scope="col">{t('web.cases.received')}</th>
                  <th scope="col">{t('web.cases.identity.label')}</th>
                  <th scope="col">{t('web.cases.activity')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.reference}>
                    <td data-label={t('web.cases.reference')} className="mono case-reference">
                      <Link to="/console/$org/cases/$reference" params={{ org, reference: c.reference }}>
                        {c.reference}
                      </Link>
                    </td>
                    <td data-label={t('web.cases.caseTitle')} className="case-title-cell">
                      <Link
                        to="/console/$org/cases/$reference"
                        params={{ org, reference: c.reference }}
                        className="case-title-link"
                      >
                        {c.title}
                      </Link>
                    </td>
                    <td data-label={t('web.cases.state.label')}>
                      <span className={`badge case-state case-state-${c.state}`}>
                        {stateLabel(t, c.state)}
                      </span>
                    </td>
                    <td data-label={t('web.cases.channel.label')}>{channelLabel(t, c.channel)}</td>
                    <td data-label={t('web.cases.received')}>
                      <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt, i18n.language)}</time>
                    </td>
                    <td data-label={t('web.cases.identity.label')}>{identityLabel(t, c.identity)}</td>
                    <td data-label={t('web.cases.activity')}>
                      <div className="case-counts">
                        <span>{t('web.cases.fileCount', { count: c.attachmentCount })}</span>
                        <span>{t('web.cases.messageCount', { count: c.messageCount })}</span>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {cases.hasNextPage && (
        <div className="form-actions">
          <Button
            variant="secondary"
            busy={cases.isFetchingNextPage}
            onClick={() => void cases.fetchNextPage()}
          >
            {t('web.cases.loadMore')}
          </Button>
        </div>
      )}
      {cases.isFetchNextPageError && <Alert tone="error">{errorText(t, cases.error)}</Alert>}
    </>
  );
}
