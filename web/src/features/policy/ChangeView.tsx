import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyChange } from '../../api.ts';
import { formatDuration, formatMoney, formatSize, languageName, weekdayName } from './format.ts';
import { NATIVE_LANGUAGE_NAMES } from './labels.ts';
import { type DiffOp, diffSequence, textDiff } from './sequence-diff.ts';

/** One change between two versions of a policy, shown the way a person reads it. */

type Ctx = { t: TFunction; language: string; currency: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isBilingual = (v: unknown): v is { nl: string; en: string } =>
  isObject(v) && typeof v.nl === 'string' && typeof v.en === 'string' && Object.keys(v).length === 2;
const isDuration = (v: unknown): v is { amount: number; unit: 'hours' | 'business_days' | 'calendar_days' } =>
  isObject(v) && typeof v.amount === 'number' && typeof v.unit === 'string';
const isAsset = (v: unknown): v is { kind: string; target: string; note?: { nl: string; en: string } } =>
  isObject(v) && typeof v.kind === 'string' && typeof v.target === 'string';

const last = (path: string) => path.slice(path.lastIndexOf('.') + 1);
const O = 'web.policy.options';

/** The words for `null` depend on what was left out. */
function nothing({ t }: Ctx, path: string): string {
  if (/^serviceLevels\./.test(path)) return t(`${O}.unit.none`);
  if (path === 'calendar.holidays') return t(`${O}.noHolidays`);
  if (path === 'disclosure.defaultEmbargoDays') return t(`${O}.embargo.none`);
  return t('web.policy.diff.none');
}

const ENUMS: Record<string, string> = {
  'intake.identities': `${O}.identity`,
  'intake.requiredContact': `${O}.contact`,
  'intake.requestedDetails': `${O}.detail`,
  'intake.attachments.allowed': `${O}.attachment`,
  'intake.attachments.passwordChannel': `${O}.passwordChannel`,
  'rewards.kind': `${O}.rewards`,
  'serviceLevels.resolution.kind': `${O}.resolution`,
  'progressUpdates.kind': `${O}.progress`,
};

/** A single value (not a list) as readable text. */
function scalarText(ctx: Ctx, path: string, value: unknown): string {
  const { t, language, currency } = ctx;
  if (value === null) return nothing(ctx, path);
  if (typeof value === 'boolean') return value ? t('web.policy.diff.yes') : t('web.policy.diff.no');
  if (typeof value === 'number') {
    if (path === 'intake.attachments.maxBytes') return formatSize(value, language);
    if (/^rewards\.bySeverity\.\w+\.(min|max)$/.test(path)) return formatMoney(value, currency, language);
    if (path === 'progressUpdates.everyDays' || path === 'disclosure.defaultEmbargoDays') {
      return t('web.policy.units.calendar_days', { count: value });
    }
    if (path === 'calendar.workingDays') return weekdayName(value, language);
    return String(value);
  }
  if (typeof value === 'string') {
    const enumKey = ENUMS[path];
    if (enumKey) return t(`${enumKey}.${value}`, { defaultValue: value });
    if (last(path) === 'unit') return t(`${O}.unit.${value}`, { defaultValue: value });
    if (last(path) === 'kind' && path.startsWith('scope.'))
      return t(`${O}.assetKind.${value}`, { defaultValue: value });
    if (path === 'intake.languages') return `${value} · ${languageName(value, language)}`;
    if (path === 'calendar.holidays.country') return languageSafeCountry(value, language);
    return value;
  }
  if (isDuration(value)) return formatDuration(t, value);
  if (isObject(value) && typeof value.start === 'string' && typeof value.end === 'string') {
    return `${value.start}–${value.end}`;
  }
  if (isObject(value) && typeof value.country === 'string') {
    const region = typeof value.region === 'string' && value.region ? ` (${value.region})` : '';
    return languageSafeCountry(value.country, language) + region;
  }
  return JSON.stringify(value);
}

function languageSafeCountry(code: string, language: string): string {
  try {
    return (
      new Intl.DisplayNames([language === 'nl' ? 'nl-NL' : 'en-GB'], { type: 'region' }).of(code) ?? code
    );
  } catch {
    return code;
  }
}

function LanguageText({ language, children }: { language: 'nl' | 'en'; children: ReactNode }) {
  return (
    <span className="policy-diff-lang">
      <span className="policy-language-tag" title={NATIVE_LANGUAGE_NAMES[language]}>
        {language.toUpperCase()}
      </span>
      <span lang={language}>{children}</span>
    </span>
  );
}

/** Any value, including lists and objects, as readable markup. */
function ValueView({ ctx, path, value }: { ctx: Ctx; path: string; value: unknown }): ReactNode {
  const { t } = ctx;
  if (value === undefined) return <span className="policy-diff-absent">{t('web.policy.diff.absent')}</span>;
  if (typeof value === 'string' && value.trim() === '') {
    return <span className="policy-diff-absent">{t('web.policy.diff.empty')}</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      return <span className="policy-diff-absent">{t('web.policy.diff.emptyList')}</span>;
    return (
      <ul className="policy-diff-list">
        {value.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only rendering of a stored list.
          <li key={index}>
            <ValueView ctx={ctx} path={path} value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (isBilingual(value)) {
    if (!value.nl.trim() && !value.en.trim()) {
      return <span className="policy-diff-absent">{t('web.policy.diff.empty')}</span>;
    }
    return (
      <span className="policy-diff-bilingual">
        <LanguageText language="nl">{value.nl || '—'}</LanguageText>
        <LanguageText language="en">{value.en || '—'}</LanguageText>
      </span>
    );
  }
  if (isAsset(value)) {
    return (
      <span className="policy-diff-asset">
        <span className="chip">{t(`${O}.assetKind.${value.kind}`, { defaultValue: value.kind })}</span>{' '}
        <span className="mono">{value.target}</span>
        {value.note && (value.note.nl || value.note.en) && (
          <ValueView ctx={ctx} path={`${path}.note`} value={value.note} />
        )}
      </span>
    );
  }
  if (isObject(value) && !isDuration(value) && !('start' in value) && !('country' in value)) {
    return (
      <dl className="policy-diff-object">
        {Object.entries(value).map(([key, inner]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              <ValueView ctx={ctx} path={`${path}.${key}`} value={inner} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{scalarText(ctx, path, value)}</>;
}

/** One change inside a text: the old phrase struck through, then the new one; spacing kept outside. */
function Change({ removed, added }: { removed: string; added: string }) {
  const either = removed || added;
  const lead = either.match(/^\s*/)?.[0] ?? '';
  const trail = either.match(/\s*$/)?.[0] ?? '';
  const gone = removed.trim();
  const came = added.trim();
  return (
    <>
      {lead}
      {gone && <del>{gone}</del>}
      {gone && came && ' '}
      {came && <ins>{came}</ins>}
      {trail}
    </>
  );
}

/** Text changed: one block, removed words struck through in red, added words in green. */
function TextDiff({ before, after, lang }: { before: string; after: string; lang?: string | undefined }) {
  const pieces = textDiff(before, after);
  return (
    <p className="policy-diff-text" lang={lang}>
      {pieces.map((piece, index) =>
        'same' in piece ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positional.
          <span key={index}>{piece.same}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positional.
          <Change key={index} removed={piece.removed} added={piece.added} />
        ),
      )}
    </p>
  );
}

type Row = DiffOp<unknown> | { op: 'changed'; value: unknown; before: unknown };

/** A removed item right before an added one at the same place reads as one edited item. */
function pairEdits(ops: DiffOp<unknown>[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < ops.length; i++) {
    const current = ops[i] as DiffOp<unknown>;
    const next = ops[i + 1];
    if (current.op === 'removed' && next?.op === 'added' && sameShape(current.value, next.value)) {
      rows.push({ op: 'changed', before: current.value, value: next.value });
      i++;
    } else rows.push(current);
  }
  return rows;
}

function sameShape(a: unknown, b: unknown): boolean {
  return (
    (isBilingual(a) && isBilingual(b)) || (typeof a === 'string' && typeof b === 'string' && a.length > 12)
  );
}

type Shown = Row | { op: 'hidden'; count: number };

/** Unchanged items far from any change fold away, so a long list shows what changed. */
function foldUnchanged(rows: Row[]): Shown[] {
  const changed = (row: Row | undefined) => row !== undefined && row.op !== 'same';
  const shown: Shown[] = [];
  let run: Row[] = [];
  const flush = () => {
    // Folding a single item saves nothing: show it.
    if (run.length > 1) shown.push({ op: 'hidden', count: run.length });
    else shown.push(...run);
    run = [];
  };
  rows.forEach((row, i) => {
    if (row.op === 'same' && !changed(rows[i - 1]) && !changed(rows[i + 1])) run.push(row);
    else {
      flush();
      shown.push(row);
    }
  });
  flush();
  return shown;
}

function ListDiff({
  ctx,
  path,
  before,
  after,
}: {
  ctx: Ctx;
  path: string;
  before: unknown[];
  after: unknown[];
}) {
  const { t } = ctx;
  const [expanded, setExpanded] = useState(false);
  const rows = pairEdits(diffSequence<unknown>(before, after, (v) => JSON.stringify(v)));
  const shown: Shown[] = expanded ? rows : foldUnchanged(rows);
  return (
    <ul className="policy-diff-list policy-diff-list-merged">
      {shown.map((row, index) => {
        if (row.op === 'hidden') {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional.
            <li key={index} className="policy-diff-row is-hidden">
              <button
                type="button"
                className="link-button policy-diff-more"
                onClick={() => setExpanded(true)}
              >
                {t('web.policy.diff.showUnchanged', { count: row.count })}
              </button>
            </li>
          );
        }
        const marker = { same: '', removed: '−', added: '+', changed: '~' }[row.op];
        const label = {
          same: t('web.policy.diff.unchanged'),
          removed: t('web.policy.diff.removed'),
          added: t('web.policy.diff.added'),
          changed: t('web.policy.diff.changed'),
        }[row.op];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional.
          <li key={index} className={`policy-diff-row is-${row.op}`}>
            <span className="policy-diff-marker" aria-hidden="true">
              {marker}
            </span>
            <span className="visually-hidden">{label}: </span>
            <span className="policy-diff-row-body">
              {row.op === 'changed' ? (
                <ChangedItem before={row.before} after={row.value} />
              ) : row.op === 'removed' ? (
                <del>
                  <ValueView ctx={ctx} path={path} value={row.value} />
                </del>
              ) : row.op === 'added' ? (
                <ins>
                  <ValueView ctx={ctx} path={path} value={row.value} />
                </ins>
              ) : (
                <ValueView ctx={ctx} path={path} value={row.value} />
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function ChangedItem({ before, after }: { before: unknown; after: unknown }) {
  if (isBilingual(before) && isBilingual(after)) {
    return (
      <span className="policy-diff-bilingual">
        {(['nl', 'en'] as const).map((language) => (
          <LanguageText key={language} language={language}>
            {before[language] === after[language] ? (
              after[language]
            ) : (
              <TextDiff before={before[language]} after={after[language]} />
            )}
          </LanguageText>
        ))}
      </span>
    );
  }
  return <TextDiff before={String(before)} after={String(after)} />;
}

export function ChangeView({ change, currency }: { change: PolicyChange; currency: string }) {
  const { t, i18n } = useTranslation();
  const ctx: Ctx = { t, language: i18n.language, currency };
  const { path, before, after } = change;
  const lang = last(path);

  const freeText = lang === 'nl' || lang === 'en' || lang === 'target';
  if (typeof before === 'string' && typeof after === 'string' && freeText) {
    return (
      <TextDiff before={before} after={after} lang={lang === 'nl' || lang === 'en' ? lang : undefined} />
    );
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return <ListDiff ctx={ctx} path={path} before={before} after={after} />;
  }
  return (
    <div className="policy-diff-pair">
      <div className="policy-diff-side is-before">
        <span className="policy-diff-side-label">{t('web.policy.diff.before')}</span>
        <div className="policy-diff-side-value">
          <ValueView ctx={ctx} path={path} value={before} />
        </div>
      </div>
      <span className="policy-diff-arrow" aria-hidden="true">
        →
      </span>
      <div className="policy-diff-side is-after">
        <span className="policy-diff-side-label">{t('web.policy.diff.after')}</span>
        <div className="policy-diff-side-value">
          <ValueView ctx={ctx} path={path} value={after} />
        </div>
      </div>
    </div>
  );
}
