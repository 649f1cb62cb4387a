import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime, useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';
import { MailboxSettingsForm } from './MailboxSettingsForm.tsx';
import {
  deleteImapMailbox,
  type ImapMailbox,
  imapMailboxQuery,
  mailIntakeQuery,
  testImapMailbox,
} from './queries.ts';
import './mailbox.css';

const route = getRouteApi('/console/$org/mailbox');

/** Owners only: the organisation's own mailbox (often security@) that Haven reads by IMAP. */
export function MailboxPage() {
  const { t } = useTranslation();
  useTitle(t('web.mailbox.title'));
  const { org } = route.useParams();
  const queryClient = useQueryClient();
  const organisation = useQuery(orgQuery(org)).data;
  const isOwner = organisation?.role === 'owner';
  const query = imapMailboxQuery(org);
  const mailbox = useQuery({ ...query, enabled: isOwner });
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);

  const test = useMutation({ mutationFn: () => testImapMailbox(org), onMutate: () => setNotice(null) });
  const remove = useMutation({
    mutationFn: () => deleteImapMailbox(org),
    onSuccess: () => {
      setRemoving(false);
      test.reset();
      setNotice(t('web.mailbox.removed'));
      queryClient.setQueryData(query.queryKey, null);
    },
  });

  const header = (
    <div className="page-header">
      <h1>{t('web.mailbox.title')}</h1>
      <p className="muted">{t('web.mailbox.intro')}</p>
    </div>
  );
  if (!organisation) return null;
  if (!isOwner) {
    return (
      <>
        {header}
        <Alert tone="info">{t('web.mailbox.ownersOnly')}</Alert>
      </>
    );
  }
  if (mailbox.isPending) {
    return (
      <>
        {header}
        <p className="muted">{t('web.common.loading')}</p>
      </>
    );
  }
  if (mailbox.isError) {
    return (
      <>
        {header}
        <Alert tone="error">{errorText(t, mailbox.error)}</Alert>
        <div>
          <Button variant="secondary" onClick={() => void mailbox.refetch()}>
            {t('web.common.retry')}
          </Button>
        </div>
      </>
    );
  }
  const stored = mailbox.data;

  return (
    <>
      {header}
      {notice && <Alert tone="success">{notice}</Alert>}
      {stored && (
        <section className="panel" aria-labelledby="imap-current-title">
          <h2 id="imap-current-title">{t('web.mailbox.currentTitle')}</h2>
          <CurrentSettings mailbox={stored} />
          <div className="form-actions imap-current-actions">
            <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate()}>
              {t('web.mailbox.test')}
            </Button>
            <Button
              variant="ghost"
              className="button-danger-text"
              onClick={() => {
                remove.reset();
                setRemoving(true);
              }}
            >
              {t('web.mailbox.remove')}
            </Button>
          </div>
          <p className="field-hint">{t('web.mailbox.testHint')}</p>
          <TestOutcome mailbox={stored} test={test} />
        </section>
      )}
      {/* Before the form while there is nothing to read yet; after it once there is. */}
      {!stored && <ProviderNote slug={organisation.slug} />}
      <MailboxSettingsForm
        // A fresh form after every save or removal: typed secrets do not outlive the request.
        key={stored?.updatedAt ?? 'new'}
        org={org}
        stored={stored}
        onSaved={(saved, created) => {
          test.reset();
          setNotice(t(created ? 'web.mailbox.created' : 'web.mailbox.saved'));
          queryClient.setQueryData(query.queryKey, saved);
          window.scrollTo({ top: 0 });
        }}
      />
      {stored && <ProviderNote slug={organisation.slug} />}
      <ConfirmDialog
        open={removing}
        title={t('web.mailbox.removeTitle')}
        confirmLabel={t('web.mailbox.remove')}
        busy={remove.isPending}
        onCancel={() => setRemoving(false)}
        onConfirm={() => remove.mutate()}
      >
        <p>{t('web.mailbox.removeBody', { username: stored?.username ?? '', host: stored?.host ?? '' })}</p>
        {remove.isError && <Alert tone="error">{errorText(t, remove.error)}</Alert>}
      </ConfirmDialog>
    </>
  );
}

function CurrentSettings({ mailbox }: { mailbox: ImapMailbox }) {
  const { t, i18n } = useTranslation();
  const oauth = mailbox.authKind === 'xoauth2' ? (mailbox.oauth ?? null) : null;
  return (
    <dl className="details imap-details">
      <dt>{t('web.mailbox.server')}</dt>
      <dd className="mono">
        {mailbox.host}:{mailbox.port}
      </dd>
      <dt>{t('web.mailbox.tlsLabel')}</dt>
      <dd>{t(`web.mailbox.tls.${mailbox.tls}`)}</dd>
      <dt>{t('web.mailbox.username')}</dt>
      <dd className="mono">{mailbox.username}</dd>
      <dt>{t('web.mailbox.authKindLabel')}</dt>
      <dd>{t(`web.mailbox.authKind.${mailbox.authKind}`)}</dd>
      <dt>{t('web.mailbox.credential')}</dt>
      <dd>
        {mailbox.authKind === 'xoauth2' ? t('web.mailbox.tokenStored') : t('web.mailbox.passwordStored')}
      </dd>
      {oauth && (
        <>
          <dt>{t('web.mailbox.tokenUrl')}</dt>
          <dd className="mono">{oauth.tokenUrl}</dd>
          <dt>{t('web.mailbox.clientId')}</dt>
          <dd className="mono">{oauth.clientId}</dd>
          <dt>{t('web.mailbox.clientSecret')}</dt>
          <dd>{oauth.hasClientSecret ? t('web.mailbox.clientSecretStored') : t('web.mailbox.none')}</dd>
          <dt>{t('web.mailbox.scope')}</dt>
          <dd className="mono">{oauth.scope ?? '—'}</dd>
        </>
      )}
      <dt>{t('web.mailbox.folder')}</dt>
      <dd className="mono">{mailbox.folder}</dd>
      <dt>{t('web.mailbox.processedFolder')}</dt>
      <dd className="mono">{mailbox.processedFolder}</dd>
      <dt>{t('web.mailbox.reading')}</dt>
      <dd>
        {mailbox.enabled ? (
          <span className="badge badge-owner">{t('web.mailbox.on')}</span>
        ) : (
          <span className="badge badge-pending">{t('web.mailbox.paused')}</span>
        )}
      </dd>
      <dt>{t('web.mailbox.lastPolled')}</dt>
      <dd>
        {mailbox.lastPolledAt ? (
          <time dateTime={mailbox.lastPolledAt}>{formatDateTime(mailbox.lastPolledAt, i18n.language)}</time>
        ) : (
          <span className="muted">{t('web.mailbox.notYet')}</span>
        )}
      </dd>
      <dt>{t('web.mailbox.lastError')}</dt>
      <dd>
        {mailbox.lastError ? (
          <span className="imap-last-error">{mailbox.lastError}</span>
        ) : (
          <span className="muted">{t('web.mailbox.none')}</span>
        )}
      </dd>
    </dl>
  );
}

type TestState = {
  isSuccess: boolean;
  isError: boolean;
  data: { messages: number } | undefined;
  error: unknown;
};

/** The test's answer in words: how many messages wait, or why Haven could not get in. */
function TestOutcome({ mailbox, test }: { mailbox: ImapMailbox; test: TestState }) {
  const { t } = useTranslation();
  if (test.isSuccess && test.data) {
    return (
      <Alert tone="success" title={t('web.mailbox.testOkTitle')}>
        {t('web.mailbox.testOk', { count: test.data.messages, folder: mailbox.folder })}
      </Alert>
    );
  }
  if (!test.isError) return null;
  const error = test.error;
  const detail = isApiError(error) && error.code === 'mail.imap_failed' ? error.details[0] : undefined;
  const where = `${mailbox.host}:${mailbox.port}`;
  return (
    <Alert tone="error" title={t('web.mailbox.testFailedTitle')}>
      <p>
        {detail
          ? t(`web.mailbox.failure.${detail.code}`, {
              where,
              folder: mailbox.folder,
              defaultValue: detail.message || errorText(t, error),
            })
          : errorText(t, error)}
      </p>
      {/* The token endpoint's trouble comes in many kinds: Haven's own sentence names which. */}
      {detail?.code === 'oauth_failed' && detail.message && <p className="muted">{detail.message}</p>}
    </Alert>
  );
}

/** Why IMAP may not be the way in, and the way that always works: mail forwarded to Haven itself. */
function ProviderNote({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const intake = useQuery(mailIntakeQuery(slug));
  const smtp = intake.data?.smtp;
  return (
    <section className="panel imap-note" aria-labelledby="imap-note-title">
      <h2 id="imap-note-title">{t('web.mailbox.providersTitle')}</h2>
      <p>{t('web.mailbox.providersBody')}</p>
      {intake.data &&
        (smtp ? (
          <>
            <p>{t('web.mailbox.forwardBody')}</p>
            <p className="mono imap-address">{intake.data.addresses[0]}</p>
            <p className="muted">{t('web.mailbox.forwardHow', { port: smtp.port })}</p>
          </>
        ) : (
          <p className="muted">{t('web.mailbox.forwardOff')}</p>
        ))}
    </section>
  );
}
