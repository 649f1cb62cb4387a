import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type PolicyChange, type PolicyVersion, seg } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { ChangeView } from './ChangeView.tsx';
import { fieldLabel, SECTIONS, sectionTitle } from './labels.ts';
import { policyKeys } from './queries.ts';

type Side = number | 'draft';

function sideLabel(t: TFunction, side: Side): string {
  return side === 'draft'
    ? t('web.policy.history.draft')
    : t('web.policy.history.versionN', { version: side });
}

/** Published versions, and what changed between any two of them (or one and the draft). */
export function PolicyHistory({
  org,
  versions,
  draftHasChanges,
  currency,
}: {
  org: string;
  versions: PolicyVersion[];
  draftHasChanges: boolean;
  currency: string;
}) {
  const { t, i18n } = useTranslation();
  const newest = versions[0]?.version;
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<Side | null>(null);
  // Until someone picks: the newest version against the draft when it differs, else the last step.
  const defaultFrom = newest === undefined ? null : draftHasChanges || newest === 1 ? newest : newest - 1;
  const defaultTo: Side | null =
    newest === undefined ? null : draftHasChanges || newest === 1 ? 'draft' : newest;
  const fromSide = from ?? defaultFrom;
  const toSide = to ?? defaultTo;
  const fromId = useId();
  const toId = useId();

  return (
    <div className="policy-history">
      <section className="panel panel-flush" aria-labelledby="policy-versions-title">
        <header className="panel-pad policy-history-head">
          <h2 id="policy-versions-title">{t('web.policy.history.versionsTitle')}</h2>
          <p className="muted">{t('web.policy.history.versionsIntro')}</p>
        </header>
        {versions.length === 0 ? (
          <p className="panel-pad muted policy-history-empty">{t('web.policy.history.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('web.policy.history.version')}</th>
                  <th scope="col">{t('web.policy.history.publishedAt')}</th>
                  <th scope="col">{t('web.policy.history.publishedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td data-label={t('web.policy.history.version')}>
                      <span className="cell-strong">
                        {t('web.policy.history.versionN', { version: v.version })}
                      </span>
                      {v.version === newest && (
                        <span className="badge badge-owner">{t('web.policy.history.current')}</span>
                      )}
                    </td>
                    <td data-label={t('web.policy.history.publishedAt')}>
                      <time dateTime={v.publishedAt}>{formatDateTime(v.publishedAt, i18n.language)}</time>
                    </td>
                    <td data-label={t('web.policy.history.publishedBy')} className="cell-break">
                      {v.publishedBy ?? (
                        <span className="muted">{t('web.policy.history.unknownPublisher')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {fromSide !== null && toSide !== null && (
        <section className="panel" aria-labelledby="policy-compare-title">
          <h2 id="policy-compare-title">{t('web.policy.history.compareTitle')}</h2>
          <div className="policy-compare-pickers">
            <div className="field">
              <label htmlFor={fromId}>{t('web.policy.history.from')}</label>
              <select
                id={fromId}
                className="input"
                value={fromSide}
                onChange={(e) => setFrom(Number(e.target.value))}
              >
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {sideLabel(t, v.version)} · {formatDateTime(v.publishedAt, i18n.language)}
                  </option>
                ))}
              </select>
            </div>
            <span className="policy-compare-arrow" aria-hidden="true">
              →
            </span>
            <div className="field">
              <label htmlFor={toId}>{t('web.policy.history.to')}</label>
              <select
                id={toId}
                className="input"
                value={String(toSide)}
                onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}
              >
                <option value="draft">{t('web.policy.history.draft')}</option>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {sideLabel(t, v.version)} · {formatDateTime(v.publishedAt, i18n.language)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <Comparison org={org} from={fromSide} to={toSide} currency={currency} />
        </section>
      )}
    </div>
  );
}

function Comparison({ org, from, to, currency }: { org: string; from: number; to: Side; currency: string }) {
  const { t } = useTranslation();
  const same = from === to;
  const compare = useQuery({
    queryKey: policyKeys.compare(org, from, to),
    queryFn: () =>
      api.get<{ changes: PolicyChange[] }>(
        `/api/v1/orgs/${seg(org)}/policy/compare?from=${from}${to === 'draft' ? '' : `&to=${to}`}`,
      ),
    enabled: !same,
    placeholderData: (previous) => previous,
  });

  if (same) return <p className="muted policy-compare-status">{t('web.policy.history.sameVersion')}</p>;
  if (compare.isPending) return <p className="muted policy-compare-status">{t('web.common.loading')}</p>;
  if (compare.isError) return <Alert tone="error">{errorText(t, compare.error)}</Alert>;

  const changes = compare.data.changes;
  const summary = t('web.policy.history.summary', {
    count: changes.length,
    from: sideLabel(t, from),
    to: sideLabel(t, to),
  });
  if (changes.length === 0) {
    return (
      <p className="policy-compare-status" aria-live="polite">
        {t('web.policy.history.noChanges', { from: sideLabel(t, from), to: sideLabel(t, to) })}
      </p>
    );
  }
  const order = (path: string) => {
    const index = SECTIONS.indexOf(path.split('.')[0] as (typeof SECTIONS)[number]);
    return index === -1 ? SECTIONS.length : index;
  };
  const groups = new Map<string, PolicyChange[]>();
  for (const change of [...changes].sort((a, b) => order(a.path) - order(b.path))) {
    const section = change.path.split('.')[0] ?? change.path;
    groups.set(section, [...(groups.get(section) ?? []), change]);
  }

  return (
    <div className={compare.isFetching ? 'policy-diff is-refreshing' : 'policy-diff'}>
      <p className="policy-compare-status" aria-live="polite">
        {summary}
      </p>
      {[...groups].map(([section, sectionChanges]) => (
        <section key={section} className="policy-diff-group" aria-label={sectionTitle(t, section)}>
          <h3 className="policy-diff-section">{sectionTitle(t, section)}</h3>
          <ul className="policy-diff-changes">
            {sectionChanges.map((change) => (
              <li key={change.path} className="policy-diff-change">
                <p className="policy-diff-label" title={change.path}>
                  {fieldLabel(t, change.path)}
                </p>
                <ChangeView change={change} currency={currency} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
