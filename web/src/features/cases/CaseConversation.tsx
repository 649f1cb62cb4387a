import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, seg } from '../../api.ts';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { focusFirstInvalid, splitDetails } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { formatBytes } from './labels.ts';
import { PlainText } from './PlainText.tsx';
import { attachmentUrl, caseKeys, type StaffCase } from './queries.ts';

const MAX_BODY = 100_000;

/** The reporter-visible thread and, apart from it, the team's internal notes. */
export function CaseConversation({ org, c, canWrite }: { org: string; c: StaffCase; canWrite: boolean }) {
  return (
    <>
      <Messages org={org} c={c} canWrite={canWrite} />
      <Notes org={org} c={c} canWrite={canWrite} />
    </>
  );
}

function Messages({ org, c, canWrite }: { org: string; c: StaffCase; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="messages-title">
      <h2 id="messages-title">
        {t('web.cases.messages')} <span className="count">{c.messages.length}</span>
      </h2>
      <p className="muted panel-intro">{t('web.cases.messagesIntro')}</p>
      {c.messages.length === 0 ? (
        <p className="muted">{t('web.cases.noMessages')}</p>
      ) : (
        <ol className="thread">
          {c.messages.map((m) => {
            const files = c.attachments.filter((a) => a.messageId === m.id);
            return (
              <li key={m.id} className={`thread-message from-${m.author}`}>
                <p className="thread-meta">
                  <span className="thread-author">
                    {m.author === 'reporter'
                      ? t('web.cases.fromReporter')
                      : m.authorName
                        ? t('web.cases.fromStaffNamed', { name: m.authorName })
                        : t('web.cases.fromTeam')}
                  </span>
                  <time dateTime={m.at}>{formatDateTime(m.at, i18n.language)}</time>
                </p>
                <PlainText text={m.body} />
                {files.length > 0 && (
                  <ul className="thread-files">
                    {files.map((a) => (
                      <li key={a.id}>
                        <a href={attachmentUrl(org, c.reference, a.id)} download>
                          <PlainText text={a.fileName} inline />
                        </a>{' '}
                        <span className="muted">({formatBytes(a.size, i18n.language)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {canWrite && (
        <BodyForm
          org={org}
          c={c}
          kind="messages"
          label={t('web.cases.replyLabel')}
          hint={c.reporter.email ? t('web.cases.replyHint') : t('web.cases.replyHintNoEmail')}
          submit={t('web.cases.replySubmit')}
        />
      )}
    </section>
  );
}

function Notes({ org, c, canWrite }: { org: string; c: StaffCase; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel panel-internal" aria-labelledby="notes-title">
      <h2 id="notes-title">
        {t('web.cases.notes')} <span className="count">{c.notes.length}</span>
      </h2>
      <p className="internal-label">{t('web.cases.internalLabel')}</p>
      {c.notes.length === 0 ? (
        <p className="muted">{t('web.cases.noNotes')}</p>
      ) : (
        <ol className="notes">
          {c.notes.map((n) => (
            <li key={n.id} className="note">
              <p className="thread-meta">
                <span className="thread-author">{n.authorName ?? t('web.cases.fromTeam')}</span>
                <time dateTime={n.at}>{formatDateTime(n.at, i18n.language)}</time>
              </p>
              <PlainText text={n.body} />
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <BodyForm
          org={org}
          c={c}
          kind="notes"
          label={t('web.cases.noteLabel')}
          hint={t('web.cases.noteHint')}
          submit={t('web.cases.noteSubmit')}
        />
      )}
    </section>
  );
}

const FIELDS = ['body'] as const;

/** One text box and a button: a reply to the reporter, or an internal note. */
function BodyForm({
  org,
  c,
  kind,
  label,
  hint,
  submit,
}: {
  org: string;
  c: StaffCase;
  kind: 'messages' | 'notes';
  label: string;
  hint: string;
  submit: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);

  const send = useMutation({
    mutationFn: (text: string) =>
      api.post(`/api/v1/orgs/${seg(org)}/cases/${seg(c.reference)}/${kind}`, { body: text }),
    onMutate: () => setSent(false),
    onSuccess: async () => {
      setBody('');
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(org) });
    },
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, send.error, FIELDS);
  const error = clientError ?? server.byField.body;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setClientError(t('fields.required'));
      return focusFirstInvalid();
    }
    setClientError(undefined);
    send.reset();
    send.mutate(body);
  }

  return (
    <form className={`form case-form case-form-${kind}`} onSubmit={onSubmit} noValidate>
      <Field label={label} hint={hint} error={error}>
        {(control) => (
          <textarea
            {...control}
            className="input case-textarea"
            rows={kind === 'messages' ? 6 : 4}
            maxLength={MAX_BODY}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              setSent(false);
            }}
          />
        )}
      </Field>
      <FormError error={send.error} other={server.other} />
      <div className="form-actions">
        <Button type="submit" variant={kind === 'notes' ? 'secondary' : 'primary'} busy={send.isPending}>
          {submit}
        </Button>
        {sent && (
          <span className="form-sent" role="status">
            {kind === 'messages' ? t('web.cases.replySent') : t('web.cases.noteAdded')}
          </span>
        )}
      </div>
    </form>
  );
}
