import { useTranslation } from 'react-i18next';
import type { CaseEvent } from './queries.ts';

type Dkim = { domain?: unknown; result?: unknown };
type Signature = {
  status?: unknown;
  signer?: unknown;
  keySource?: unknown;
  keyIds?: unknown;
  signerIsSender?: unknown;
  partial?: unknown;
};

/** An OpenPGP signature check in words; nothing when the mail was not signed. */
function SignatureDetail({ signature }: { signature: unknown }) {
  const { t } = useTranslation();
  const s = (signature ?? {}) as Signature;
  const status = typeof s.status === 'string' ? s.status : 'none';
  if (status === 'none') return null;
  const words =
    status === 'valid'
      ? [
          t('web.cases.mail.sig_valid', {
            fingerprint: String(s.signer ?? ''),
            source: t(`web.cases.mail.source_${String(s.keySource)}`, { defaultValue: String(s.keySource) }),
          }),
          ...(s.signerIsSender === true ? [] : [t('web.cases.mail.sig_notSender')]),
          ...(s.partial === true ? [t('web.cases.mail.sig_partial')] : []),
        ].join('; ')
      : t(`web.cases.mail.sig_${status}`, {
          keyIds: Array.isArray(s.keyIds) ? s.keyIds.map(String).join(', ') : '',
          defaultValue: status,
        });
  return (
    <>
      <dt className="timeline-detail-term">{t('web.cases.mail.signature')}</dt>
      <dd className={`timeline-detail-value${status === 'invalid' ? ' timeline-warning' : ''}`}>{words}</dd>
    </>
  );
}

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
        <SignatureDetail signature={data.signature} />
        {data.reply === true ? (
          <dd className="timeline-detail-value">{t('web.cases.mail.replyFromReporter')}</dd>
        ) : (
          <>
            <dt className="timeline-detail-term">{t('web.cases.mail.acknowledgement')}</dt>
            <dd className="timeline-detail-value">
              {ack === 'none'
                ? t('web.cases.mail.ack_none', { reason: text(data.acknowledgementWithheld) })
                : t(`web.cases.mail.ack_${ack}`, { defaultValue: ack })}
            </dd>
          </>
        )}
        {data.keyAdopted === true && (
          <dd className="timeline-detail-value">{t('web.cases.mail.keyAdopted')}</dd>
        )}
      </dl>
    );
  }
  if (event.kind === 'mail.bounced') {
    return (
      <div className="timeline-detail">
        <p>
          {t('web.cases.mail.bounced', {
            status: text(data.status) || '-',
            action: text(data.action) || '-',
          })}
        </p>
        {text(data.diagnostic) && (
          <p className="muted">
            {t('web.cases.mail.bounceDiagnostic', { diagnostic: text(data.diagnostic) })}
          </p>
        )}
        {data.verified !== true && (
          <p className="badge badge-internal">{t('web.cases.mail.bounceUnverified')}</p>
        )}
      </div>
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
        <dl className="timeline-detail">
          <SignatureDetail signature={data.signature} />
        </dl>
      </div>
    );
  }
  if (event.kind === 'mail.automatic' || event.kind === 'acknowledgement.withheld') {
    const reason = text(data.reason);
    return reason ? <p className="timeline-detail muted">{t('web.cases.mail.reason', { reason })}</p> : null;
  }
  return null;
}
