import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, type Language, setCsrfToken } from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { FormError } from '../../components/FormError.tsx';
import { errorText, type FieldErrors, focusFirstInvalid, splitDetails } from '../../errors.ts';
import { useTitle } from '../../format.ts';
import { currentLanguage } from '../../i18n.ts';
import { useLinkToken } from '../../link-token.ts';
import { isEmail, MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/validation.ts';
import { isSlug, suggestSlug } from './slug.ts';

type SetupResponse = { organisation: { slug: string; name: string }; csrfToken: string };

const FIELDS = [
  'token',
  'organisation.name',
  'organisation.slug',
  'organisation.defaultLanguage',
  'organisation.timezone',
  'owner.name',
  'owner.email',
  'owner.password',
  'passwordConfirm',
] as const;

const DEFAULT_TIMEZONE = 'Europe/Amsterdam';

function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set([...zones, DEFAULT_TIMEZONE, 'UTC']);
  return [...all].sort();
}

export function SetupPage() {
  const { t } = useTranslation();
  useTitle(t('web.setup.title'));
  const status = useQuery({
    queryKey: ['setup'],
    queryFn: () => api.get<{ needed: boolean }>('/api/v1/setup'),
    retry: false,
  });
  const token = useLinkToken();

  if (status.isPending) {
    return (
      <AuthLayout title={t('web.setup.title')}>
        <p className="muted">{t('web.common.loading')}</p>
      </AuthLayout>
    );
  }
  if (status.data && !status.data.needed) {
    return (
      <AuthLayout title={t('web.setup.doneTitle')}>
        <p>{t('web.setup.doneBody')}</p>
        <p>
          <Link to="/sign-in" className="button button-primary">
            {t('web.signIn.submit')}
          </Link>
        </p>
      </AuthLayout>
    );
  }
  if (status.isError) {
    return (
      <AuthLayout title={t('web.setup.title')}>
        <Alert tone="error">{errorText(t, status.error)}</Alert>
        <Button variant="secondary" onClick={() => void status.refetch()}>
          {t('web.common.retry')}
        </Button>
      </AuthLayout>
    );
  }
  if (!token) {
    return (
      <AuthLayout title={t('web.setup.title')}>
        <Alert tone="warning" title={t('web.setup.noTokenTitle')}>
          {t('web.setup.noTokenBody')}
        </Alert>
      </AuthLayout>
    );
  }
  return <SetupForm token={token} />;
}

function SetupForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const zones = useMemo(timeZones, []);
  const [values, setValues] = useState({
    name: '',
    slug: '',
    defaultLanguage: currentLanguage() as Language,
    timezone: DEFAULT_TIMEZONE,
    ownerName: '',
    email: '',
    password: '',
    passwordConfirm: '',
  });
  const [slugEdited, setSlugEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const setup = useMutation({
    mutationFn: () =>
      api.post<SetupResponse>('/api/v1/setup', {
        token,
        organisation: {
          slug: values.slug,
          name: values.name.trim(),
          defaultLanguage: values.defaultLanguage,
          timezone: values.timezone,
        },
        owner: { name: values.ownerName.trim(), email: values.email.trim(), password: values.password },
        // The owner's own language: the one they are setting Haven up in.
        language: currentLanguage(),
      }),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      queryClient.clear();
      await navigate({ to: '/console/$org', params: { org: result.organisation.slug } });
    },
    onError: focusFirstInvalid,
  });

  const server = splitDetails(t, setup.error, FIELDS);
  const errors: FieldErrors = { ...server.byField, ...clientErrors };
  // A malformed token is a 422 on field `token`: to the reader that is the same broken link as a 410.
  const tokenRejected = Boolean(server.byField.token);
  const linkGone =
    tokenRejected ||
    (isApiError(setup.error) && ['setup.link_invalid', 'setup.already_done'].includes(setup.error.code));

  function validate(): FieldErrors {
    const found: FieldErrors = {};
    if (!values.name.trim()) found['organisation.name'] = t('fields.required');
    if (!values.slug) found['organisation.slug'] = t('fields.required');
    else if (!isSlug(values.slug)) found['organisation.slug'] = t('web.setup.slugInvalid');
    if (!values.ownerName.trim()) found['owner.name'] = t('fields.required');
    if (!values.email.trim()) found['owner.email'] = t('fields.required');
    else if (!isEmail(values.email)) found['owner.email'] = t('web.auth.emailInvalid');
    const passwordIssue = passwordProblem(values.password, values.email);
    if (passwordIssue) found['owner.password'] = t(passwordIssue);
    if (values.passwordConfirm !== values.password) found.passwordConfirm = t('web.auth.passwordMismatch');
    return found;
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = validate();
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid();
      return;
    }
    setup.reset();
    setup.mutate();
  }

  function change<K extends keyof typeof values>(key: K, value: (typeof values)[K]) {
    setValues((current) => {
      const next = { ...current, [key]: value };
      if (key === 'name' && !slugEdited) next.slug = suggestSlug(String(value));
      return next;
    });
    if (Object.keys(clientErrors).length > 0) setClientErrors({});
  }

  return (
    <AuthLayout title={t('web.setup.title')} intro={<p>{t('web.setup.intro')}</p>} wide>
      <form className="form" onSubmit={onSubmit} noValidate>
        <fieldset className="form-section">
          <legend>{t('web.setup.organisationSection')}</legend>
          <Field label={t('web.setup.orgName')} error={errors['organisation.name']}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={values.name}
                onChange={(e) => change('name', e.target.value)}
                autoComplete="organization"
                maxLength={200}
              />
            )}
          </Field>
          <Field
            label={t('web.setup.slug')}
            hint={t('web.setup.slugHint')}
            error={errors['organisation.slug']}
          >
            {(control) => (
              <div className="input-prefix">
                <span className="input-prefix-text" aria-hidden="true">
                  /o/
                </span>
                <input
                  {...control}
                  className="input mono"
                  value={values.slug}
                  onChange={(e) => {
                    setSlugEdited(true);
                    change('slug', e.target.value.toLowerCase());
                  }}
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  maxLength={40}
                />
              </div>
            )}
          </Field>
          <div className="field-row">
            <Field label={t('web.setup.defaultLanguage')} error={errors['organisation.defaultLanguage']}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={values.defaultLanguage}
                  onChange={(e) => change('defaultLanguage', e.target.value as Language)}
                >
                  <option value="nl">Nederlands</option>
                  <option value="en">English</option>
                </select>
              )}
            </Field>
            <Field label={t('web.setup.timezone')} error={errors['organisation.timezone']}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={values.timezone}
                  onChange={(e) => change('timezone', e.target.value)}
                >
                  {zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replaceAll('_', ' ')}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('web.setup.ownerSection')}</legend>
          <p className="muted form-section-intro">{t('web.setup.ownerIntro')}</p>
          <Field label={t('web.auth.name')} error={errors['owner.name']}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={values.ownerName}
                onChange={(e) => change('ownerName', e.target.value)}
                autoComplete="name"
                maxLength={200}
              />
            )}
          </Field>
          <Field label={t('web.auth.email')} error={errors['owner.email']}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="email"
                value={values.email}
                onChange={(e) => change('email', e.target.value)}
                autoComplete="email"
                inputMode="email"
                spellCheck={false}
              />
            )}
          </Field>
          <div className="field-row">
            <Field
              label={t('web.auth.password')}
              hint={t('web.auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
              error={errors['owner.password']}
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  type="password"
                  value={values.password}
                  onChange={(e) => change('password', e.target.value)}
                  autoComplete="new-password"
                />
              )}
            </Field>
            <Field label={t('web.auth.passwordConfirm')} error={errors.passwordConfirm}>
              {(control) => (
                <input
                  {...control}
                  className="input"
                  type="password"
                  value={values.passwordConfirm}
                  onChange={(e) => change('passwordConfirm', e.target.value)}
                  autoComplete="new-password"
                />
              )}
            </Field>
          </div>
        </fieldset>

        {tokenRejected ? (
          <Alert tone="error">{t('errors.setup.link_invalid')}</Alert>
        ) : (
          <FormError error={setup.error} other={server.other} />
        )}
        {linkGone && (
          <p>
            <Link to="/sign-in">{t('web.setup.goToSignIn')}</Link>
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" busy={setup.isPending}>
            {t('web.setup.submit')}
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
