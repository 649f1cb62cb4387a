import { z } from 'zod';
import {
  ASSET_KINDS,
  ATTACHMENT_KINDS,
  CONTACT_FIELDS,
  DURATION_UNITS,
  IDENTITY_MODES,
  MIN_ATTACHMENT_BYTES,
  PASSWORD_CHANNELS,
  REPORT_DETAILS,
  type SEVERITIES,
} from './policy-vocabulary.ts';

export {
  ASSET_KINDS,
  ATTACHMENT_KINDS,
  CONTACT_FIELDS,
  IDENTITY_MODES,
  MIN_ATTACHMENT_BYTES,
  REPORT_DETAILS,
  SEVERITIES,
} from './policy-vocabulary.ts';

/**
 * A responsible-disclosure policy as settings the rest of Haven enforces, plus the readable text an
 * organisation shows the world, always in Dutch and English. One schema: the API validates with it,
 * OpenAPI documents it, presets are written against it, published versions are stored as it.
 */

const text = (max = 4000) => z.string().trim().max(max);

/**
 * The same text in both languages, or in neither. Texts may use {{organisation}}, filled in when
 * shown. One language alone would silently drop the text from the other language's page.
 */
export const bilingual = (max = 4000) =>
  z.object({ nl: text(max), en: text(max) }).superRefine((value, ctx) => {
    if ((value.nl === '') === (value.en === '')) return;
    ctx.addIssue({
      code: 'custom',
      message: 'write this text in both languages, or leave both empty',
      path: [value.nl === '' ? 'nl' : 'en'],
      input: value,
    });
  });
export type Bilingual = z.infer<ReturnType<typeof bilingual>>;

/**
 * A list without repeats, at most `max` long. A repeat is reported on the repeated entry; `key`
 * says when two entries are the same (e.g. e-mail addresses regardless of case).
 */
function uniqueList<T extends z.ZodType>(
  item: T,
  max: number,
  key: (value: z.output<T>) => unknown = (value) => value,
) {
  return z
    .array(item)
    .max(max)
    .superRefine((list, ctx) => {
      const seen = new Set<unknown>();
      list.forEach((value, index) => {
        const k = key(value);
        if (seen.has(k)) {
          ctx.addIssue({ code: 'custom', message: 'listed more than once', path: [index], input: value });
        }
        seen.add(k);
      });
    });
}

/** A text that must be written in both languages. */
const requiredBilingual = (max = 4000) => z.object({ nl: text(max).min(1), en: text(max).min(1) });

const asset = z
  .object({
    kind: z.enum(ASSET_KINDS),
    /** e.g. `*.example.org`, `https://app.example.org/`, `192.0.2.0/24`, `Example app for iOS`. */
    target: text(300).min(1),
    note: bilingual(500).optional(),
  })
  .meta({ id: 'PolicyAsset' });

export type IdentityMode = (typeof IDENTITY_MODES)[number];

export type Severity = (typeof SEVERITIES)[number];

const duration = z
  .object({
    amount: z.number().int().min(1).max(3650),
    unit: z.enum(DURATION_UNITS),
  })
  .meta({ id: 'PolicyDuration' });
export type PolicyDuration = z.infer<typeof duration>;

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const time = z.string().regex(TIME, 'use HH:MM');

const money = z.number().int().min(0).max(100_000_000); // minor units (cents)

const rewardRange = z
  .object({ min: money, max: money })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });

const rewards = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({
      kind: z.literal('discretionary'),
      /** The size depends on severity and on the quality of the report. */
      dependsOnSeverity: z.boolean(),
      dependsOnReportQuality: z.boolean(),
      note: bilingual(1000),
    }),
    z.object({
      kind: z.literal('table'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
      bySeverity: z.object({
        critical: rewardRange,
        high: rewardRange,
        medium: rewardRange,
        low: rewardRange,
      }),
      dependsOnReportQuality: z.boolean(),
      note: bilingual(1000),
    }),
  ])
  .meta({ id: 'PolicyRewards' });

export const policySettingsSchema = z
  .object({
    /** Short introduction above the policy. */
    introduction: requiredBilingual(4000),
    scope: z.object({
      inScope: z.array(asset).max(200),
      outOfScope: z.array(asset).max(200),
      /** What kinds of finding are out of scope (e.g. missing headers without impact). */
      exclusions: z.array(requiredBilingual(500)).max(100),
    }),
    rules: z.object({
      /** What a reporter is asked to do. */
      do: z.array(requiredBilingual(1000)).max(50),
      /** What a reporter must not do. */
      dont: z.array(requiredBilingual(1000)).max(50),
      safeHarbour: requiredBilingual(4000),
      privacy: bilingual(4000),
      /** Anything else the organisation promises or asks, each a sentence. */
      other: z.array(requiredBilingual(1000)).max(50),
    }),
    intake: z.object({
      identities: uniqueList(z.enum(IDENTITY_MODES), IDENTITY_MODES.length).min(1),
      requiredContact: uniqueList(z.enum(CONTACT_FIELDS), CONTACT_FIELDS.length),
      /** ISO 639-1 codes of the languages reports may be written in; empty: any language. */
      languages: uniqueList(z.string().regex(/^[a-z]{2}$/), 20),
      requestedDetails: uniqueList(z.enum(REPORT_DETAILS), REPORT_DETAILS.length),
      attachments: z
        .object({
          allowed: uniqueList(z.enum(ATTACHMENT_KINDS), ATTACHMENT_KINDS.length),
          maxBytes: z
            .number()
            .int()
            .min(0)
            .max(100 * 1024 * 1024),
          maxFiles: z.number().int().min(0).max(50),
          passwordProtectedAccepted: z.boolean(),
          /** How the password reaches the team, e.g. by text message. */
          passwordChannel: z.enum(PASSWORD_CHANNELS),
        })
        .superRefine((a, ctx) => {
          if (a.allowed.length > 0 && a.maxBytes < MIN_ATTACHMENT_BYTES) {
            ctx.addIssue({
              code: 'custom',
              message: `allow at least ${MIN_ATTACHMENT_BYTES} bytes per file when files are accepted`,
              path: ['maxBytes'],
              input: a.maxBytes,
            });
          }
        }),
      /**
       * Addresses that take reports by e-mail (shown in security.txt and on the policy page). At most
       * 254 characters (RFC 5321), which also keeps the organisation key's user ID within bounds.
       */
      emails: uniqueList(z.email().max(254), 5, (email) => email.toLowerCase()),
    }),
    serviceLevels: z.object({
      acknowledgement: duration.nullable(),
      firstResponse: duration.nullable(),
      assessment: duration.nullable(),
      resolution: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('none') }),
          z.object({ kind: z.literal('fixed'), within: duration }),
          z.object({
            kind: z.literal('by_severity'),
            critical: duration,
            high: duration,
            medium: duration,
            low: duration,
          }),
        ])
        .meta({ id: 'PolicyResolution' }),
      /** The resolution time may depend on suppliers; said to reporters. */
      mayDependOnSuppliers: z.boolean(),
    }),
    calendar: z.object({
      /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
      workingDays: uniqueList(z.number().int().min(1).max(7), 7).min(1),
      /** One span within a day: start before end. */
      workingHours: z.object({ start: time, end: time }).superRefine((h, ctx) => {
        // Valid HH:MM strings compare like the times they are; an invalid one has its own error.
        if (TIME.test(h.start) && TIME.test(h.end) && h.start >= h.end) {
          ctx.addIssue({ code: 'custom', message: 'end must be after start', path: ['end'], input: h.end });
        }
      }),
      /** Public holidays by country (ISO 3166-1) and optional region, as date-holidays knows them. */
      holidays: z
        .object({ country: z.string().regex(/^[A-Z]{2}$/), region: z.string().max(10).optional() })
        .nullable(),
    }),
    firstAssessment: z.object({
      /** The first substantive answer includes an initial assessment of the report. */
      includesAssessment: z.boolean(),
      /** … and, where possible, an expected date for a solution. */
      includesExpectedFixDate: z.boolean(),
    }),
    /**
     * How the reporter hears how things stand while the case is open: not promised (`none`), at
     * each milestone, or at least every `everyDays` days.
     */
    progressUpdates: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('milestones') }),
        z.object({ kind: z.literal('interval'), everyDays: z.number().int().min(1).max(365) }),
      ])
      .meta({ id: 'PolicyProgressUpdates' }),
    rewards,
    credit: z.object({
      hallOfFame: z.boolean(),
      /** Reporters may be named as discoverer (in advisories), if they wish. */
      creditInAdvisories: z.boolean(),
    }),
    disclosure: z.object({
      /**
       * Days after which publication is the default; null: no default embargo. Together with
       * `publicationOnlyByAgreement` it is the fallback: publication is agreed with the reporter,
       * and if no agreement is reached, the problem may be made public after this many days.
       */
      defaultEmbargoDays: z.number().int().min(1).max(3650).nullable(),
      /** Publication is agreed between the reporter and the organisation. */
      publicationOnlyByAgreement: z.boolean(),
      /** Publication waits until every organisation involved is informed and the problem is solved. */
      requiresAllPartiesInformed: z.boolean(),
      requiresResolution: z.boolean(),
      /** The parties may agree never to publish. */
      mayAgreeNeverToPublish: z.boolean(),
      confidential: z.boolean(),
    }),
    notifications: z.object({
      /** E-mail to a reporter without an OpenPGP key may carry the message text (otherwise: only a notice). */
      clearTextAllowed: z.boolean(),
    }),
  })
  .meta({ id: 'PolicySettings' });

export type PolicySettings = z.infer<typeof policySettingsSchema>;
