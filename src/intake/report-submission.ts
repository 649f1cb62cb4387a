import { isIP } from 'node:net';
import { z } from 'zod';
import { IDENTITY_MODES } from '../policies/policy-vocabulary.ts';

/**
 * Text PostgreSQL can store as sent: no NUL, no lone surrogate. The app refuses both in JSON bodies
 * before validation; the JSON part of a multipart body comes through here only.
 */
const storable = (value: string) => !value.includes('\u0000') && value.isWellFormed();
const STORABLE_MESSAGE = 'Contains a NUL character or broken Unicode.';
const text = (max: number) => z.string().trim().max(max).refine(storable, STORABLE_MESSAGE);
const optionalText = (max: number) => text(max).optional().default('');

/** An IPv4/IPv6 address, optionally with a CIDR prefix: the affected systems a reporter names. */
const ipAddress = z
  .string()
  .trim()
  .max(64)
  .refine((value) => {
    const [address = '', prefix, ...rest] = value.split('/');
    if (rest.length > 0 || isIP(address) === 0) return false;
    if (prefix === undefined) return true;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max;
  }, 'an IPv4 or IPv6 address, optionally with /prefix');

export const reporterSchema = z
  .object({
    identity: z.enum(IDENTITY_MODES),
    name: text(200).optional(),
    alias: text(100).optional(),
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{4,28}[0-9]$/, 'a phone number such as +31 6 12345678')
      .optional(),
    openpgpKey: z
      .string()
      .trim()
      .max(50_000)
      .regex(
        /^-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]+-----END PGP PUBLIC KEY BLOCK-----$/,
        'an ASCII-armored OpenPGP public key',
      )
      .refine(storable, STORABLE_MESSAGE)
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (r.identity === 'named' && !r.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'a named report needs a name', input: r.name });
    }
    if (r.identity === 'alias' && !r.alias) {
      ctx.addIssue({
        code: 'custom',
        path: ['alias'],
        message: 'a report under an alias needs the alias',
        input: r.alias,
      });
    }
    if (r.identity !== 'named' && r.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'give a name only for a named report',
        input: r.name,
      });
    }
  })
  .meta({ id: 'Reporter' });

/**
 * A report as the web form and the API take it. Empty optional texts are ''. Contact details are
 * optional here: what is required depends on the organisation's policy (submit-report.ts).
 */
export const reportSubmissionSchema = z
  .object({
    title: text(200).min(3),
    /** Affected assets and full URLs, one per entry. */
    assets: z.array(text(2000).min(1)).max(50).optional().default([]),
    ipAddresses: z.array(ipAddress).max(50).optional().default([]),
    /** Objects involved: parameters, input fields, filters. */
    objects: optionalText(10_000),
    /** What the weakness is and how to reproduce it. */
    steps: text(100_000).min(10),
    impact: optionalText(20_000),
    proofOfConcept: optionalText(100_000),
    cwe: z
      .string()
      .trim()
      .regex(/^CWE-[0-9]{1,6}$/, 'e.g. CWE-79')
      .nullable()
      .optional(),
    reporter: reporterSchema,
    credit: z
      .object({ wanted: z.boolean(), name: text(120).optional() })
      .optional()
      .default({ wanted: false }),
    /** The language the reporter wants to be answered in. */
    language: z.enum(['nl', 'en']),
    /** The policy version the reporter read and accepts; null only before a policy is published. */
    acceptedPolicyVersion: z.number().int().min(1).nullable(),
    /** ALTCHA solution (web form, and anonymous API submissions). */
    altcha: z.string().max(10_000).optional(),
    /** A field people never see: a bot that fills it in is refused. */
    website: z.string().max(1000).optional(),
  })
  .meta({ id: 'ReportSubmission' });

export type ReportSubmission = z.output<typeof reportSubmissionSchema>;

/** Import: a report received elsewhere, with when and how it first came in. */
export const reportImportSchema = z
  .object({
    report: reportSubmissionSchema.omit({ altcha: true, website: true, acceptedPolicyVersion: true }),
    receivedAt: z.iso.datetime({ offset: true }),
    channel: z.enum(['email', 'web', 'api', 'import']).default('import'),
    /** Where it came from, e.g. "old security@ mailbox" or "HackerOne #12345". */
    source: text(200).optional(),
    /** Send the reporter an acknowledgement now (off by default: they may have had one long ago). */
    acknowledge: z.boolean().default(false),
  })
  .meta({ id: 'ReportImport' });
export type ReportImport = z.output<typeof reportImportSchema>;
