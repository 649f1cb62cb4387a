import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { eventLabel } from './labels.ts';
import { MailEventDetail } from './MailEventDetail.tsx';
import type { CaseEvent } from './queries.ts';

/** What happened to the case, oldest first; events the reporter does not see are marked. */
export function CaseTimeline({ timeline }: { timeline: CaseEvent[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('web.cases.timeline')}</h2>
      {timeline.length === 0 ? (
        <p className="muted">{t('web.cases.noEvents')}</p>
      ) : (
        <ol className="timeline">
          {timeline.map((e) => (
            <li key={e.id} className={`timeline-event actor-${e.actor}`}>
              <p className="timeline-what">
                {eventLabel(t, e.kind)}
                {e.visibility === 'internal' && (
                  <span className="badge badge-internal">{t('web.cases.internalBadge')}</span>
                )}
              </p>
              <p className="timeline-meta">
                <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
                {' · '}
                {e.actorName ?? t(`web.cases.actor.${e.actor}`, { defaultValue: e.actor })}
              </p>
              <MailEventDetail event={e} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
