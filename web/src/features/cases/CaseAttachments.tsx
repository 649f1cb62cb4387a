import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { deviationLabel, formatBytes } from './labels.ts';
import { PlainText } from './PlainText.tsx';
import { attachmentUrl, type CaseAttachment, type StaffCase } from './queries.ts';

/** The case's files: what they are, their checksum, how they were treated, and download links. */
export function CaseAttachments({ org, c }: { org: string; c: StaffCase }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="attachments-title">
      <h2 id="attachments-title">
        {t('web.cases.attachments')} <span className="count">{c.attachments.length}</span>
      </h2>
      {c.attachments.length === 0 ? (
        <p className="muted">{t('web.cases.noAttachments')}</p>
      ) : (
        <ul className="attachment-list">
          {c.attachments.map((a) => (
            <AttachmentItem key={a.id} org={org} reference={c.reference} a={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AttachmentItem({ org, reference, a }: { org: string; reference: string; a: CaseAttachment }) {
  const { t, i18n } = useTranslation();
  return (
    <li className={a.quarantined ? 'attachment is-quarantined' : 'attachment'}>
      <div className="attachment-head">
        <PlainText text={a.fileName} inline />
        {a.reencoded && <span className="badge badge-info">{t('web.cases.reencoded')}</span>}
        {a.proofOfConcept && <span className="badge badge-poc">{t('web.cases.proofOfConceptBadge')}</span>}
        {a.quarantined && <span className="badge badge-danger">{t('web.cases.quarantined')}</span>}
        {a.deviation && (
          <span className="badge badge-pending">{deviationLabel(t, `attachment_${a.deviation}`)}</span>
        )}
      </div>
      <p className="attachment-meta">
        <span className="mono">{a.mediaType}</span>
        <span>{formatBytes(a.size, i18n.language)}</span>
        <span>
          {a.uploadedBy === 'staff' ? t('web.cases.uploadedByStaff') : t('web.cases.uploadedByReporter')}
          {a.messageId ? ` · ${t('web.cases.withMessage')}` : ''}
        </span>
        <time dateTime={a.createdAt}>{formatDateTime(a.createdAt, i18n.language)}</time>
      </p>
      <p className="attachment-hash">
        <span className="attachment-hash-label">SHA-256</span> <code>{a.sha256}</code>
      </p>
      {a.quarantined && <p className="attachment-warning">{t('web.cases.quarantineWarning')}</p>}
      {a.hasOriginal && <p className="attachment-note">{t('web.cases.originalNote')}</p>}
      <p className="attachment-actions">
        <a
          className="button button-secondary button-small"
          href={attachmentUrl(org, reference, a.id)}
          download
        >
          {t('web.cases.download')}
          <span className="visually-hidden"> {a.fileName}</span>
        </a>
        {a.hasOriginal && (
          <a
            className="button button-ghost button-small"
            href={attachmentUrl(org, reference, a.id, true)}
            download
          >
            {t('web.cases.downloadOriginal')}
            <span className="visually-hidden"> {a.fileName}</span>
          </a>
        )}
      </p>
    </li>
  );
}
