import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_KINDS, type AssetKind, type BilingualText, type PolicyAsset } from '../../api.ts';
import { Button } from '../../components/Button.tsx';
import { AddButton, BilingualField, focusSoon, Group, RemoveButton, useListKeys } from './controls.tsx';
import { useEditor, useValue } from './editor-context.ts';
import { languageName } from './format.ts';
import { controlId } from './paths.ts';

const TARGET_EXAMPLES: Record<AssetKind, string> = {
  domain: '*.example.org',
  url: 'https://app.example.org/',
  ip_range: '192.0.2.0/24',
  application: 'Example app (iOS, Android)',
  source_code: 'https://github.com/example/app',
  hardware: 'Example gateway X200',
  other: '',
};

/** Systems in or out of scope: a type, a target and an optional note in both languages. */
export function AssetList({
  path,
  legend,
  hint,
  empty,
}: {
  path: string;
  legend: string;
  hint?: ReactNode;
  empty: string;
}) {
  const { t } = useTranslation();
  const { error, readOnly } = useEditor();
  const [assets, setAssets] = useValue<PolicyAsset[]>(path);
  const list = assets ?? [];
  const { keys, removeAt } = useListKeys(list.length);
  const update = (index: number, asset: PolicyAsset) =>
    setAssets(list.map((a, i) => (i === index ? asset : a)));

  return (
    <Group path={path} legend={legend} hint={hint}>
      {list.length === 0 ? (
        <p className="policy-empty">{empty}</p>
      ) : (
        <ol className="policy-assets">
          {list.map((asset, index) => {
            const base = `${path}.${index}`;
            const kindId = controlId(`${base}.kind`);
            const targetId = controlId(`${base}.target`);
            const targetError = error(`${base}.target`);
            const kindError = error(`${base}.kind`);
            const n = index + 1;
            return (
              <li key={keys[index]} className="policy-asset">
                <div className="policy-asset-row">
                  <div className="field policy-asset-kind">
                    <label htmlFor={kindId}>
                      {t('web.policy.fields.assetKind')}
                      <span className="visually-hidden"> {n}</span>
                    </label>
                    <select
                      id={kindId}
                      className="input"
                      value={asset.kind}
                      aria-invalid={kindError ? true : undefined}
                      onChange={(e) => update(index, { ...asset, kind: e.target.value as AssetKind })}
                    >
                      {ASSET_KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`web.policy.options.assetKind.${kind}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div
                    className={
                      targetError ? 'field has-error policy-asset-target' : 'field policy-asset-target'
                    }
                  >
                    <label htmlFor={targetId}>
                      {t('web.policy.fields.assetTarget')}
                      <span className="visually-hidden"> {n}</span>
                    </label>
                    <input
                      id={targetId}
                      className="input mono"
                      value={asset.target}
                      maxLength={300}
                      placeholder={TARGET_EXAMPLES[asset.kind]}
                      spellCheck={false}
                      autoComplete="off"
                      aria-invalid={targetError ? true : undefined}
                      aria-describedby={targetError ? `${targetId}-error` : undefined}
                      onChange={(e) => update(index, { ...asset, target: e.target.value })}
                    />
                    {targetError && (
                      <p id={`${targetId}-error`} className="field-error">
                        {targetError}
                      </p>
                    )}
                  </div>
                  {!readOnly && (
                    <div className="policy-asset-actions">
                      {!asset.note && (
                        <Button
                          variant="ghost"
                          className="button-small"
                          aria-label={t('web.policy.actions.addNoteTo', { target: asset.target || n })}
                          onClick={() => {
                            update(index, { ...asset, note: { nl: '', en: '' } });
                            focusSoon(controlId(`${base}.note.nl`));
                          }}
                        >
                          {t('web.policy.actions.addNote')}
                        </Button>
                      )}
                      <RemoveButton
                        label={t('web.policy.actions.removeItem', { item: asset.target || n })}
                        onRemove={() => {
                          removeAt(index);
                          setAssets(list.filter((_, i) => i !== index));
                          focusSoon(controlId(path));
                        }}
                      />
                    </div>
                  )}
                </div>
                {asset.note && (
                  <div className="policy-asset-note">
                    <BilingualField
                      path={`${base}.note`}
                      label={t('web.policy.fields.assetNoteOf', { target: asset.target || n })}
                      optional
                      rows={1}
                      maxLength={500}
                    />
                    {!readOnly && (
                      <Button
                        variant="ghost"
                        className="button-small policy-note-remove"
                        onClick={() => {
                          const { note: _, ...rest } = asset;
                          update(index, rest);
                          focusSoon(targetId);
                        }}
                      >
                        {t('web.policy.actions.removeNote')}
                      </Button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <AddButton
        path={path}
        label={t('web.policy.actions.addAsset')}
        disabled={list.length >= 200}
        onAdd={() => {
          setAssets([...list, { kind: 'domain', target: '' }]);
          focusSoon(controlId(`${path}.${list.length}.target`));
        }}
      />
    </Group>
  );
}

/** A list of sentences, each written in both languages (rules, exclusions). */
export function BilingualList({
  path,
  legend,
  hint,
  itemLabel,
  addLabel,
  empty,
  max,
  maxLength,
}: {
  path: string;
  legend: string;
  hint?: ReactNode;
  itemLabel: (n: number) => string;
  addLabel: string;
  empty: string;
  max: number;
  maxLength: number;
}) {
  const { t } = useTranslation();
  const [items, setItems] = useValue<BilingualText[]>(path);
  const list = items ?? [];
  const { keys, removeAt } = useListKeys(list.length);
  return (
    <Group path={path} legend={legend} hint={hint}>
      {list.length === 0 ? (
        <p className="policy-empty">{empty}</p>
      ) : (
        <ol className="policy-items">
          {list.map((_, index) => (
            <li key={keys[index]} className="policy-item">
              <span className="policy-item-number" aria-hidden="true">
                {index + 1}
              </span>
              <BilingualField
                path={`${path}.${index}`}
                label={itemLabel(index + 1)}
                rows={2}
                maxLength={maxLength}
                hideLegend
              />
              <RemoveButton
                compact
                label={t('web.policy.actions.removeItem', { item: itemLabel(index + 1) })}
                onRemove={() => {
                  removeAt(index);
                  setItems(list.filter((__, i) => i !== index));
                  focusSoon(controlId(path));
                }}
              />
            </li>
          ))}
        </ol>
      )}
      <AddButton
        path={path}
        label={addLabel}
        disabled={list.length >= max}
        onAdd={() => {
          setItems([...list, { nl: '', en: '' }]);
          focusSoon(controlId(`${path}.${list.length}.nl`));
        }}
      />
    </Group>
  );
}

/** The addresses that take reports by e-mail (at most five). */
export function EmailList({ path, legend, hint }: { path: string; legend: string; hint?: ReactNode }) {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [emails, setEmails] = useValue<string[]>(path);
  const list = emails ?? [];
  const { keys, removeAt } = useListKeys(list.length);
  return (
    <Group path={path} legend={legend} hint={hint}>
      {list.length === 0 ? (
        <p className="policy-empty">{t('web.policy.fields.emailsEmpty')}</p>
      ) : (
        <ul className="policy-emails">
          {list.map((email, index) => {
            const id = controlId(`${path}.${index}`);
            const message = error(`${path}.${index}`);
            return (
              <li key={keys[index]} className={message ? 'field has-error' : 'field'}>
                <div className="policy-email-row">
                  <label htmlFor={id} className="visually-hidden">
                    {t('web.policy.fields.emailN', { n: index + 1 })}
                  </label>
                  <input
                    id={id}
                    className="input"
                    type="email"
                    inputMode="email"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={254}
                    placeholder="security@example.org"
                    value={email}
                    aria-invalid={message ? true : undefined}
                    aria-describedby={message ? `${id}-error` : undefined}
                    onChange={(e) => setEmails(list.map((v, i) => (i === index ? e.target.value : v)))}
                  />
                  <RemoveButton
                    label={t('web.policy.actions.removeItem', { item: email || index + 1 })}
                    onRemove={() => {
                      removeAt(index);
                      setEmails(list.filter((_, i) => i !== index));
                      focusSoon(controlId(path));
                    }}
                  />
                </div>
                {message && (
                  <p id={`${id}-error`} className="field-error">
                    {message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <AddButton
        path={path}
        label={t('web.policy.actions.addEmail')}
        disabled={list.length >= 5}
        onAdd={() => {
          setEmails([...list, '']);
          focusSoon(controlId(`${path}.${list.length}`));
        }}
      />
    </Group>
  );
}

function parseCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toLowerCase())
    .filter(Boolean);
}

/** ISO 639-1 codes typed as a comma list, shown back as named chips. */
export function LanguagesField({ path, label, hint }: { path: string; label: string; hint: string }) {
  const { t, i18n } = useTranslation();
  const { error } = useEditor();
  const [codes, setCodes] = useValue<string[]>(path);
  const list = codes ?? [];
  const [text, setText] = useState(list.join(', '));
  const joined = list.join(',');
  // Replaced from outside (a preset, a reload): show the new list.
  useEffect(() => {
    setText((current) => (parseCodes(current).join(',') === joined ? current : joined.split(',').join(', ')));
  }, [joined]);
  const id = controlId(path);
  const message = error(path) ?? list.map((_, i) => error(`${path}.${i}`)).find(Boolean);
  return (
    <div className={message ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input mono"
        value={text}
        placeholder="nl, en"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={message ? true : undefined}
        aria-describedby={describe(id, message)}
        onChange={(e) => {
          setText(e.target.value);
          setCodes(parseCodes(e.target.value));
        }}
      />
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      <ul className="chips policy-language-chips" aria-label={t('web.policy.fields.languagesRead')}>
        {list.length === 0 ? (
          <li className="chip">{t('web.policy.fields.languagesAny')}</li>
        ) : (
          [...new Set(list)].map((code) => (
            <li key={code} className={/^[a-z]{2}$/.test(code) ? 'chip' : 'chip chip-invalid'}>
              <span className="mono">{code}</span> {languageName(code, i18n.language)}
            </li>
          ))
        )}
      </ul>
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
    </div>
  );
}

function describe(id: string, message: string | undefined): string {
  return message ? `${id}-hint ${id}-error` : `${id}-hint`;
}
