import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTACHMENT_KINDS,
  CONTACT_FIELDS,
  IDENTITY_MODES,
  PASSWORD_CHANNELS,
  type PasswordChannel,
  type PolicyDuration,
  type PolicyProgressUpdates,
  type PolicyResolution,
  type PolicyRewards,
  PROGRESS_KINDS,
  REPORT_DETAILS,
  type RewardRange,
  SEVERITIES,
} from '../../api.ts';
import {
  BilingualField,
  Checkbox,
  CheckboxGroup,
  DurationField,
  Frame,
  Group,
  NumberField,
  NumberInput,
  RadioGroup,
  TextField,
} from './controls.tsx';
import { useEditor, useValue } from './editor-context.ts';
import {
  bytesToMb,
  countryName,
  currencyDigits,
  HOLIDAY_COUNTRIES,
  mbToBytes,
  weekdayName,
} from './format.ts';
import type { Section as SectionName } from './labels.ts';
import { AssetList, BilingualList, EmailList, LanguagesField } from './lists.tsx';
import { controlId } from './paths.ts';

/** Where {{organisation}} may be written, it is shown literally in hints. */
const TOKEN = { token: '{{organisation}}', interpolation: { escapeValue: false } };

function Section({ name, children }: { name: SectionName | 'followUp'; children: ReactNode }) {
  const { t } = useTranslation();
  const headingId = `policy-section-${name}`;
  return (
    <section className="panel policy-section" aria-labelledby={headingId} id={`section-${name}`}>
      <header className="policy-section-head">
        <h2 id={headingId}>{t(`web.policy.sections.${name}.title`)}</h2>
        <p className="muted">{t(`web.policy.sections.${name}.intro`, TOKEN)}</p>
      </header>
      <div className="policy-section-body">{children}</div>
    </section>
  );
}

function Subsection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="policy-subsection">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** Every part of the policy, as cards mirroring the settings schema. */
export function PolicyEditor() {
  const { readOnly } = useEditor();
  return (
    <fieldset className={readOnly ? 'policy-editor is-read-only' : 'policy-editor'} disabled={readOnly}>
      <IntroductionSection />
      <ScopeSection />
      <RulesSection />
      <IntakeSection />
      <ServiceLevelsSection />
      <CalendarSection />
      <FollowUpSection />
      <RewardsSection />
      <CreditSection />
      <DisclosureSection />
      <NotificationsSection />
    </fieldset>
  );
}

function IntroductionSection() {
  const { t } = useTranslation();
  return (
    <Section name="introduction">
      <BilingualField path="introduction" label={t('web.policy.fields.introduction')} rows={5} hideLegend />
    </Section>
  );
}

function ScopeSection() {
  const { t } = useTranslation();
  return (
    <Section name="scope">
      <AssetList
        path="scope.inScope"
        legend={t('web.policy.fields.inScope')}
        hint={t('web.policy.hints.inScope')}
        empty={t('web.policy.hints.inScopeEmpty')}
      />
      <AssetList
        path="scope.outOfScope"
        legend={t('web.policy.fields.outOfScope')}
        hint={t('web.policy.hints.outOfScope')}
        empty={t('web.policy.hints.outOfScopeEmpty')}
      />
      <BilingualList
        path="scope.exclusions"
        legend={t('web.policy.fields.exclusions')}
        hint={t('web.policy.hints.exclusions')}
        itemLabel={(n) => t('web.policy.fields.exclusionN', { n })}
        addLabel={t('web.policy.actions.addExclusion')}
        empty={t('web.policy.hints.exclusionsEmpty')}
        max={100}
        maxLength={500}
      />
    </Section>
  );
}

function RulesSection() {
  const { t } = useTranslation();
  return (
    <Section name="rules">
      <BilingualList
        path="rules.do"
        legend={t('web.policy.fields.do')}
        hint={t('web.policy.hints.do')}
        itemLabel={(n) => t('web.policy.fields.doN', { n })}
        addLabel={t('web.policy.actions.addRule')}
        empty={t('web.policy.hints.listEmpty')}
        max={50}
        maxLength={1000}
      />
      <BilingualList
        path="rules.dont"
        legend={t('web.policy.fields.dont')}
        hint={t('web.policy.hints.dont')}
        itemLabel={(n) => t('web.policy.fields.dontN', { n })}
        addLabel={t('web.policy.actions.addRule')}
        empty={t('web.policy.hints.listEmpty')}
        max={50}
        maxLength={1000}
      />
      <BilingualField
        path="rules.safeHarbour"
        label={t('web.policy.fields.safeHarbour')}
        hint={t('web.policy.hints.safeHarbour')}
        rows={4}
      />
      <BilingualField
        path="rules.privacy"
        label={t('web.policy.fields.privacy')}
        hint={t('web.policy.hints.privacy')}
        rows={4}
        optional
      />
      <BilingualList
        path="rules.other"
        legend={t('web.policy.fields.other')}
        hint={t('web.policy.hints.other')}
        itemLabel={(n) => t('web.policy.fields.otherN', { n })}
        addLabel={t('web.policy.actions.addTerm')}
        empty={t('web.policy.hints.listEmpty')}
        max={50}
        maxLength={1000}
      />
    </Section>
  );
}

function IntakeSection() {
  const { t } = useTranslation();
  const [accepted] = useValue<boolean>('intake.attachments.passwordProtectedAccepted');
  const [channel, setChannel] = useValue<PasswordChannel>('intake.attachments.passwordChannel');
  const { error } = useEditor();
  return (
    <Section name="intake">
      <div className="policy-columns">
        <CheckboxGroup
          path="intake.identities"
          legend={t('web.policy.fields.identities')}
          options={IDENTITY_MODES.map((value) => ({
            value,
            label: t(`web.policy.options.identity.${value}`),
          }))}
          columns={2}
        />
        <CheckboxGroup
          path="intake.requiredContact"
          legend={t('web.policy.fields.requiredContact')}
          hint={t('web.policy.hints.requiredContact')}
          options={CONTACT_FIELDS.map((value) => ({
            value,
            label: t(`web.policy.options.contact.${value}`),
          }))}
          columns={2}
        />
      </div>
      <LanguagesField
        path="intake.languages"
        label={t('web.policy.fields.languages')}
        hint={t('web.policy.hints.languages')}
      />
      <CheckboxGroup
        path="intake.requestedDetails"
        legend={t('web.policy.fields.requestedDetails')}
        hint={t('web.policy.hints.requestedDetails')}
        options={REPORT_DETAILS.map((value) => ({ value, label: t(`web.policy.options.detail.${value}`) }))}
        columns={2}
      />
      <Subsection title={t('web.policy.fields.attachments')}>
        <CheckboxGroup
          path="intake.attachments.allowed"
          legend={t('web.policy.fields.attachmentKinds')}
          hint={t('web.policy.hints.attachmentKinds')}
          options={ATTACHMENT_KINDS.map((value) => ({
            value,
            label: t(`web.policy.options.attachment.${value}`),
          }))}
          columns={4}
        />
        <div className="field-row">
          <NumberField
            path="intake.attachments.maxBytes"
            label={t('web.policy.fields.maxSize')}
            hint={t('web.policy.hints.maxSize')}
            min={0}
            max={100}
            suffix="MB"
            decimals
            toDisplay={bytesToMb}
            fromDisplay={mbToBytes}
          />
          <NumberField
            path="intake.attachments.maxFiles"
            label={t('web.policy.fields.maxFiles')}
            hint={t('web.policy.hints.maxFiles')}
            min={0}
            max={50}
          />
        </div>
        <Checkbox
          path="intake.attachments.passwordProtectedAccepted"
          label={t('web.policy.fields.passwordProtected')}
          hint={t('web.policy.hints.passwordProtected')}
        />
        <Frame
          id={controlId('intake.attachments.passwordChannel')}
          label={t('web.policy.fields.passwordChannel')}
          error={error('intake.attachments.passwordChannel')}
          className="policy-indented"
        >
          {(control) => (
            <select
              {...control}
              className="input policy-select"
              value={channel}
              disabled={!accepted}
              onChange={(e) => setChannel(e.target.value as PasswordChannel)}
            >
              {PASSWORD_CHANNELS.map((value) => (
                <option key={value} value={value}>
                  {t(`web.policy.options.passwordChannel.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Frame>
      </Subsection>
      <EmailList
        path="intake.emails"
        legend={t('web.policy.fields.emails')}
        hint={t('web.policy.hints.emails')}
      />
    </Section>
  );
}

const DEFAULT_DURATION: PolicyDuration = { amount: 30, unit: 'calendar_days' };
const DEFAULT_BY_SEVERITY = {
  critical: { amount: 7, unit: 'calendar_days' },
  high: { amount: 30, unit: 'calendar_days' },
  medium: { amount: 60, unit: 'calendar_days' },
  low: { amount: 90, unit: 'calendar_days' },
} as const satisfies Record<string, PolicyDuration>;

function ServiceLevelsSection() {
  const { t } = useTranslation();
  const [resolution, setResolution] = useValue<PolicyResolution>('serviceLevels.resolution');
  // Switching kinds and back keeps what was entered.
  const kept = useRef<Partial<Record<PolicyResolution['kind'], PolicyResolution>>>({});
  kept.current[resolution.kind] = resolution;
  const businessHint = t('web.policy.hints.businessDays');

  function pick(kind: PolicyResolution['kind']) {
    const previous = kept.current[kind];
    if (previous) return setResolution(previous);
    if (kind === 'none') return setResolution({ kind });
    if (kind === 'fixed') return setResolution({ kind, within: DEFAULT_DURATION });
    setResolution({ kind, ...DEFAULT_BY_SEVERITY });
  }

  return (
    <Section name="serviceLevels">
      <div className="policy-columns policy-columns-3">
        <DurationField
          path="serviceLevels.acknowledgement"
          label={t('web.policy.fields.acknowledgement')}
          hint={t('web.policy.hints.acknowledgement')}
        />
        <DurationField
          path="serviceLevels.firstResponse"
          label={t('web.policy.fields.firstResponse')}
          hint={t('web.policy.hints.firstResponse')}
        />
        <DurationField
          path="serviceLevels.assessment"
          label={t('web.policy.fields.assessment')}
          hint={t('web.policy.hints.assessment')}
        />
      </div>
      <p className="field-hint policy-note">{businessHint}</p>
      <RadioGroup
        path="serviceLevels.resolution.kind"
        legend={t('web.policy.fields.resolution')}
        value={resolution.kind}
        onPick={pick}
        options={(['none', 'fixed', 'by_severity'] as const).map((value) => ({
          value,
          label: t(`web.policy.options.resolution.${value}`),
          hint: t(`web.policy.options.resolutionHint.${value}`),
        }))}
      />
      {resolution.kind === 'fixed' && (
        <div className="policy-indented">
          <DurationField
            path="serviceLevels.resolution.within"
            label={t('web.policy.fields.resolutionWithin')}
            allowNone={false}
          />
        </div>
      )}
      {resolution.kind === 'by_severity' && (
        <div className="policy-indented policy-columns policy-columns-4">
          {SEVERITIES.map((severity) => (
            <DurationField
              key={severity}
              path={`serviceLevels.resolution.${severity}`}
              label={t(`web.policy.options.severity.${severity}`)}
              allowNone={false}
            />
          ))}
        </div>
      )}
      <Checkbox
        path="serviceLevels.mayDependOnSuppliers"
        label={t('web.policy.fields.mayDependOnSuppliers')}
        hint={t('web.policy.hints.mayDependOnSuppliers')}
      />
    </Section>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

function CalendarSection() {
  const { t, i18n } = useTranslation();
  const { error } = useEditor();
  const [holidays, setHolidays] = useValue<{ country: string; region?: string } | null>('calendar.holidays');
  const countries = [...new Set<string>([...HOLIDAY_COUNTRIES, ...(holidays ? [holidays.country] : [])])]
    .map((code) => ({ code, name: countryName(code, i18n.language) }))
    .sort((a, b) => a.name.localeCompare(b.name, i18n.language));
  const countryId = controlId('calendar.holidays.country');
  return (
    <Section name="calendar">
      <CheckboxGroup
        path="calendar.workingDays"
        legend={t('web.policy.fields.workingDays')}
        options={[1, 2, 3, 4, 5, 6, 7].map((day) => ({
          value: day,
          label: capitalise(weekdayName(day, i18n.language)),
        }))}
        columns={7}
      />
      <div className="field-row policy-hours">
        <TextField path="calendar.workingHours.start" label={t('web.policy.fields.hoursStart')} type="time" />
        <TextField path="calendar.workingHours.end" label={t('web.policy.fields.hoursEnd')} type="time" />
      </div>
      <div className="field-row">
        <Frame
          id={countryId}
          label={t('web.policy.fields.holidays')}
          hint={t('web.policy.hints.holidays')}
          error={error('calendar.holidays.country') ?? error('calendar.holidays')}
        >
          {(control) => (
            <select
              {...control}
              className="input"
              value={holidays?.country ?? ''}
              onChange={(e) =>
                setHolidays(
                  e.target.value
                    ? {
                        country: e.target.value,
                        ...(holidays?.region && holidays.country === e.target.value
                          ? { region: holidays.region }
                          : {}),
                      }
                    : null,
                )
              }
            >
              <option value="">{t('web.policy.options.noHolidays')}</option>
              {countries.map(({ code, name }) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Frame>
        <Frame
          id={controlId('calendar.holidays.region')}
          label={t('web.policy.fields.holidayRegion')}
          hint={t('web.policy.hints.holidayRegion')}
          error={error('calendar.holidays.region')}
          optional
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              maxLength={10}
              disabled={!holidays}
              autoComplete="off"
              spellCheck={false}
              value={holidays?.region ?? ''}
              onChange={(e) => {
                if (!holidays) return;
                const region = e.target.value.toUpperCase();
                setHolidays(region ? { country: holidays.country, region } : { country: holidays.country });
              }}
            />
          )}
        </Frame>
      </div>
    </Section>
  );
}

/** A number of days, or none at all (the default embargo). */
function OptionalDays({
  path,
  legend,
  noneLabel,
  someLabel,
  daysLabel,
  fallback,
  max,
  hint,
}: {
  path: string;
  legend: string;
  noneLabel: string;
  someLabel: string;
  daysLabel: string;
  fallback: number;
  max: number;
  hint?: string;
}) {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [days, setDays] = useValue<number | null>(path);
  const kept = useRef(days ?? fallback);
  if (days !== null && Number.isFinite(days)) kept.current = days;
  const id = controlId(path);
  const message = error(path);
  return (
    <Group path={`${path}-mode`} legend={legend} hint={hint}>
      <div className="policy-radios">
        <div className={days === null ? 'policy-radio is-checked' : 'policy-radio'}>
          <input
            id={`${id}-none`}
            type="radio"
            name={id}
            checked={days === null}
            onChange={() => setDays(null)}
          />
          <label htmlFor={`${id}-none`} className="policy-choice-label">
            <span>{noneLabel}</span>
          </label>
        </div>
        <div className={days !== null ? 'policy-radio is-checked' : 'policy-radio'}>
          <input
            id={`${id}-some`}
            type="radio"
            name={id}
            checked={days !== null}
            onChange={() => setDays(kept.current)}
          />
          <div className="policy-radio-body">
            <label htmlFor={`${id}-some`} className="policy-choice-label">
              <span>{someLabel}</span>
            </label>
            <div className={message ? 'policy-suffixed has-error' : 'policy-suffixed'}>
              <label htmlFor={id} className="visually-hidden">
                {t('web.policy.fields.numberOfDays', { field: legend })}
              </label>
              <NumberInput
                id={id}
                value={days ?? kept.current}
                min={1}
                max={max}
                aria-invalid={message ? true : undefined}
                aria-describedby={message ? `${id}-error` : undefined}
                onChange={setDays}
              />
              <span className="policy-suffix">{daysLabel}</span>
            </div>
          </div>
        </div>
      </div>
      {message && (
        <p id={`${id}-error`} className="field-error">
          {message}
        </p>
      )}
    </Group>
  );
}

const DEFAULT_PROGRESS_DAYS = 14;

/** Not promised, at every milestone, or at least every so many days (the number shown for the last). */
function ProgressUpdatesField() {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [progress, setProgress] = useValue<PolicyProgressUpdates>('progressUpdates');
  // Switching to another kind and back keeps the number of days that was entered.
  const kept = useRef<Partial<Record<PolicyProgressUpdates['kind'], PolicyProgressUpdates>>>({});
  kept.current[progress.kind] = progress;

  function pick(kind: PolicyProgressUpdates['kind']) {
    if (kind === progress.kind) return;
    const previous = kept.current[kind];
    if (previous) return setProgress(previous);
    setProgress(kind === 'interval' ? { kind, everyDays: DEFAULT_PROGRESS_DAYS } : { kind });
  }

  return (
    <>
      <Frame
        id={controlId('progressUpdates.kind')}
        label={t('web.policy.fields.progressEvery')}
        hint={t('web.policy.hints.progressUpdates')}
        error={error('progressUpdates.kind') ?? error('progressUpdates')}
      >
        {(control) => (
          <select
            {...control}
            className="input policy-select"
            value={progress.kind}
            onChange={(e) => pick(e.target.value as PolicyProgressUpdates['kind'])}
          >
            {PROGRESS_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`web.policy.options.progress.${kind}`)}
              </option>
            ))}
          </select>
        )}
      </Frame>
      {progress.kind === 'interval' && (
        <div className="policy-indented">
          <NumberField
            path="progressUpdates.everyDays"
            label={t('web.policy.fields.progressEveryDays')}
            min={1}
            max={365}
            suffix={t('web.policy.fields.days')}
          />
        </div>
      )}
    </>
  );
}

function FollowUpSection() {
  const { t } = useTranslation();
  return (
    <Section name="followUp">
      <Checkbox
        path="firstAssessment.includesAssessment"
        label={t('web.policy.fields.includesAssessment')}
        hint={t('web.policy.hints.includesAssessment')}
      />
      <Checkbox
        path="firstAssessment.includesExpectedFixDate"
        label={t('web.policy.fields.includesExpectedFixDate')}
      />
      <ProgressUpdatesField />
    </Section>
  );
}

const DEFAULT_TABLE: Record<(typeof SEVERITIES)[number], RewardRange> = {
  critical: { min: 100_000, max: 500_000 },
  high: { min: 50_000, max: 100_000 },
  medium: { min: 15_000, max: 50_000 },
  low: { min: 5_000, max: 15_000 },
};

function RewardsSection() {
  const { t } = useTranslation();
  const { error } = useEditor();
  const [rewards, setRewards] = useValue<PolicyRewards>('rewards');
  const kept = useRef<Partial<Record<PolicyRewards['kind'], PolicyRewards>>>({});
  kept.current[rewards.kind] = rewards;

  function pick(kind: PolicyRewards['kind']) {
    const previous = kept.current[kind];
    if (previous) return setRewards(previous);
    const note = rewards.kind !== 'none' ? rewards.note : { nl: '', en: '' };
    const quality = rewards.kind !== 'none' ? rewards.dependsOnReportQuality : true;
    if (kind === 'none') return setRewards({ kind });
    if (kind === 'discretionary') {
      return setRewards({ kind, dependsOnSeverity: true, dependsOnReportQuality: quality, note });
    }
    setRewards({ kind, currency: 'EUR', bySeverity: DEFAULT_TABLE, dependsOnReportQuality: quality, note });
  }

  return (
    <Section name="rewards">
      <RadioGroup
        path="rewards.kind"
        legend={t('web.policy.fields.rewardKind')}
        value={rewards.kind}
        onPick={pick}
        options={(['none', 'discretionary', 'table'] as const).map((value) => ({
          value,
          label: t(`web.policy.options.rewards.${value}`),
          hint: t(`web.policy.options.rewardsHint.${value}`),
        }))}
      />
      {rewards.kind === 'discretionary' && (
        <Checkbox path="rewards.dependsOnSeverity" label={t('web.policy.fields.dependsOnSeverity')} />
      )}
      {rewards.kind === 'table' && (
        <>
          <TextField
            path="rewards.currency"
            label={t('web.policy.fields.currency')}
            hint={t('web.policy.hints.currency')}
            maxLength={3}
            mono
            className="policy-currency"
          />
          <RewardTable currency={rewards.currency} error={error} />
        </>
      )}
      {rewards.kind !== 'none' && (
        <>
          <Checkbox
            path="rewards.dependsOnReportQuality"
            label={t('web.policy.fields.dependsOnReportQuality')}
          />
          <BilingualField
            path="rewards.note"
            label={t('web.policy.fields.rewardNote')}
            hint={t('web.policy.hints.rewardNote')}
            optional
            rows={2}
            maxLength={1000}
          />
        </>
      )}
    </Section>
  );
}

function RewardTable({ currency, error }: { currency: string; error: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const [table, setTable] = useValue<Record<(typeof SEVERITIES)[number], RewardRange>>('rewards.bySeverity');
  const digits = currencyDigits(/^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
  const factor = 10 ** digits;
  const messages = SEVERITIES.flatMap((severity) =>
    (['min', 'max'] as const).flatMap((bound) => {
      const path = `rewards.bySeverity.${severity}.${bound}`;
      const message = error(path) ?? error(`rewards.bySeverity.${severity}`);
      return message ? [{ path, severity, bound, message }] : [];
    }),
  );
  return (
    <Group
      path="rewards.bySeverity"
      legend={t('web.policy.fields.rewardTable')}
      hint={t('web.policy.hints.rewardTable', { currency })}
    >
      <table className="policy-reward-table">
        <thead>
          <tr>
            <th scope="col" className="policy-cell">
              {t('web.policy.fields.severity')}
            </th>
            <th scope="col" className="policy-cell">
              {t('web.policy.fields.minimum')}
            </th>
            <th scope="col" className="policy-cell">
              {t('web.policy.fields.maximum')}
            </th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((severity) => (
            <tr key={severity}>
              <th scope="row" className="policy-cell">
                {t(`web.policy.options.severity.${severity}`)}
              </th>
              {(['min', 'max'] as const).map((bound) => {
                const path = `rewards.bySeverity.${severity}.${bound}`;
                const invalid = error(path) ? true : undefined;
                return (
                  <td key={bound} className="policy-cell">
                    <div className="policy-suffixed">
                      <label htmlFor={controlId(path)} className="visually-hidden">
                        {t(`web.policy.fields.${bound === 'min' ? 'minimumOf' : 'maximumOf'}`, {
                          severity: t(`web.policy.options.severity.${severity}`),
                        })}
                      </label>
                      <NumberInput
                        id={controlId(path)}
                        value={table[severity][bound] / factor}
                        min={0}
                        max={1_000_000}
                        decimals={digits > 0}
                        aria-invalid={invalid}
                        aria-describedby={invalid ? `${controlId(path)}-error` : undefined}
                        onChange={(major) =>
                          setTable({
                            ...table,
                            [severity]: {
                              ...table[severity],
                              [bound]: Number.isFinite(major) ? Math.round(major * factor) : major,
                            },
                          })
                        }
                      />
                      <span className="policy-suffix mono" aria-hidden="true">
                        {currency}
                      </span>
                    </div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {messages.map(({ path, severity, bound, message }) => (
        <p key={path} id={`${controlId(path)}-error`} className="field-error">
          {t(`web.policy.options.severity.${severity}`)},{' '}
          {t(`web.policy.fields.${bound === 'min' ? 'minimum' : 'maximum'}`).toLowerCase()}: {message}
        </p>
      ))}
    </Group>
  );
}

function CreditSection() {
  const { t } = useTranslation();
  return (
    <Section name="credit">
      <Checkbox
        path="credit.hallOfFame"
        label={t('web.policy.fields.hallOfFame')}
        hint={t('web.policy.hints.hallOfFame')}
      />
      <Checkbox path="credit.creditInAdvisories" label={t('web.policy.fields.creditInAdvisories')} />
    </Section>
  );
}

function DisclosureSection() {
  const { t } = useTranslation();
  return (
    <Section name="disclosure">
      <OptionalDays
        path="disclosure.defaultEmbargoDays"
        legend={t('web.policy.fields.embargo')}
        hint={t('web.policy.hints.embargo')}
        noneLabel={t('web.policy.options.embargo.none')}
        someLabel={t('web.policy.options.embargo.days')}
        daysLabel={t('web.policy.fields.daysAfterReport')}
        fallback={90}
        max={3650}
      />
      <Checkbox
        path="disclosure.publicationOnlyByAgreement"
        label={t('web.policy.fields.publicationOnlyByAgreement')}
        hint={t('web.policy.hints.publicationOnlyByAgreement')}
      />
      <Checkbox
        path="disclosure.requiresAllPartiesInformed"
        label={t('web.policy.fields.requiresAllPartiesInformed')}
      />
      <Checkbox path="disclosure.requiresResolution" label={t('web.policy.fields.requiresResolution')} />
      <Checkbox
        path="disclosure.mayAgreeNeverToPublish"
        label={t('web.policy.fields.mayAgreeNeverToPublish')}
        hint={t('web.policy.hints.mayAgreeNeverToPublish')}
      />
      <Checkbox path="disclosure.confidential" label={t('web.policy.fields.confidential')} />
    </Section>
  );
}

function NotificationsSection() {
  const { t } = useTranslation();
  return (
    <Section name="notifications">
      <Checkbox
        path="notifications.clearTextAllowed"
        label={t('web.policy.fields.clearTextAllowed')}
        hint={t('web.policy.hints.clearTextAllowed')}
      />
    </Section>
  );
}
