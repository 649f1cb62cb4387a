import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, seg } from '../../api.ts';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { focusFirstInvalid, splitDetails } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { deviationLabel, formatBytes } from './labels.ts';
import { PlainText } from './PlainText.tsx';
import { attachmentUrl, type CaseAttachment, caseKeys, type StaffCase } from './queries.ts';

/** Formats Haven can unlock on the server; others are downloaded and opened locally. */
const UNLOCKABLE = new Set(['zip', 'pdf']);

/**
 * The case's files: what they are, their checksum, how they were treated, and download links.
 * Files taken out of an unlocked document are listed under it.
 */
export function CaseAttachments({ org, c, canWrite }: { org: string; c: StaffCase; canWrite: boolean }) {
  const { t } = useTranslation();
  const topLevel = c.attachments.filter((a) => a.unlockedFrom === null);
  const stillLocked = topLevel.some((a) => a.locked && a.unlockedAt === null);
  return (
    <section className="panel" aria-labelledby="attachments-title">
      <h2 id="attachments-title">
        {t('web.cases.attachments')} <span className="count">{c.attachments.length}</span>
      </h2>
      {c.attachments.length === 0 ? (
        <p className="muted">{t('web.cases.noAttachments')}</p>
      ) : (
        <ul className="attachment-list">
          {topLevel.map((a) => (
            <AttachmentItem key={a.id} org={org} c={c} a={a} canWrite={canWrite} />
          ))}
        </ul>
      )}
      {canWrite && stillLocked && c.reporter.phone && <AskPassword org={org} reference={c.reference} />}
    </section>
  );
}

function AttachmentItem({
  org,
  c,
  a,
  canWrite,
}: {
  org: string;
  c: StaffCase;
  a: CaseAttachment;
  canWrite: boolean;
}) {
  const { t, i18n } = useTranslation();
  const reference = c.reference;
  const children = c.attachments.filter((child) => child.unlockedFrom === a.id);
  const kind = a.lockKind ? t(`web.cases.lockKind.${a.lockKind}`, { defaultValue: a.lockKind }) : '';
  return (
    <li className={a.quarantined ? 'attachment is-quarantined' : 'attachment'}>
      <div className="attachment-head">
        <PlainText text={a.fileName} inline />
        {a.reencoded && <span className="badge badge-info">{t('web.cases.reencoded')}</span>}
        {a.proofOfConcept && <span className="badge badge-poc">{t('web.cases.proofOfConceptBadge')}</span>}
        {a.quarantined && <span className="badge badge-danger">{t('web.cases.quarantined')}</span>}
        {a.locked && <span className="badge badge-pending">{t('web.cases.locked', { kind })}</span>}
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
      {a.locked && a.unlockedAt && (
        <p className="attachment-note">
          {t('web.cases.unlockedNote', { at: formatDateTime(a.unlockedAt, i18n.language) })}
        </p>
      )}
      {a.locked && !a.unlockedAt && !a.unlockedFrom && (
        <p className="attachment-note">
          {UNLOCKABLE.has(a.lockKind ?? '') ? t('web.cases.lockedNote') : t('web.cases.keptLockedNote')}
        </p>
      )}
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
      {canWrite && a.locked && !a.unlockedAt && !a.unlockedFrom && UNLOCKABLE.has(a.lockKind ?? '') && (
        <UnlockForm org={org} reference={reference} a={a} />
      )}
      {children.length > 0 && (
        <ul
          className="attachment-list attachment-children"
          aria-label={t('web.cases.unlockedFiles', { name: a.fileName })}
        >
          {children.map((child) => (
            <AttachmentItem key={child.id} org={org} c={c} a={child} canWrite={canWrite} />
          ))}
        </ul>
      )}
    </li>
  );
}

const PASSWORD_FIELDS = ['password'] as const;

/** The password is held in this form only until it is sent; it is cleared whatever the answer. */
function UnlockForm({ org, reference, a }: { org: string; reference: string; a: CaseAttachment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const unlock = useMutation({
    mutationFn: (secret: string) =>
      api.post(`/api/v1/orgs/${seg(org)}/cases/${seg(reference)}/attachments/${seg(a.id)}/unlock`, {
        password: secret,
      }),
    onSettled: () => setPassword(''),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.all(org) }),
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, unlock.error, PASSWORD_FIELDS);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!password) {
      setClientError(t('fields.required'));
      return focusFirstInvalid();
    }
    setClientError(undefined);
    unlock.reset();
    unlock.mutate(password);
  }

  return (
    <form className="form case-form unlock-form" onSubmit={onSubmit} noValidate>
      <Field
        label={t('web.cases.unlockPassword')}
        hint={t('web.cases.unlockHint')}
        error={clientError ?? server.byField.password}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            type="password"
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <FormError error={unlock.error} other={server.other} />
      <div className="form-actions">
        <Button type="submit" variant="secondary" busy={unlock.isPending}>
          {t('web.cases.unlockSubmit')}
          <span className="visually-hidden"> {a.fileName}</span>
        </Button>
      </div>
    </form>
  );
}

function AskPassword({ org, reference }: { org: string; reference: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ask = useMutation({
    mutationFn: () => api.post(`/api/v1/orgs/${seg(org)}/cases/${seg(reference)}/ask-password`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.all(org) }),
  });
  return (
    <div className="form-actions ask-password">
      <Button type="button" variant="secondary" busy={ask.isPending} onClick={() => ask.mutate()}>
        {t('web.cases.askPassword')}
      </Button>
      {ask.isSuccess && (
        <span className="form-sent" role="status">
          {t('web.cases.askPasswordSent')}
        </span>
      )}
      <FormError error={ask.error} />
    </div>
  );
}
