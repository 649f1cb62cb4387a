import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BilingualText, DurationUnit, PolicyDuration } from '../../api.ts';
import { DURATION_UNITS } from '../../api.ts';
import { Button } from '../../components/Button.tsx';
import type { ControlProps } from '../../components/Field.tsx';
import { useEditor, useValue } from './editor-context.ts';
import { NATIVE_LANGUAGE_NAMES } from './labels.ts';
import { controlId } from './paths.ts';

/** Form controls bound to a dotted path of the policy settings; ids follow the path (see paths.ts). */

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

type FrameProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
};

/** A label, one control, a hint and an error, wired for screen readers (like Field, with a fixed id). */
export function Frame({ id, label, hint, error, optional = false, className, children }: FrameProps) {
  const { t } = useTranslation();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const classes = ['field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> ({t('web.common.optional')})</span>}
      </label>
      {children({
        id,
        'aria-describedby': describedBy(hintId, errorId),
        'aria-invalid': error ? true : undefined,
      })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of controls under one legend, with a hint and the group's own error. */
export function Group({
  path,
  legend,
  hint,
  className,
  children,
}: {
  path: string;
  legend: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const { error } = useEditor();
  const message = error(path);
  const id = controlId(path);
  return (
    <fieldset
      className={['policy-group', message ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(hint ? `${id}-hint` : undefined, message ? `${id}-error` : undefined)}
    >
      <legend className="policy-legend">{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field-hint policy-group-hint">
          {hint}
        </p>
      )}
      {children}
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
    </fieldset>
  );
}

export function TextField({
  path,
  label,
  hint,
  optional,
  placeholder,
  maxLength,
  type = 'text',
  inputMode,
  mono = false,
  className,
}: {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  optional?: boolean;
  placeholder?: string;
  maxLength?: number;
  type?: 'text' | 'email' | 'time';
  inputMode?: 'text' | 'email';
  mono?: boolean;
  className?: string;
}) {
  const { error } = useEditor();
  const [value, setValue] = useValue<string | undefined>(path);
  return (
    <Frame
      id={controlId(path)}
      label={label}
      hint={hint}
      error={error(path)}
      optional={optional ?? false}
      {...(className ? { className } : {})}
    >
      {(control) => (
        <input
          {...control}
          className={mono ? 'input mono' : 'input'}
          type={type}
          value={value ?? ''}
          placeholder={placeholder}
          maxLength={maxLength}
          inputMode={inputMode}
          spellCheck={type === 'text' && !mono}
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
        />
      )}
    </Frame>
  );
}

/**
 * The same text in Dutch and English, side by side (stacked when narrow). Each textarea's accessible
 * name says which text and which language.
 */
export function BilingualField({
  path,
  label,
  hint,
  optional = false,
  rows = 3,
  maxLength = 4000,
  hideLegend = false,
}: {
  path: string;
  label: string;
  hint?: ReactNode;
  optional?: boolean;
  rows?: number;
  maxLength?: number;
  hideLegend?: boolean;
}) {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [value, setValue] = useValue<BilingualText>(path);
  const hintId = hint ? `${controlId(path)}-hint` : undefined;
  return (
    <fieldset className="policy-group policy-bilingual">
      <legend className={hideLegend ? 'visually-hidden' : 'policy-legend'}>
        {label}
        {optional && <span className="field-optional"> ({t('web.common.optional')})</span>}
      </legend>
      {hint && (
        <p id={hintId} className="field-hint policy-group-hint">
          {hint}
        </p>
      )}
      <div className="policy-bilingual-pair">
        {(['nl', 'en'] as const).map((language) => {
          const languagePath = `${path}.${language}`;
          const id = controlId(languagePath);
          const message = error(languagePath);
          return (
            <div key={language} className={message ? 'field has-error' : 'field'}>
              <label htmlFor={id} className="policy-language-label">
                <span className="visually-hidden">{label}, </span>
                <span className="policy-language-tag" aria-hidden="true">
                  {language.toUpperCase()}
                </span>
                {NATIVE_LANGUAGE_NAMES[language]}
              </label>
              <textarea
                id={id}
                lang={language}
                className="input policy-textarea"
                rows={rows}
                maxLength={maxLength}
                value={value?.[language] ?? ''}
                aria-invalid={message ? true : undefined}
                aria-describedby={describedBy(hintId, message && `${id}-error`)}
                onChange={(e) =>
                  setValue({ nl: value?.nl ?? '', en: value?.en ?? '', [language]: e.target.value })
                }
              />
              {message && (
                <p id={`${id}-error`} className="field-error">
                  {message}
                </p>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function Checkbox({ path, label, hint }: { path: string; label: ReactNode; hint?: ReactNode }) {
  const { error } = useEditor();
  const [value, setValue] = useValue<boolean>(path);
  const id = controlId(path);
  const message = error(path);
  return (
    <div className={message ? 'policy-check has-error' : 'policy-check'}>
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, message && `${id}-error`)}
        onChange={(e) => setValue(e.target.checked)}
      />
      <label htmlFor={id} className="policy-choice-label">
        <span>{label}</span>
        {hint && (
          <span id={`${id}-hint`} className="policy-check-hint">
            {hint}
          </span>
        )}
        {message && (
          <span id={`${id}-error`} className="field-error">
            {message}
          </span>
        )}
      </label>
    </div>
  );
}

export type Option<T extends string | number> = { value: T; label: string; hint?: string };

/** Checkboxes that edit a list of values; the list keeps the options' order. */
export function CheckboxGroup<T extends string | number>({
  path,
  legend,
  hint,
  options,
  columns = 2,
}: {
  path: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: readonly Option<T>[];
  columns?: 2 | 3 | 4 | 7;
}) {
  const { error } = useEditor();
  const [value, setValue] = useValue<T[]>(path);
  const selected = new Set(value ?? []);
  const invalid = error(path) ? true : undefined;
  function toggle(option: T, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(option);
    else next.delete(option);
    setValue(options.map((o) => o.value).filter((v) => next.has(v)));
  }
  return (
    <Group path={path} legend={legend} hint={hint}>
      <div className={`policy-checks policy-checks-${columns}`}>
        {options.map((option, index) => {
          const id = index === 0 ? controlId(path) : `${controlId(path)}-${option.value}`;
          return (
            <div key={String(option.value)} className="policy-check">
              <input
                id={id}
                type="checkbox"
                checked={selected.has(option.value)}
                aria-invalid={invalid}
                aria-describedby={option.hint ? `${id}-hint` : undefined}
                onChange={(e) => toggle(option.value, e.target.checked)}
              />
              <label htmlFor={id} className="policy-choice-label">
                <span>{option.label}</span>
                {option.hint && (
                  <span id={`${id}-hint`} className="policy-check-hint">
                    {option.hint}
                  </span>
                )}
              </label>
            </div>
          );
        })}
      </div>
    </Group>
  );
}

/** Radio buttons for one value out of a few; `onPick` decides what the choice writes. */
export function RadioGroup<T extends string>({
  path,
  legend,
  hint,
  options,
  value,
  onPick,
}: {
  path: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: readonly Option<T>[];
  value: T;
  onPick: (value: T) => void;
}) {
  return (
    <Group path={path} legend={legend} hint={hint}>
      <div className="policy-radios">
        {options.map((option, index) => {
          const id = index === 0 ? controlId(path) : `${controlId(path)}-${option.value}`;
          return (
            <div
              key={option.value}
              className={value === option.value ? 'policy-radio is-checked' : 'policy-radio'}
            >
              <input
                id={id}
                type="radio"
                name={controlId(path)}
                value={option.value}
                checked={value === option.value}
                aria-describedby={option.hint ? `${id}-hint` : undefined}
                onChange={() => onPick(option.value)}
              />
              <label htmlFor={id} className="policy-choice-label">
                <span>{option.label}</span>
                {option.hint && (
                  <span id={`${id}-hint`} className="policy-check-hint">
                    {option.hint}
                  </span>
                )}
              </label>
            </div>
          );
        })}
      </div>
    </Group>
  );
}

const NUMBER = /^\d+(?:[.,]\d+)?$/;

const shownNumber = (n: number) => (Number.isFinite(n) ? String(n) : '');

function parseNumber(text: string, decimals: boolean): number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return Number.NaN;
  const n = Number(trimmed.replace(',', '.'));
  return decimals || Number.isInteger(n) ? n : Number.NaN;
}

/**
 * A number the schema keeps as an integer. What is typed stays as typed; the settings get the number,
 * or NaN while the text is not one (caught before saving and shown beside the field).
 */
export function NumberInput({
  id,
  value,
  onChange,
  min,
  max,
  decimals = false,
  className = 'input policy-number',
  disabled,
  placeholder,
  ...aria
}: {
  id: string;
  value: number;
  onChange: (value: number) => void;
  min: number;
  max: number;
  decimals?: boolean;
  className?: string;
  disabled?: boolean;
  placeholder?: string;
  'aria-describedby'?: string | undefined;
  'aria-invalid'?: true | undefined;
  'aria-label'?: string;
}) {
  const [text, setText] = useState(shownNumber(value));
  // A value set from outside (a preset, a reload) replaces what is typed.
  useEffect(() => {
    setText((current) => (Object.is(parseNumber(current, decimals), value) ? current : shownNumber(value)));
  }, [value, decimals]);
  return (
    <input
      {...aria}
      id={id}
      className={className}
      type="text"
      inputMode={decimals ? 'decimal' : 'numeric'}
      autoComplete="off"
      value={text}
      disabled={disabled}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseNumber(e.target.value, decimals));
      }}
      data-min={min}
      data-max={max}
    />
  );
}

export function NumberField({
  path,
  label,
  hint,
  min,
  max,
  suffix,
  toDisplay = (n) => n,
  fromDisplay = (n) => n,
  decimals = false,
}: {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  min: number;
  max: number;
  suffix?: string;
  toDisplay?: (n: number) => number;
  fromDisplay?: (n: number) => number;
  decimals?: boolean;
}) {
  const { error } = useEditor();
  const [value, setValue] = useValue<number>(path);
  return (
    <Frame id={controlId(path)} label={label} hint={hint} error={error(path)}>
      {(control) => (
        <div className="policy-suffixed">
          <NumberInput
            {...control}
            value={Number.isFinite(value) ? toDisplay(value) : Number.NaN}
            onChange={(n) => setValue(Number.isFinite(n) ? fromDisplay(n) : n)}
            min={min}
            max={max}
            decimals={decimals}
          />
          {suffix && (
            <span className="policy-suffix" aria-hidden="true">
              {suffix}
            </span>
          )}
        </div>
      )}
    </Frame>
  );
}

/** An amount and a unit, or (when allowed) no promise at all. */
export function DurationField({
  path,
  label,
  hint,
  allowNone = true,
}: {
  path: string;
  label: string;
  hint?: ReactNode;
  allowNone?: boolean;
}) {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [value, setValue] = useValue<PolicyDuration | null>(path);
  const remembered = useRef<PolicyDuration>(value ?? { amount: 1, unit: 'business_days' });
  if (value && Number.isFinite(value.amount)) remembered.current = value;
  const id = controlId(path);
  const amountPath = `${path}.amount`;
  const unitPath = `${path}.unit`;
  const message = error(path) ?? error(amountPath) ?? error(unitPath);
  const amountInvalid = error(amountPath) || error(path) ? true : undefined;
  return (
    <fieldset className={message ? 'policy-group policy-duration has-error' : 'policy-group policy-duration'}>
      <legend className="policy-legend">{label}</legend>
      <div className="policy-duration-row">
        <label htmlFor={controlId(amountPath)} className="visually-hidden">
          {t('web.policy.fields.amountOf', { field: label })}
        </label>
        <NumberInput
          id={controlId(amountPath)}
          value={value ? value.amount : Number.NaN}
          min={1}
          max={3650}
          disabled={!value}
          placeholder="—"
          aria-invalid={amountInvalid}
          aria-describedby={describedBy(hint ? `${id}-hint` : undefined, message && `${id}-error`)}
          onChange={(amount) => setValue({ amount, unit: value?.unit ?? remembered.current.unit })}
        />
        <label htmlFor={id} className="visually-hidden">
          {t('web.policy.fields.unitOf', { field: label })}
        </label>
        <select
          id={id}
          className="input policy-unit"
          value={value ? value.unit : 'none'}
          aria-invalid={error(unitPath) ? true : undefined}
          onChange={(e) => {
            const unit = e.target.value;
            if (unit === 'none') setValue(null);
            else
              setValue({
                amount: value?.amount ?? remembered.current.amount,
                unit: unit as DurationUnit,
              });
          }}
        >
          {allowNone && <option value="none">{t('web.policy.options.unit.none')}</option>}
          {DURATION_UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {t(`web.policy.options.unit.${unit}`)}
            </option>
          ))}
        </select>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
    </fieldset>
  );
}

let nextKey = 0;

/**
 * Stable React keys for a list whose items have no ids: kept in step by `removeAt`, renewed when the
 * list is replaced from outside (a preset, a reload).
 */
export function useListKeys(length: number) {
  const keys = useRef<string[]>([]);
  if (keys.current.length !== length) {
    keys.current = Array.from({ length }, (_, i) => keys.current[i] ?? `item-${++nextKey}`);
  }
  return {
    keys: keys.current,
    removeAt(index: number) {
      keys.current = keys.current.filter((_, i) => i !== index);
    },
  };
}

/** Focus a control once React has rendered it (a list item just added). */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** The add button under a list; the list's own id sits on it so errors about the list land here. */
export function AddButton({
  path,
  label,
  onAdd,
  disabled,
}: {
  path: string;
  label: string;
  onAdd: () => void;
  disabled?: boolean;
}) {
  const { readOnly } = useEditor();
  if (readOnly) return null;
  return (
    <Button
      id={controlId(path)}
      variant="secondary"
      className="button-small policy-add"
      onClick={onAdd}
      disabled={disabled}
    >
      <span aria-hidden="true">+</span> {label}
    </Button>
  );
}

export function RemoveButton({
  label,
  onRemove,
  compact = false,
}: {
  label: string;
  onRemove: () => void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { readOnly } = useEditor();
  if (readOnly) return null;
  return (
    <Button
      variant="ghost"
      className={
        compact ? 'button-small button-danger-text policy-remove-icon' : 'button-small button-danger-text'
      }
      aria-label={label}
      title={compact ? label : undefined}
      onClick={onRemove}
    >
      {compact ? <span aria-hidden="true">✕</span> : t('web.policy.actions.remove')}
    </Button>
  );
}
