import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Member, ROLES, type Role, seg } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { errorText, type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import { formatDate, useTitle } from '../../format.ts';
import { orgQuery, sessionQuery } from '../../queries.ts';
import { isEmail } from '../auth/validation.ts';

const route = getRouteApi('/console/$org/members');

const membersQueryKey = (org: string) => ['org', org, 'members'] as const;

export function MembersPage() {
  const { t, i18n } = useTranslation();
  useTitle(t('web.members.title'));
  const { org } = route.useParams();
  const queryClient = useQueryClient();
  const organisation = useQuery(orgQuery(org)).data;
  const me = useQuery(sessionQuery).data?.user;
  const isOwner = organisation?.role === 'owner';
  const members = useQuery({
    queryKey: membersQueryKey(org),
    queryFn: () => api.get<{ members: Member[] }>(`/api/v1/orgs/${seg(org)}/members`),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      api.patch<Member>(`/api/v1/orgs/${seg(org)}/members/${seg(member.userId)}`, { role }),
    onMutate: () => setNotice(null),
    onSuccess: (updated) => {
      setNotice(
        t('web.members.roleChanged', {
          name: updated.name || updated.email,
          role: t(`roles.${updated.role}`),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(org) });
    },
  });

  const notify = useMutation({
    mutationFn: (notifyByEmail: boolean) =>
      api.put<Member>(`/api/v1/orgs/${seg(org)}/members/me/notifications`, { notifyByEmail }),
    onMutate: () => setNotice(null),
    onSuccess: (updated) => {
      setNotice(t(updated.notifyByEmail ? 'web.members.notify.turnedOn' : 'web.members.notify.turnedOff'));
      // The row shows the saved choice at once, not the old one until the list is fetched again.
      queryClient.setQueryData<{ members: Member[] }>(
        membersQueryKey(org),
        (list) => list && { members: list.members.map((m) => (m.userId === updated.userId ? updated : m)) },
      );
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(org) });
    },
  });

  const remove = useMutation({
    mutationFn: (member: Member) => api.delete(`/api/v1/orgs/${seg(org)}/members/${seg(member.userId)}`),
    onMutate: () => setNotice(null),
    onSuccess: (_, member) => {
      setRemoving(null);
      setNotice(t('web.members.removed', { name: member.name || member.email }));
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(org) });
    },
  });

  return (
    <>
      <div className="page-header">
        <h1>{t('web.members.title')}</h1>
        <p className="muted">{isOwner ? t('web.members.introOwner') : t('web.members.introOther')}</p>
      </div>

      {notice && <Alert tone="success">{notice}</Alert>}
      {changeRole.isError && <Alert tone="error">{errorText(t, changeRole.error)}</Alert>}
      {notify.isError && <Alert tone="error">{errorText(t, notify.error)}</Alert>}

      <section className="panel panel-flush" aria-label={t('web.members.title')}>
        {members.isPending ? (
          <p className="muted panel-pad">{t('web.common.loading')}</p>
        ) : members.isError ? (
          <div className="panel-pad">
            <Alert tone="error">{errorText(t, members.error)}</Alert>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('web.members.name')}</th>
                  <th scope="col">{t('web.members.email')}</th>
                  <th scope="col">{t('web.members.role')}</th>
                  <th scope="col">{t('web.members.joined')}</th>
                  <th scope="col">{t('web.members.notify.column')}</th>
                  {isOwner && (
                    <th scope="col">
                      <span className="visually-hidden">{t('web.common.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {members.data.members.map((member) => {
                  const isMe = member.userId === me?.id;
                  const busy = changeRole.isPending && changeRole.variables?.member.userId === member.userId;
                  return (
                    <tr key={member.userId}>
                      <td data-label={t('web.members.name')}>
                        <div>
                          <span className="cell-strong">{member.name || '—'}</span>
                          {isMe && <span className="badge badge-quiet">{t('web.members.you')}</span>}
                          {member.pending && (
                            <span className="badge badge-pending">{t('web.members.pending')}</span>
                          )}
                        </div>
                      </td>
                      <td data-label={t('web.members.email')} className="cell-break">
                        {member.email}
                      </td>
                      <td data-label={t('web.members.role')}>
                        {isOwner && !isMe ? (
                          <select
                            className="input input-compact"
                            aria-label={t('web.members.roleOf', { name: member.name || member.email })}
                            value={member.role}
                            disabled={busy}
                            aria-busy={busy || undefined}
                            onChange={(e) => changeRole.mutate({ member, role: e.target.value as Role })}
                          >
                            {ROLES.map((role) => (
                              <option key={role} value={role}>
                                {t(`roles.${role}`)}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <span className={`badge badge-${member.role}`}>{t(`roles.${member.role}`)}</span>
                        )}
                      </td>
                      <td data-label={t('web.members.joined')}>
                        <time dateTime={member.joinedAt}>{formatDate(member.joinedAt, i18n.language)}</time>
                      </td>
                      <td data-label={t('web.members.notify.column')}>
                        {isMe ? (
                          <div>
                            <input
                              id="notify-by-email"
                              type="checkbox"
                              checked={notify.isPending ? notify.variables : member.notifyByEmail}
                              disabled={notify.isPending}
                              aria-busy={notify.isPending || undefined}
                              aria-describedby="notify-by-email-help"
                              onChange={(e) => notify.mutate(e.target.checked)}
                            />{' '}
                            <label htmlFor="notify-by-email">{t('web.members.notify.label')}</label>
                            <span id="notify-by-email-help" className="cell-sub">
                              {t('web.members.notify.help')}
                            </span>
                          </div>
                        ) : member.pending ? (
                          '—'
                        ) : (
                          t(member.notifyByEmail ? 'web.members.notify.on' : 'web.members.notify.off')
                        )}
                      </td>
                      {isOwner && (
                        <td className="cell-actions">
                          {!isMe && (
                            <Button
                              variant="ghost"
                              className="button-small button-danger-text"
                              onClick={() => {
                                remove.reset();
                                setRemoving(member);
                              }}
                              aria-label={t('web.members.removeLabel', { name: member.name || member.email })}
                            >
                              {t('web.members.remove')}
                            </Button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {isOwner && (
        <InviteForm
          org={org}
          onInvited={(member) => setNotice(t('web.members.invited', { email: member.email }))}
        />
      )}

      <ConfirmDialog
        open={removing !== null}
        title={t('web.members.removeTitle', { name: removing?.name || removing?.email || '' })}
        confirmLabel={t('web.members.remove')}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>{t('web.members.removeBody', { organisation: organisation?.name ?? org })}</p>
        {remove.isError && <Alert tone="error">{errorText(t, remove.error)}</Alert>}
      </ConfirmDialog>
    </>
  );
}

const INVITE_FIELDS = ['email', 'name', 'role'] as const;

function InviteForm({ org, onInvited }: { org: string; onInvited: (member: Member) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('coordinator');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const invite = useMutation({
    mutationFn: () =>
      api.post<Member>(`/api/v1/orgs/${seg(org)}/members`, {
        email: email.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        role,
      }),
    onSuccess: (member) => {
      setEmail('');
      setName('');
      setRole('coordinator');
      onInvited(member);
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(org) });
    },
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, invite.error, INVITE_FIELDS);
  const errors: FieldErrors = { ...server.byField, ...clientErrors };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!email.trim()) found.email = t('fields.required');
    else if (!isEmail(email)) found.email = t('web.auth.emailInvalid');
    setClientErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    invite.reset();
    invite.mutate();
  }

  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('web.members.inviteTitle')}</h2>
      <p className="muted">{t('web.members.inviteIntro')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field-row field-row-3">
          <Field label={t('web.auth.email')} error={errors.email}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="off"
                inputMode="email"
                spellCheck={false}
              />
            )}
          </Field>
          <Field label={t('web.auth.name')} error={errors.name} optional>
            {(control) => (
              <input
                {...control}
                className="input"
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
                maxLength={200}
              />
            )}
          </Field>
          <Field label={t('web.members.role')} error={errors.role}>
            {(control) => (
              <select
                {...control}
                className="input"
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <p className="field-hint">{t(`web.members.roleHelp.${role}`)}</p>
        <FormError error={invite.error} other={server.other} />
        <div className="form-actions">
          <Button type="submit" busy={invite.isPending}>
            {t('web.members.inviteSubmit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
