import type { TFunction } from 'i18next';
import { Fragment, type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BilingualText, Language, PolicyAsset, PolicyDuration, PolicySettings } from '../../api.ts';
import { SEVERITIES } from '../../api.ts';
import {
  countryName,
  fillOrganisation,
  formatMoney,
  formatSize,
  formatWorkingDays,
  joinList,
  languageName,
} from './format.ts';

/**
 * The policy as a reporter reads it on the public page (/o/{org}), rendered from the draft in one
 * language, independent of the console's. Same order and the same sentences as the public page;
 * text only — organisation text is never treated as markup.
 */

/** Where the draft stands, for the line under the title. */
export type PreviewStatus = { kind: 'new' } | { kind: 'current' | 'changed'; version: number };

type PreviewProps = {
  settings: PolicySettings;
  language: Language;
  organisation: { name: string; slug: string; timezone: string };
  status: PreviewStatus;
};

const P = 'web.policy.preview';

type Ctx = { t: TFunction; language: Language; org: string };

/** A translated sentence with React nodes (links, emphasis) put in where the catalogue says. */
function Sentence({
  t,
  k,
  parts,
  values,
}: {
  t: TFunction;
  k: string;
  parts: Record<string, ReactNode>;
  values?: Record<string, unknown>;
}) {
  const markers = Object.fromEntries(Object.keys(parts).map((name) => [name, `\u{E000}${name}\u{E001}`]));
  const text = t(k, { ...values, ...markers, interpolation: { escapeValue: false } });
  const pieces = text.split(/\u{E000}([A-Za-z]+)\u{E001}/u);
  return (
    <>
      {pieces.map((piece, index) => {
        // Odd pieces are the names of the parts.
        const node = index % 2 === 1 ? parts[piece] : piece;
        // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one sentence are positional.
        return <Fragment key={index}>{node}</Fragment>;
      })}
    </>
  );
}

/** Looks like a link on the public page; in the preview it goes nowhere. */
function FakeLink({ children }: { children: ReactNode }) {
  return <span className="policy-doc-link">{children}</span>;
}

function Missing({ children }: { children: ReactNode }) {
  return <span className="policy-doc-missing">{children}</span>;
}

/** Organisation text: blank lines make paragraphs, single newlines stay (CSS pre-line). */
function Prose({ text, ctx, className }: { text: string; ctx: Ctx; className?: string }) {
  const paragraphs = fillOrganisation(text, ctx.org)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paragraphs.length === 0) {
    return (
      <p className={className}>
        <Missing>{ctx.t(`${P}.missingText`)}</Missing>
      </p>
    );
  }
  return (
    <>
      {paragraphs.map((paragraph, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs have no identity beyond their place.
        <p key={index} className={className ? `policy-doc-prose ${className}` : 'policy-doc-prose'}>
          {paragraph}
        </p>
      ))}
    </>
  );
}

function inline(text: BilingualText | undefined, ctx: Ctx): ReactNode {
  const value = fillOrganisation(text?.[ctx.language] ?? '', ctx.org).trim();
  return value ? (
    <span className="policy-doc-prose">{value}</span>
  ) : (
    <Missing>{ctx.t(`${P}.missingText`)}</Missing>
  );
}

const usable = (d: PolicyDuration | null | undefined): d is PolicyDuration =>
  !!d && Number.isFinite(d.amount);
const duration = (t: TFunction, d: PolicyDuration) => t(`web.policy.units.${d.unit}`, { count: d.amount });
const sameDuration = (a: PolicyDuration, b: PolicyDuration) => a.amount === b.amount && a.unit === b.unit;

function moneyRange(min: number, max: number, currency: string, language: Language): string {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return '–';
  return min === max
    ? formatMoney(min, currency, language)
    : `${formatMoney(min, currency, language)} – ${formatMoney(max, currency, language)}`;
}

export function PolicyPreview({ settings, language, organisation, status }: PreviewProps) {
  const { i18n } = useTranslation();
  const t = useMemo(() => i18n.getFixedT(language), [i18n, language]);
  const ctx: Ctx = { t, language, org: organisation.name };
  const s = settings;

  // Like the public page, a section that would only say what the organisation does not promise
  // is left out.
  const sections: { id: string; title: string; body: ReactNode }[] = [
    { id: 'report', title: t(`${P}.sections.report`), body: <ReportSection s={s} ctx={ctx} /> },
    { id: 'scope', title: t(`${P}.sections.scope`), body: <ScopeSection s={s} ctx={ctx} /> },
  ];
  if (promiseSentences(s, t).length > 0) {
    sections.push({
      id: 'promises',
      title: t(`${P}.sections.promises`),
      body: <PromisesSection s={s} ctx={ctx} />,
    });
  }
  sections.push(
    { id: 'rules', title: t(`${P}.sections.rules`), body: <RulesSection s={s} ctx={ctx} /> },
    {
      id: 'safe-harbour',
      title: t(`${P}.sections.safeHarbour`),
      body: <Prose text={s.rules.safeHarbour[language]} ctx={ctx} />,
    },
  );
  if (s.rules.privacy[language].trim()) {
    sections.push({
      id: 'privacy',
      title: t(`${P}.sections.privacy`),
      body: <Prose text={s.rules.privacy[language]} ctx={ctx} />,
    });
  }
  if (s.rewards.kind !== 'none') {
    sections.push({
      id: 'rewards',
      title: t(`${P}.sections.rewards`),
      body: <RewardsSection s={s} ctx={ctx} />,
    });
  }
  if (s.credit.hallOfFame || s.credit.creditInAdvisories) {
    sections.push({
      id: 'credit',
      title: t(`${P}.sections.credit`),
      body: <CreditSection s={s} ctx={ctx} />,
    });
  }
  const disclosure = disclosureSentences(s, t);
  if (disclosure.length > 0) {
    sections.push({
      id: 'disclosure',
      title: t(`${P}.sections.disclosure`),
      body: (
        <ul className="policy-doc-plain">
          {disclosure.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ),
    });
  }
  if (s.rules.other.length > 0) {
    sections.push({
      id: 'other',
      title: t(`${P}.sections.other`),
      body: (
        <ul className="policy-doc-plain">
          {s.rules.other.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items are edited in place.
            <li key={index}>{inline(item, ctx)}</li>
          ))}
        </ul>
      ),
    });
  }

  return (
    <article className="policy-doc" lang={language}>
      <div className="policy-doc-masthead">
        <span className="policy-doc-org">{organisation.name}</span>
        <span className="policy-doc-kind">{t(`${P}.brand`)}</span>
      </div>
      <div className="policy-doc-hero">
        <h1 className="policy-doc-title">{t(`${P}.title`)}</h1>
        <p className="policy-doc-version">
          {status.kind === 'new'
            ? t(`${P}.draftLine`)
            : t(`${P}.${status.kind === 'current' ? 'currentLine' : 'changedLine'}`, {
                version: status.version,
              })}
        </p>
      </div>
      <div className="policy-doc-body">
        <div className="policy-doc-cta">
          <div>
            <h2 className="policy-doc-cta-title">{t(`${P}.cta.heading`)}</h2>
            <p>{t(`${P}.cta.text`)}</p>
          </div>
          <div className="policy-doc-cta-actions">
            <span className="policy-doc-button">{t(`${P}.cta.button`)}</span>
            {s.intake.emails.filter(Boolean).length > 0 && (
              <span className="policy-doc-cta-alt">
                {t(`${P}.cta.orEmail`, { addresses: s.intake.emails.filter(Boolean).join(', ') })}
              </span>
            )}
          </div>
        </div>
        <div className="policy-doc-lead">
          <Prose text={s.introduction[language]} ctx={ctx} />
        </div>
        <Facts s={s} ctx={ctx} />
        <div className="policy-doc-document">
          {sections.map((section) => (
            <section
              key={section.id}
              className="policy-doc-section"
              aria-labelledby={`preview-${section.id}`}
            >
              <h2 id={`preview-${section.id}`}>{section.title}</h2>
              {section.body}
            </section>
          ))}
        </div>
      </div>
    </article>
  );
}

type Part = { s: PolicySettings; ctx: Ctx };

function Facts({ s, ctx }: Part) {
  const { t, language } = ctx;
  const sl = s.serviceLevels;
  const facts: [string, string][] = [];
  const within = (d: PolicyDuration) => t(`${P}.facts.within`, { duration: duration(t, d) });
  if (usable(sl.acknowledgement)) facts.push([t(`${P}.facts.acknowledgement`), within(sl.acknowledgement)]);
  if (usable(sl.firstResponse) && !(usable(sl.assessment) && sameDuration(sl.firstResponse, sl.assessment))) {
    facts.push([t(`${P}.facts.firstResponse`), within(sl.firstResponse)]);
  }
  if (usable(sl.assessment)) facts.push([t(`${P}.facts.assessment`), within(sl.assessment)]);
  if (sl.resolution.kind === 'fixed' && usable(sl.resolution.within)) {
    facts.push([t(`${P}.facts.resolution`), within(sl.resolution.within)]);
  }
  if (sl.resolution.kind === 'by_severity')
    facts.push([t(`${P}.facts.resolution`), t(`${P}.facts.bySeverity`)]);
  const languages = s.intake.languages.filter((code) => /^[a-z]{2}$/.test(code));
  facts.push([
    t(`${P}.facts.languages`),
    languages.length > 0
      ? joinList(
          languages.map((code) => languageName(code, language)),
          language,
          'conjunction',
        )
      : t(`${P}.facts.anyLanguage`),
  ]);
  facts.push([
    t(`${P}.facts.anonymous`),
    s.intake.identities.includes('anonymous') ? t(`${P}.facts.anonymousYes`) : t(`${P}.facts.anonymousNo`),
  ]);
  const r = s.rewards;
  // No rewards: no line about them (the organisation wrote nothing, not "none").
  if (r.kind === 'discretionary') facts.push([t(`${P}.facts.rewards`), t(`${P}.facts.rewardsDiscretionary`)]);
  if (r.kind === 'table') {
    const range = moneyRange(
      Math.min(...SEVERITIES.map((x) => r.bySeverity[x].min)),
      Math.max(...SEVERITIES.map((x) => r.bySeverity[x].max)),
      /^[A-Z]{3}$/.test(r.currency) ? r.currency : 'EUR',
      language,
    );
    facts.push([t(`${P}.facts.rewards`), range]);
  }
  return (
    <section className="policy-doc-facts" aria-labelledby="preview-facts">
      <h2 id="preview-facts" className="policy-doc-facts-title">
        {t(`${P}.facts.heading`)}
      </h2>
      <dl className="policy-doc-facts-list">
        {facts.map(([term, value]) => (
          <div key={term} className="policy-doc-fact">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ReportSection({ s, ctx }: Part) {
  const { t, language } = ctx;
  const intake = s.intake;
  const emails = intake.emails.filter(Boolean);
  const who: ReactNode[] = [];
  const ways = intake.identities.map((mode) => t(`${P}.identity.${mode}`));
  if (intake.identities.length === 1 && intake.identities[0] === 'named')
    who.push(t(`${P}.identity.namedOnly`));
  else if (ways.length > 0) {
    const identity = t(`${P}.identity.ways`, { ways: joinList(ways, language, 'disjunction') });
    who.push(
      intake.identities.includes('anonymous') ? identity : `${identity} ${t(`${P}.identity.noAnonymous`)}`,
    );
  }
  if (intake.requiredContact.length > 0) {
    const fields = joinList(
      intake.requiredContact.map((field) => t(`${P}.contact.${field}`)),
      language,
      'conjunction',
    );
    who.push(
      t(`${P}.contact.${intake.identities.includes('anonymous') ? 'requiredUnlessAnonymous' : 'required'}`, {
        fields,
      }),
    );
  }
  const languages = intake.languages.filter((code) => /^[a-z]{2}$/.test(code));
  who.push(
    languages.length > 0
      ? t(`${P}.languages.some`, {
          languages: joinList(
            languages.map((code) => languageName(code, language)),
            language,
            'disjunction',
          ),
        })
      : t(`${P}.languages.any`),
  );

  return (
    <>
      <p>
        <Sentence
          t={t}
          k={`${P}.report.form`}
          parts={{ form: <FakeLink>{t(`${P}.report.formLink`)}</FakeLink> }}
        />
      </p>
      {emails.length > 0 && (
        <p>
          <Sentence
            t={t}
            k={`${P}.report.email`}
            parts={{
              addresses: emails.map((email, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: two addresses may be the same while being edited.
                <Fragment key={index}>
                  {index > 0 && (language === 'nl' ? ' of ' : ' or ')}
                  <FakeLink>{email}</FakeLink>
                </Fragment>
              )),
            }}
          />
        </p>
      )}
      <p>
        <Sentence
          t={t}
          k={`${P}.report.encrypt`}
          parts={{ key: <FakeLink>{t(`${P}.report.pgpKeyLink`)}</FakeLink> }}
        />
      </p>
      <p>
        <Sentence t={t} k={`${P}.report.securityTxt`} parts={{ file: <FakeLink>security.txt</FakeLink> }} />
      </p>
      <h3>{t(`${P}.report.whoHeading`)}</h3>
      {who.map((sentence, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed order of generated sentences.
        <p key={index}>{sentence}</p>
      ))}
      {intake.requestedDetails.length > 0 && (
        <>
          <h3>{t(`${P}.details.heading`)}</h3>
          <ul className="policy-doc-plain">
            {intake.requestedDetails.map((detail) => (
              <li key={detail}>{t(`${P}.details.${detail}`)}</li>
            ))}
          </ul>
        </>
      )}
      <h3>{t(`${P}.attachments.heading`)}</h3>
      <Attachments s={s} ctx={ctx} />
    </>
  );
}

function Attachments({ s, ctx }: Part) {
  const { t, language } = ctx;
  const a = s.intake.attachments;
  const out: string[] = [];
  if (a.allowed.length === 0 || a.maxFiles === 0) out.push(t(`${P}.attachments.none`));
  else {
    out.push(
      t(`${P}.attachments.allowed`, {
        kinds: joinList(
          a.allowed.map((kind) => t(`${P}.attachments.kind.${kind}`)),
          language,
          'conjunction',
        ),
        files: t(`${P}.attachments.files`, { count: Number.isFinite(a.maxFiles) ? a.maxFiles : 0 }),
        size: Number.isFinite(a.maxBytes) ? formatSize(a.maxBytes, language) : '–',
      }),
    );
  }
  if (a.passwordProtectedAccepted) {
    const protectedDocument = t(`${P}.attachments.passwordProtected`);
    out.push(
      a.passwordChannel === 'none'
        ? protectedDocument
        : `${protectedDocument} ${t(`${P}.attachments.passwordChannel.${a.passwordChannel}`)}`,
    );
  }
  return (
    <>
      {out.map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
    </>
  );
}

function AssetItems({ assets, ctx, variant }: { assets: PolicyAsset[]; ctx: Ctx; variant: 'in' | 'out' }) {
  const { t, language, org } = ctx;
  return (
    <ul className={`policy-doc-assets is-${variant}`}>
      {assets.map((asset, index) => {
        const note = asset.note ? fillOrganisation(asset.note[language], org).trim() : '';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: two assets may share a target while being edited.
          <li key={index} className="policy-doc-asset">
            <span className="policy-doc-asset-target">
              {asset.target.trim() || <Missing>{t(`${P}.missingTarget`)}</Missing>}
            </span>{' '}
            <span className="policy-doc-asset-kind">{t(`${P}.assetKind.${asset.kind}`)}</span>
            {note && <span className="policy-doc-asset-note">{note}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function ScopeSection({ s, ctx }: Part) {
  const { t, org } = ctx;
  const scope = s.scope;
  return (
    <>
      <h3>{t(`${P}.scope.inHeading`)}</h3>
      {scope.inScope.length > 0 ? (
        <AssetItems assets={scope.inScope} ctx={ctx} variant="in" />
      ) : (
        <p>{t(`${P}.scope.everything`, { organisation: org })}</p>
      )}
      {scope.outOfScope.length > 0 && (
        <>
          <h3>{t(`${P}.scope.outHeading`)}</h3>
          <AssetItems assets={scope.outOfScope} ctx={ctx} variant="out" />
        </>
      )}
      {scope.exclusions.length > 0 && (
        <>
          <h3>{t(`${P}.scope.exclusionsHeading`)}</h3>
          <p>{t(`${P}.scope.exclusionsIntro`)}</p>
          <ul className="policy-doc-plain">
            {scope.exclusions.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: list items are edited in place.
              <li key={index}>{inline(item, ctx)}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** The promises as sentences, in the public page's order; empty when the policy promises nothing. */
function promiseSentences(s: PolicySettings, t: TFunction): string[] {
  const sl = s.serviceLevels;
  const fa = s.firstAssessment;
  const items: string[] = [];
  if (usable(sl.acknowledgement)) {
    items.push(t(`${P}.promise.acknowledgement`, { duration: duration(t, sl.acknowledgement) }));
  }
  if (usable(sl.firstResponse) && usable(sl.assessment) && sameDuration(sl.firstResponse, sl.assessment)) {
    // One answer that is both the first response and the assessment: said once.
    items.push(t(`${P}.promise.responseWithAssessment`, { duration: duration(t, sl.assessment) }));
    if (fa.includesExpectedFixDate) items.push(t(`${P}.promise.includesFixDate`));
  } else {
    if (usable(sl.firstResponse)) {
      items.push(t(`${P}.promise.firstResponse`, { duration: duration(t, sl.firstResponse) }));
    }
    if (fa.includesAssessment && fa.includesExpectedFixDate) items.push(t(`${P}.promise.firstIncludesBoth`));
    else if (fa.includesAssessment) items.push(t(`${P}.promise.firstIncludesAssessment`));
    else if (fa.includesExpectedFixDate) items.push(t(`${P}.promise.firstIncludesFixDate`));
    if (usable(sl.assessment))
      items.push(t(`${P}.promise.assessment`, { duration: duration(t, sl.assessment) }));
  }
  // No resolution deadline promises nothing about a solution, so nothing is said about one.
  const r = sl.resolution;
  if (r.kind === 'fixed' && usable(r.within)) {
    items.push(t(`${P}.promise.resolutionFixed`, { duration: duration(t, r.within) }));
  } else if (r.kind === 'by_severity') items.push(t(`${P}.promise.resolutionBySeverity`));
  if (sl.mayDependOnSuppliers) items.push(t(`${P}.promise.suppliers`));
  const progress = s.progressUpdates;
  if (progress.kind === 'milestones') items.push(t(`${P}.promise.progressMilestones`));
  if (progress.kind === 'interval' && Number.isFinite(progress.everyDays)) {
    items.push(t(`${P}.promise.progressEvery`, { count: progress.everyDays }));
  }
  return items;
}

function PromisesSection({ s, ctx }: Part) {
  const { t, language } = ctx;
  const sl = s.serviceLevels;
  const r = sl.resolution;
  const items = promiseSentences(s, t);

  // Every deadline the page states, so that "working days" is explained whenever one counts them.
  const durations = [sl.acknowledgement, sl.firstResponse, sl.assessment];
  if (r.kind === 'fixed') durations.push(r.within);
  if (r.kind === 'by_severity') durations.push(...SEVERITIES.map((severity) => r[severity]));
  const usesWorkingDays = durations.some((d) => d?.unit === 'business_days');
  const cal = s.calendar;
  const days =
    new Set(cal.workingDays).size === 7
      ? t(`${P}.calendar.everyDay`)
      : formatWorkingDays(t, cal.workingDays, language);

  return (
    <>
      <ul className="policy-doc-checks">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      {r.kind === 'by_severity' && (
        <dl className="policy-doc-severity-times">
          {SEVERITIES.map((severity) => (
            <div key={severity}>
              <dt>
                <span className={`policy-severity policy-severity-${severity}`}>
                  {t(`web.policy.options.severity.${severity}`)}
                </span>
              </dt>
              <dd>
                {usable(r[severity]) ? t(`${P}.facts.within`, { duration: duration(t, r[severity]) }) : '–'}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {usesWorkingDays && (
        <p className="policy-doc-fine">
          {cal.holidays
            ? t(`${P}.calendar.workingDaysHolidays`, {
                days,
                country: countryName(cal.holidays.country, language),
              })
            : t(`${P}.calendar.workingDays`, { days })}
        </p>
      )}
    </>
  );
}

function RulesSection({ s, ctx }: Part) {
  const { t } = ctx;
  if (s.rules.do.length === 0 && s.rules.dont.length === 0) {
    return (
      <p>
        <Missing>{t(`${P}.noRules`)}</Missing>
      </p>
    );
  }
  return (
    <>
      {s.rules.do.length > 0 && (
        <>
          <h3>{t(`${P}.rules.doHeading`)}</h3>
          <ul className="policy-doc-checks">
            {s.rules.do.map((rule, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: list items are edited in place.
              <li key={index}>{inline(rule, ctx)}</li>
            ))}
          </ul>
        </>
      )}
      {s.rules.dont.length > 0 && (
        <>
          <h3>{t(`${P}.rules.dontHeading`)}</h3>
          <ul className="policy-doc-checks is-dont">
            {s.rules.dont.map((rule, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: list items are edited in place.
              <li key={index}>{inline(rule, ctx)}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function RewardsSection({ s, ctx }: Part) {
  const { t, language } = ctx;
  const r = s.rewards;
  if (r.kind === 'none') return null;
  const hasNote = r.note[language].trim() !== '';
  if (r.kind === 'discretionary') {
    // The organisation's own words, when it wrote them, say this better than generated sentences.
    if (hasNote) return <Prose text={r.note[language]} ctx={ctx} />;
    const dependsOn =
      r.dependsOnSeverity && r.dependsOnReportQuality
        ? 'dependsOnBoth'
        : r.dependsOnSeverity
          ? 'dependsOnSeverity'
          : r.dependsOnReportQuality
            ? 'dependsOnQuality'
            : null;
    return (
      <p>
        {t(`${P}.rewards.discretionary`)}
        {dependsOn && ` ${t(`${P}.rewards.${dependsOn}`)}`}
      </p>
    );
  }
  const currency = /^[A-Z]{3}$/.test(r.currency) ? r.currency : 'EUR';
  return (
    <>
      <p>{t(`${P}.rewards.table`)}</p>
      <table className="policy-doc-table">
        <thead>
          <tr>
            <th scope="col" className="policy-doc-cell">
              {t(`${P}.rewards.severity`)}
            </th>
            <th scope="col" className="policy-doc-cell">
              {t(`${P}.rewards.amount`)}
            </th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((severity) => (
            <tr key={severity}>
              <th scope="row" className="policy-doc-cell">
                <span className={`policy-severity policy-severity-${severity}`}>
                  {t(`web.policy.options.severity.${severity}`)}
                </span>
              </th>
              <td className="policy-doc-cell policy-doc-amount">
                {moneyRange(r.bySeverity[severity].min, r.bySeverity[severity].max, currency, language)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.dependsOnReportQuality && <p>{t(`${P}.rewards.qualityWithinRange`)}</p>}
      {hasNote && <Prose text={r.note[language]} ctx={ctx} />}
    </>
  );
}

function CreditSection({ s, ctx }: Part) {
  const { t } = ctx;
  const items: ReactNode[] = [];
  if (s.credit.hallOfFame) {
    items.push(
      <Sentence
        key="hall"
        t={t}
        k={`${P}.credit.hallOfFame`}
        parts={{ link: <FakeLink>{t(`${P}.credit.hallOfFameLink`)}</FakeLink> }}
      />,
    );
  }
  if (s.credit.creditInAdvisories) items.push(t(`${P}.credit.advisories`));
  return (
    <>
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed order of generated sentences.
        <p key={index}>{item}</p>
      ))}
    </>
  );
}

/** When and how a problem is made public, as sentences; empty when the policy says nothing about it. */
function disclosureSentences(s: PolicySettings, t: TFunction): string[] {
  const d = s.disclosure;
  const items: string[] = [];
  const embargo = d.defaultEmbargoDays !== null && Number.isFinite(d.defaultEmbargoDays);
  if (d.publicationOnlyByAgreement && embargo) {
    // Agreed with the reporter, and the embargo is the fallback when no agreement is reached.
    items.push(t(`${P}.disclosure.agree`));
    items.push(t(`${P}.disclosure.embargo`, { count: d.defaultEmbargoDays }));
  } else if (d.publicationOnlyByAgreement) {
    items.push(t(`${P}.disclosure.byAgreement`));
  } else if (embargo) {
    items.push(t(`${P}.disclosure.embargo`, { count: d.defaultEmbargoDays }));
  }
  if (d.requiresAllPartiesInformed && d.requiresResolution)
    items.push(t(`${P}.disclosure.informedAndResolved`));
  else if (d.requiresAllPartiesInformed) items.push(t(`${P}.disclosure.informed`));
  else if (d.requiresResolution) items.push(t(`${P}.disclosure.resolved`));
  if (d.mayAgreeNeverToPublish) items.push(t(`${P}.disclosure.never`));
  if (d.confidential) items.push(t(`${P}.disclosure.confidential`));
  return items;
}
