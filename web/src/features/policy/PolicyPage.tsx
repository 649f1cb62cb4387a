import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useBlocker } from '@tanstack/react-router';
import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  isApiError,
  type Language,
  type Organisation,
  type PolicyDraft,
  type PolicySettings,
  type PolicyVersion,
  type PresetName,
  seg,
} from '../../api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../errors.ts';
import { formatDateTime, useTitle } from '../../format.ts';
import { orgQuery } from '../../queries.ts';
import { type PolicyEditorApi, PolicyEditorContext } from './editor-context.ts';
import { pathLabel } from './labels.ts';
import { PolicyEditor } from './PolicyEditor.tsx';
import { PolicyHistory } from './PolicyHistory.tsx';
import { PolicyPreview } from './PolicyPreview.tsx';
import { PresetDialog } from './PresetDialog.tsx';
import { nearestControl, revealControl, setIn, within } from './paths.ts';
import { draftQuery, policyKeys, versionsQuery } from './queries.ts';
import { useMediaQuery } from './use-media-query.ts';
import {
  controlPath,
  findClientProblems,
  findUnfinishedNumbers,
  numberMessage,
  policyErrorText,
} from './validation.ts';

const route = getRouteApi('/console/$org/policy');

/** /console/{org}/policy: edit the draft with a live preview, publish it, compare versions. */
export function PolicyPage() {
  const { t } = useTranslation();
  useTitle(t('web.policy.title'));
  const { org } = route.useParams();
  const organisation = useQuery(orgQuery(org)).data;
  const draft = useQuery(draftQuery(org));
  const versions = useQuery(versionsQuery(org));

  if (!organisation || draft.isPending || versions.isPending) {
    return (
      <div className="policy-page">
        <PageHeader />
        {draft.isError || versions.isError ? (
          <Alert tone="error">{errorText(t, draft.error ?? versions.error)}</Alert>
        ) : (
          <p className="muted">{t('web.common.loading')}</p>
        )}
      </div>
    );
  }
  if (draft.isError || versions.isError) {
    return (
      <div className="policy-page">
        <PageHeader />
        <Alert tone="error">{errorText(t, draft.error ?? versions.error)}</Alert>
        <div>
          <Button variant="secondary" onClick={() => void Promise.all([draft.refetch(), versions.refetch()])}>
            {t('web.common.retry')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <Workspace
      key={org}
      org={org}
      organisation={organisation}
      initial={draft.data}
      versions={versions.data.versions}
    />
  );
}

function PageHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="page-header policy-header">
      <div>
        <h1>{t('web.policy.title')}</h1>
        <p className="muted">{t('web.policy.intro')}</p>
      </div>
      {children}
    </div>
  );
}

type Tab = 'edit' | 'preview' | 'history';
type Errors = Record<string, string>;

const json = (settings: PolicySettings) => JSON.stringify(settings);

function Workspace({
  org,
  organisation,
  initial,
  versions,
}: {
  org: string;
  organisation: Organisation;
  initial: PolicyDraft;
  versions: PolicyVersion[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canWrite = organisation.scopes.includes('policy:write');
  const wide = useMediaQuery('(min-width: 1200px)');

  const [view, setView] = useState<PolicyDraft>(initial);
  const [settings, setSettings] = useState<PolicySettings>(initial.settings);
  const [baseline, setBaseline] = useState(() => json(initial.settings));
  const [errors, setErrors] = useState<Errors>({});
  const [tab, setTab] = useState<Tab>('edit');
  const [previewLanguage, setPreviewLanguage] = useState<Language>(organisation.defaultLanguage);
  const [notice, setNotice] = useState<{ tone: 'success' | 'info'; text: string; link?: boolean } | null>(
    null,
  );
  const [publishOpen, setPublishOpen] = useState(false);
  const [presetOpen, setPresetOpen] = useState(false);
  const [pendingFocus, setPendingFocus] = useState<string[] | null>(null);

  const newest = versions[0]?.version ?? null;
  const dirty = json(settings) !== baseline;
  const neverSaved = view.updatedAt === null && newest === null;
  const needsSave = canWrite && (dirty || neverSaved);
  const previewSettings = useDeferredValue(settings);
  const publicUrl = `${window.location.origin}/o/${encodeURIComponent(organisation.slug)}`;

  // Leaving with unsaved changes: the browser asks on reload/close, the router asks in the app.
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty && canWrite;
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);
  const blocker = useBlocker({
    shouldBlockFn: ({ next }) => dirtyRef.current && next.pathname !== '/sign-in',
    enableBeforeUnload: false,
    withResolver: true,
  });

  // After a failed save: show the editor, then bring the first problem into view.
  useEffect(() => {
    if (!pendingFocus) return;
    const first = pendingFocus
      .map((path) => ({ path, element: nearestControl(path) }))
      .filter((entry): entry is { path: string; element: HTMLElement } => entry.element !== null)
      .sort((a, b) =>
        a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
      )[0];
    if (first) revealControl(first.path);
    setPendingFocus(null);
  }, [pendingFocus]);

  const set = useCallback((path: string, value: unknown) => {
    setSettings((current) => setIn(current, path, value));
    setErrors((current) => {
      const stale = Object.keys(current).filter((key) => within(key, path) || within(path, key));
      if (stale.length === 0) return current;
      const next = { ...current };
      for (const key of stale) delete next[key];
      return next;
    });
  }, []);

  const editorApi = useMemo<PolicyEditorApi>(
    () => ({ settings, set, error: (path) => errors[path], readOnly: !canWrite }),
    [settings, set, errors, canWrite],
  );

  function adopt(next: PolicyDraft, sent?: string) {
    setView(next);
    queryClient.setQueryData(policyKeys.draft(org), next);
    void queryClient.invalidateQueries({ queryKey: [...policyKeys.all(org), 'compare'] });
    setBaseline(json(next.settings));
    // Edits made while the request was under way stay; otherwise take the server's (trimmed) copy.
    setSettings((current) => (sent === undefined || json(current) === sent ? next.settings : current));
  }

  function showErrors(found: Errors) {
    setErrors(found);
    setTab('edit');
    setPendingFocus(Object.keys(found));
  }

  const save = useMutation({
    mutationFn: (body: PolicySettings) => api.put<PolicyDraft>(`/api/v1/orgs/${seg(org)}/policy/draft`, body),
    onMutate: () => setNotice(null),
    onSuccess: (next, body) => {
      setErrors({});
      adopt(next, json(body));
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 422 && error.details.some((d) => d.field)) {
        const found: Errors = {};
        for (const detail of error.details) {
          if (detail.field) found[controlPath(detail.field)] ??= policyErrorText(t, detail);
        }
        showErrors(found);
      }
    },
  });

  /** Saves the draft; resolves to the saved view, or null when it could not be saved. */
  async function saveNow(): Promise<PolicyDraft | null> {
    const found: Errors = {
      ...findClientProblems(t, settings),
      ...Object.fromEntries(findUnfinishedNumbers(settings).map((path) => [path, numberMessage(t, path)])),
    };
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return null;
    }
    try {
      return await save.mutateAsync(settings);
    } catch {
      return null;
    }
  }

  const applyPreset = useMutation({
    mutationFn: (preset: PresetName) =>
      api.post<PolicyDraft>(`/api/v1/orgs/${seg(org)}/policy/draft/preset`, { preset }),
    onSuccess: (next, preset) => {
      setErrors({});
      adopt(next);
      setPresetOpen(false);
      setNotice({
        tone: 'success',
        text: t('web.policy.presets.applied', { preset: t(`web.policy.presets.names.${preset}`) }),
      });
    },
  });

  const publish = useMutation({
    mutationFn: () =>
      api.post<{ version: number; publishedAt: string }>(`/api/v1/orgs/${seg(org)}/policy/publish`),
    onSuccess: async (published) => {
      setPublishOpen(false);
      setNotice({
        tone: 'success',
        text: t('web.policy.publish.done', { version: published.version }),
        link: true,
      });
      await queryClient.invalidateQueries({ queryKey: policyKeys.versions(org) });
      const next = await queryClient.fetchQuery({ ...draftQuery(org), staleTime: 0 });
      adopt(next, json(settings));
    },
  });

  async function startPublish() {
    setNotice(null);
    publish.reset();
    let current: PolicyDraft | null = view;
    if (needsSave) current = await saveNow();
    if (!current) return;
    if (newest !== null && current.changes.length === 0) {
      setNotice({ tone: 'info', text: t('web.policy.publish.nothing', { version: newest }) });
      return;
    }
    setPublishOpen(true);
  }

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (needsSave && !save.isPending) void saveNow();
    }
  }

  const changesCount = view.changes.length;
  const errorList = Object.entries(errors);
  const showPreviewBeside = wide && tab !== 'history';
  const activeTab: Tab = wide && tab === 'preview' ? 'edit' : tab;
  const tabs: Tab[] = wide ? ['edit', 'history'] : ['edit', 'preview', 'history'];

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Ctrl+S anywhere in the editor saves the draft.
    <div className="policy-page" onKeyDown={onKeyDown}>
      <PageHeader>
        <div className="policy-header-actions">
          {newest !== null && (
            <a
              className="button button-ghost policy-public-link"
              href={publicUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              {t('web.policy.actions.viewPublic')}
              <span className="visually-hidden"> ({t('web.policy.actions.newTab')})</span>
              <span aria-hidden="true"> ↗</span>
            </a>
          )}
          {canWrite && (
            <>
              <Button
                variant="secondary"
                onClick={() => {
                  applyPreset.reset();
                  setPresetOpen(true);
                }}
              >
                {t('web.policy.actions.preset')}
              </Button>
              <Button onClick={() => void startPublish()} busy={publish.isPending} disabled={save.isPending}>
                {t('web.policy.actions.publish')}
              </Button>
            </>
          )}
        </div>
      </PageHeader>

      <div className="policy-status" aria-live="polite">
        <span
          className={
            newest === null
              ? 'policy-status-dot is-unpublished'
              : changesCount > 0
                ? 'policy-status-dot is-changed'
                : 'policy-status-dot is-current'
          }
          aria-hidden="true"
        />
        <span className="policy-status-text">
          {newest === null ? (
            <strong>{t('web.policy.status.noneYet')}</strong>
          ) : changesCount > 0 ? (
            <>
              <strong>
                {t('web.policy.status.draftBasedOn', { version: view.basedOnVersion ?? newest })}
              </strong>
              <span className="policy-status-sep" aria-hidden="true">
                ·
              </span>
              {t('web.policy.status.unpublished', { count: changesCount })}
            </>
          ) : (
            <strong>{t('web.policy.status.upToDate', { version: newest })}</strong>
          )}
        </span>
        {canWrite && (
          <span className="policy-status-save">
            <SaveState
              dirty={dirty}
              saving={save.isPending}
              neverSaved={neverSaved}
              updatedAt={view.updatedAt}
            />
          </span>
        )}
      </div>

      {!canWrite && <Alert tone="info">{t('web.policy.readOnly')}</Alert>}
      {notice && (
        <Alert tone={notice.tone}>
          {notice.text}
          {notice.link && (
            <>
              {' '}
              <a href={publicUrl} target="_blank" rel="noopener noreferrer">
                {t('web.policy.actions.viewPublic')}
                <span className="visually-hidden"> ({t('web.policy.actions.newTab')})</span>
              </a>
            </>
          )}
        </Alert>
      )}
      {save.isError && !(isApiError(save.error) && save.error.status === 422 && errorList.length > 0) && (
        <Alert tone="error">{errorText(t, save.error)}</Alert>
      )}
      {errorList.length > 0 && (
        <div className="alert alert-error policy-error-summary" role="alert">
          <p className="alert-title">{t('web.policy.errors.summary', { count: errorList.length })}</p>
          <ul className="alert-list">
            {errorList.map(([path, message]) => (
              <li key={path}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setTab('edit');
                    setPendingFocus([path]);
                  }}
                >
                  {pathLabel(t, path)}
                </button>
                : {message}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="policy-tabs" role="tablist" aria-label={t('web.policy.tabs.label')}>
        {tabs.map((name) => (
          <button
            key={name}
            id={`policy-tab-${name}`}
            type="button"
            role="tab"
            className="policy-tab"
            aria-selected={activeTab === name}
            aria-controls={`policy-panel-${name}`}
            tabIndex={activeTab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={(event) => {
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = tabs[(tabs.indexOf(name) + step + tabs.length) % tabs.length] as Tab;
              setTab(next);
              requestAnimationFrame(() => document.getElementById(`policy-tab-${next}`)?.focus());
            }}
          >
            {t(`web.policy.tabs.${name}`)}
            {name === 'history' && versions.length > 0 && (
              <span className="policy-tab-count">{versions.length}</span>
            )}
          </button>
        ))}
        {wide && tab !== 'history' && (
          <span className="policy-tabs-note muted">{t('web.policy.tabs.previewBeside')}</span>
        )}
      </div>

      {activeTab === 'history' ? (
        <div id="policy-panel-history" role="tabpanel" aria-labelledby="policy-tab-history">
          <PolicyHistory
            org={org}
            versions={versions}
            draftHasChanges={changesCount > 0}
            currency={settings.rewards.kind === 'table' ? settings.rewards.currency : 'EUR'}
          />
        </div>
      ) : (
        <div className={showPreviewBeside ? 'policy-workspace is-split' : 'policy-workspace'}>
          {(activeTab === 'edit' || showPreviewBeside) && (
            <div
              id="policy-panel-edit"
              role="tabpanel"
              aria-labelledby="policy-tab-edit"
              className="policy-edit-column"
              hidden={activeTab !== 'edit'}
            >
              <PolicyEditorContext.Provider value={editorApi}>
                <PolicyEditor />
              </PolicyEditorContext.Provider>
              {canWrite && (
                <div className="policy-savebar">
                  <SaveState
                    dirty={dirty}
                    saving={save.isPending}
                    neverSaved={neverSaved}
                    updatedAt={view.updatedAt}
                  />
                  <Button onClick={() => void saveNow()} busy={save.isPending} disabled={!needsSave}>
                    {t('web.policy.actions.save')}
                  </Button>
                </div>
              )}
            </div>
          )}
          {(activeTab === 'preview' || showPreviewBeside) && (
            <aside
              id={showPreviewBeside ? 'policy-preview' : 'policy-panel-preview'}
              className="policy-preview-column"
              aria-labelledby="policy-preview-title"
              {...(showPreviewBeside ? {} : { role: 'tabpanel' })}
            >
              <div className="policy-preview-panel">
                <div className="policy-preview-bar">
                  <div>
                    <h2 id="policy-preview-title" className="policy-preview-title">
                      {t('web.policy.preview.panelTitle')}
                    </h2>
                    <p className="policy-preview-sub">{t('web.policy.preview.panelIntro')}</p>
                  </div>
                  <fieldset className="language-switch policy-preview-languages">
                    <legend className="visually-hidden">{t('web.policy.preview.languageLabel')}</legend>
                    {(['nl', 'en'] as const).map((language) => (
                      <button
                        key={language}
                        type="button"
                        aria-label={t(
                          language === 'nl'
                            ? 'web.policy.preview.languageNl'
                            : 'web.policy.preview.languageEn',
                        )}
                        aria-pressed={previewLanguage === language}
                        onClick={() => setPreviewLanguage(language)}
                      >
                        {language.toUpperCase()}
                      </button>
                    ))}
                  </fieldset>
                </div>
                <div className="policy-preview-scroll">
                  <PolicyPreview
                    settings={previewSettings}
                    language={previewLanguage}
                    organisation={{
                      name: organisation.name,
                      slug: organisation.slug,
                      timezone: organisation.timezone,
                    }}
                    status={
                      newest === null
                        ? { kind: 'new' }
                        : { kind: dirty || changesCount > 0 ? 'changed' : 'current', version: newest }
                    }
                  />
                </div>
              </div>
            </aside>
          )}
        </div>
      )}

      {canWrite && (
        <ConfirmDialog
          open={publishOpen}
          title={t('web.policy.publish.title', { version: (newest ?? 0) + 1 })}
          confirmLabel={t('web.policy.publish.confirm', { version: (newest ?? 0) + 1 })}
          busy={publish.isPending}
          onCancel={() => setPublishOpen(false)}
          onConfirm={() => publish.mutate()}
        >
          <div className="policy-dialog-wide policy-publish-body">
            <p>{newest === null ? t('web.policy.publish.first') : t('web.policy.publish.body')}</p>
            <p className="policy-publish-url mono">{publicUrl}</p>
            {newest !== null && view.changes.length > 0 && (
              <>
                <p className="policy-publish-lead">
                  {t('web.policy.publish.changesLead', { count: view.changes.length, version: newest })}
                </p>
                <ul className="policy-publish-changes">
                  {view.changes.slice(0, 12).map((change) => (
                    <li key={change.path}>{pathLabel(t, change.path)}</li>
                  ))}
                  {view.changes.length > 12 && (
                    <li className="muted">
                      {t('web.policy.publish.more', { count: view.changes.length - 12 })}
                    </li>
                  )}
                </ul>
              </>
            )}
            <p className="policy-publish-note">{t('web.policy.publish.immutable')}</p>
            {publish.isError && <Alert tone="error">{errorText(t, publish.error)}</Alert>}
          </div>
        </ConfirmDialog>
      )}

      {canWrite && (
        <PresetDialog
          open={presetOpen}
          busy={applyPreset.isPending}
          error={applyPreset.error}
          dirty={dirty}
          onApply={(preset) => applyPreset.mutate(preset)}
          onCancel={() => setPresetOpen(false)}
        />
      )}

      <ConfirmDialog
        open={blocker.status === 'blocked'}
        title={t('web.policy.leave.title')}
        confirmLabel={t('web.policy.leave.confirm')}
        onCancel={() => blocker.reset?.()}
        onConfirm={() => blocker.proceed?.()}
      >
        <p>{t('web.policy.leave.body')}</p>
      </ConfirmDialog>
    </div>
  );
}

function SaveState({
  dirty,
  saving,
  neverSaved,
  updatedAt,
}: {
  dirty: boolean;
  saving: boolean;
  neverSaved: boolean;
  updatedAt: string | null;
}) {
  const { t, i18n } = useTranslation();
  if (saving) return <span className="policy-save-state is-saving">{t('web.policy.status.saving')}</span>;
  if (dirty) return <span className="policy-save-state is-dirty">{t('web.policy.status.unsaved')}</span>;
  if (neverSaved)
    return <span className="policy-save-state is-dirty">{t('web.policy.status.notSavedYet')}</span>;
  return (
    <span className="policy-save-state is-saved">
      {updatedAt
        ? t('web.policy.status.savedAt', { time: formatDateTime(updatedAt, i18n.language) })
        : t('web.policy.status.saved')}
    </span>
  );
}
