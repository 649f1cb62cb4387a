import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiToken, api, seg, TOKEN_SCOPES } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { errorText, type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import { formatDate, formatDateTime, useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';

const route = getRouteApi('/console/$org/tokens');

type Scope = (typeof TOKEN_SCOPES)[number];

const tokensQueryKey = (org: string) => ['org', org, 'tokens'] as const;

type CreatedToken = ApiToken & { token: string };

export function TokensPage() {
  const { t, i18n } = useTranslation();
  useTitle(t('web.tokens.title'));
  const { org } = route.useParams();
  const queryClient = useQueryClient();
  const organisation = useQuery(orgQuery(org)).data;
  const role = organisation?.role;
  const mayManage = role === 'owner' || role === 'coordinator';
  const tokens = useQuery({
    queryKey: tokensQueryKey(org),
    queryFn: () => api.get<{ tokens: ApiToken[] }>(`/api/v1/orgs/${seg(org)}/tokens`),
    enabled: mayManage,
  });
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api.delete(`/api/v1/orgs/${seg(org)}/tokens/${seg(token.id)}`),
    onSuccess: (_, token) => {
      setRevoking(null);
      setNotice(t('web.tokens.revoked', { name: token.name }));
      if (created?.id === token.id) setCreated(null);
      void queryClient.invalidateQueries({ queryKey: tokensQueryKey(org) });
    },
  });

  if (!role) return null;
  if (!mayManage) {
    return (
      <>
        <div className="page-header">
          <h1>{t('web.tokens.title')}</h1>
        </div>
        <Alert tone="info">{t('web.tokens.viewerNote')}</Alert>
      </>
    );
  }

  const now = Date.now();

  return (
    <>
      <div className="page-header">
        <h1>{t('web.tokens.title')}</h1>
        <p className="muted">
          {role === 'owner' ? t('web.tokens.introOwner') : t('web.tokens.introCoordinator')}
        </p>
      </div>

      {created && (
        <section className="panel panel-highlight" aria-labelledby="new-token-title">
          <h2 id="new-token-title">{t('web.tokens.createdTitle', { name: created.name })}</h2>
          <Alert tone="warning">{t('web.tokens.createdWarning')}</Alert>
          <CopyField label={t('web.tokens.secret')} value={created.token} />
          <p className="field-hint">{t('web.tokens.usage')}</p>
          <div className="form-actions">
            <Button variant="secondary" onClick={() => setCreated(null)}>
              {t('web.tokens.createdDone')}
            </Button>
          </div>
        </section>
      )}

      {notice && <Alert tone="success">{notice}</Alert>}

      <section className="panel panel-flush" aria-label={t('web.tokens.title')}>
        {tokens.isPending ? (
          <p className="muted panel-pad">{t('web.common.loading')}</p>
        ) : tokens.isError ? (
          <div className="panel-pad">
            <Alert tone="error">{errorText(t, tokens.error)}</Alert>
          </div>
        ) : tokens.data.tokens.length === 0 ? (
          <p className="muted panel-pad">{t('web.tokens.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('web.tokens.name')}</th>
                  <th scope="col">{t('web.tokens.prefix')}</th>
                  <th scope="col">{t('web.tokens.scopes')}</th>
                  <th scope="col">{t('web.tokens.created')}</th>
                  <th scope="col">{t('web.tokens.lastUsed')}</th>
                  <th scope="col">{t('web.tokens.expires')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('web.common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((token) => {
                  const expired = token.expiresAt !== null && new Date(token.expiresAt).getTime() <= now;
                  return (
                    <tr key={token.id}>
                      <td data-label={t('web.tokens.name')}>
                        <span className="cell-strong">{token.name}</span>
                      </td>
                      <td data-label={t('web.tokens.prefix')}>
                        <code>{token.prefix}…</code>
                      </td>
                      <td data-label={t('web.tokens.scopes')}>
                        <ul className="chips">
                          {token.scopes.map((scope) => (
                            <li key={scope} className="chip mono">
                              {scope}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td data-label={t('web.tokens.created')}>
                        <div>
                          <time dateTime={token.createdAt}>{formatDate(token.createdAt, i18n.language)}</time>
                          <span className="cell-sub">{token.createdBy}</span>
                        </div>
                      </td>
                      <td data-label={t('web.tokens.lastUsed')}>
                        {token.lastUsedAt ? (
                          <time dateTime={token.lastUsedAt}>
                            {formatDateTime(token.lastUsedAt, i18n.language)}
                          </time>
                        ) : (
                          <span className="muted">{t('web.tokens.never')}</span>
                        )}
                      </td>
                      <td data-label={t('web.tokens.expires')}>
                        {token.expiresAt ? (
                          <div>
                            <time dateTime={token.expiresAt}>
                              {formatDate(token.expiresAt, i18n.language)}
                            </time>
                            {expired && (
                              <span className="badge badge-pending">{t('web.tokens.expired')}</span>
                            )}
                          </div>
                        ) : (
                          <span className="muted">{t('web.tokens.noExpiry')}</span>
                        )}
                      </td>
                      <td className="cell-actions">
                        <Button
                          variant="ghost"
                          className="button-small button-danger-text"
                          onClick={() => {
                            revoke.reset();
                            setRevoking(token);
                          }}
                          aria-label={t('web.tokens.revokeLabel', { name: token.name })}
                        >
                          {t('web.tokens.revoke')}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <CreateTokenForm
        org={org}
        allowed={TOKEN_SCOPES.filter((s) => organisation?.scopes.includes(s))}
        onCreated={(token) => {
          setNotice(null);
          setCreated(token);
          window.scrollTo({ top: 0 });
        }}
      />

      <ConfirmDialog
        open={revoking !== null}
        title={t('web.tokens.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('web.tokens.revoke')}
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>{t('web.tokens.revokeBody')}</p>
        {revoke.isError && <Alert tone="error">{errorText(t, revoke.error)}</Alert>}
      </ConfirmDialog>
    </>
  );
}

const CREATE_FIELDS = ['name', 'scopes', 'expiresInDays'] as const;
const MAX_EXPIRY_DAYS = 3650;

function CreateTokenForm({
  org,
  allowed,
  onCreated,
}: {
  org: string;
  allowed: readonly Scope[];
  onCreated: (token: CreatedToken) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expiresInDays, setExpiresInDays] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: () =>
      api.post<CreatedToken>(`/api/v1/orgs/${seg(org)}/tokens`, {
        name: name.trim(),
        scopes,
        ...(expiresInDays.trim() ? { expiresInDays: Number(expiresInDays) } : {}),
      }),
    onSuccess: (token) => {
      setName('');
      setScopes([]);
      setExpiresInDays('');
      onCreated(token);
      void queryClient.invalidateQueries({ queryKey: tokensQueryKey(org) });
    },
    onError: focusFirstInvalid,
  });
  const server = splitDetails(t, create.error, CREATE_FIELDS);
  const errors: FieldErrors = { ...server.byField, ...clientErrors };

  function toggle(scope: Scope, on: boolean) {
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = t('fields.required');
    if (scopes.length === 0) found.scopes = t('web.tokens.scopesRequired');
    const days = expiresInDays.trim();
    if (days && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= MAX_EXPIRY_DAYS)) {
      found.expiresInDays = t('web.tokens.expiryInvalid', { max: MAX_EXPIRY_DAYS });
    }
    setClientErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    create.reset();
    create.mutate();
  }

  return (
    <section className="panel" aria-labelledby="create-token-title">
      <h2 id="create-token-title">{t('web.tokens.createTitle')}</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <Field label={t('web.tokens.name')} hint={t('web.tokens.nameHint')} error={errors.name}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
                maxLength={100}
              />
            )}
          </Field>
          <Field
            label={t('web.tokens.expiryDays')}
            hint={t('web.tokens.expiryHint')}
            error={errors.expiresInDays}
            optional
          >
            {(control) => (
              <input
                {...control}
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_EXPIRY_DAYS}
                step={1}
                value={expiresInDays}
                onChange={(e) => setExpiresInDays(e.target.value)}
              />
            )}
          </Field>
        </div>
        <fieldset
          className={errors.scopes ? 'scope-list has-error' : 'scope-list'}
          aria-describedby={errors.scopes ? 'scopes-error' : undefined}
        >
          <legend>{t('web.tokens.scopes')}</legend>
          {TOKEN_SCOPES.map((scope) => {
            const permitted = allowed.includes(scope);
            const id = `scope-${scope.replace(':', '-')}`;
            return (
              <div key={scope} className={permitted ? 'scope' : 'scope is-disabled'}>
                <input
                  id={id}
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  disabled={!permitted}
                  aria-invalid={errors.scopes ? true : undefined}
                  aria-describedby={`${id}-desc`}
                  onChange={(e) => toggle(scope, e.target.checked)}
                />
                <label htmlFor={id}>
                  <code>{scope}</code>
                  <span id={`${id}-desc`} className="scope-desc">
                    {t(`web.tokens.scope.${scope.replace(':', '_')}`)}
                    {!permitted && ` ${t('web.tokens.scopeNotForRole')}`}
                  </span>
                </label>
              </div>
            );
          })}
          {errors.scopes && (
            <p id="scopes-error" className="field-error">
              {errors.scopes}
            </p>
          )}
        </fieldset>
        <FormError error={create.error} other={server.other} />
        <div className="form-actions">
          <Button type="submit" busy={create.isPending}>
            {t('web.tokens.createSubmit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
