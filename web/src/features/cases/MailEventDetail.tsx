import { useTranslation } from 'react-i18next';
import type { CaseEvent } from './queries.ts';

type Dkim = { domain?: unknown; result?: unknown };

/**
 * What Haven noted about a mail: sender checks (informative only), encryption and whether it was
 * acknowledged; for a reply Haven cannot vouch for, its text, flagged. Reporter text stays text.
 */
export function MailEventDetail({ event }: { event: CaseEvent }) {
  const { t } = useTranslation();
  const data = event.data;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  if (event.kind === 'mail.received') {
    const dkim = Array.isArray(data.dkim) ? (data.dkim as Dkim[]) : [];
    const checks = [
      `SPF: ${text(data.spf) || '-'}`,
      `DKIM: ${dkim.length === 0 ? '-' : dkim.map((d) => `${text(d.result)} (${text(d.domain)})`).join(', ')}`,
      `DMARC: ${text(data.dmarc) || '-'}`,
    ].join(' · ');
    const ack = text(data.acknowledgement);
    return (
      <dl className="timeline-detail">
        <dt className="timeline-detail-term">{t('web.cases.mail.authentication')}</dt>
        <dd className="timeline-detail-value">{checks}</dd>
        {text(data.encryption) && text(data.encryption) !== 'none' && (
          <>
            <dt className="timeline-detail-term">{t('web.cases.mail.encryption')}</dt>
            <dd className="timeline-detail-value">
              {text(data.encryption)}
              {text(data.decryptedWith) &&
                `, ${t('web.cases.mail.decryptedWith', { fingerprint: text(data.decryptedWith) })}`}
            </dd>
          </>
        )}
        <dt className="timeline-detail-term">{t('web.cases.mail.acknowledgement')}</dt>
        <dd className="timeline-detail-value">
          {ack === 'none'
            ? t('web.cases.mail.ack_none', { reason: text(data.acknowledgementWithheld) })
            : t(`web.cases.mail.ack_${ack}`, { defaultValue: ack })}
        </dd>
      </dl>
    );
  }
  if (event.kind === 'mail.reply_unverified') {
    const why =
      data.tagVerified !== true
        ? t('web.cases.mail.wrongTag')
        : data.senderIsReporter !== true
          ? t('web.cases.mail.otherSender')
          : t('web.cases.mail.noTag');
    const files = typeof data.filesInMessage === 'number' ? data.filesInMessage : 0;
    return (
      <div className="timeline-detail timeline-unverified">
        <p className="badge badge-internal">{t('web.cases.mail.unverified', { why })}</p>
        {text(data.subject) && <p className="timeline-subject">{text(data.subject)}</p>}
        <pre className="timeline-text">{text(data.text)}</pre>
        {files > 0 && <p className="muted">{t('web.cases.mail.filesInMessage', { count: files })}</p>}
      </div>
    );
  }
  if (event.kind === 'mail.automatic' || event.kind === 'acknowledgement.withheld') {
    const reason = text(data.reason);
    return reason ? <p className="timeline-detail muted">{t('web.cases.mail.reason', { reason })}</p> : null;
  }
  return null;
}
