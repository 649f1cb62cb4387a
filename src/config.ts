import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Accepts `false`, `true`, a hop count, or a comma-separated list of proxy addresses/CIDRs/keywords. */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string[] => {
    const lower = value.toLowerCase();
    if (lower === '' || lower === 'false' || lower === '0' || lower === 'no') return false;
    if (lower === 'true') return true;
    if (/^[1-9][0-9]?$/.test(lower)) return Number(lower);
    const entries = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ok = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/[0-9]{1,3})?)$/;
    const bad = entries.filter((e) => !ok.test(e));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected false, true, a hop count, or proxy addresses (IP, CIDR, loopback, linklocal, uniquelocal); not understood: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const masterKey = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(value)
      ? Buffer.from(value, 'hex')
      : Buffer.from(value, 'base64url');
    if (bytes.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(value) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(value))) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be 32 random bytes, as 64 hex digits or 43 base64 characters (haven master-key generate)',
      });
      return z.NEVER;
    }
    return bytes;
  });

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v),
    'must be a postgres:// or postgresql:// URL',
  );

const smtpUrl = z
  .string()
  .trim()
  .refine((v) => /^smtps?:\/\//.test(v) && URL.canParse(v), 'must be an smtp:// or smtps:// URL');

/** A DNS name: letters, digits and hyphens in dot-separated labels. */
const dnsName = (example: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
      `must be a DNS name such as ${example}`,
    );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const environmentSchema = z.object({
  HAVEN_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  HAVEN_HOST: z.preprocess(emptyAsUndefined, z.string().default('localhost')),
  HAVEN_PORT: z.preprocess(emptyAsUndefined, port(8080)),
  HAVEN_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http:// or https:// URL')
      .optional(),
  ),
  HAVEN_TRUST_PROXY: z.preprocess(emptyAsUndefined, trustProxy.default(false)),
  DATABASE_URL: z.preprocess(emptyAsUndefined, databaseUrl.optional()),
  SMTP_URL: z.preprocess(emptyAsUndefined, smtpUrl.optional()),
  HAVEN_MAIL_FROM: z.preprocess(emptyAsUndefined, z.email().optional()),
  HAVEN_MASTER_KEY: z.preprocess(emptyAsUndefined, masterKey.optional()),
  HAVEN_LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default('info')),
  HAVEN_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
  HAVEN_DKIM_DOMAIN: z.preprocess(emptyAsUndefined, dnsName('example.org').optional()),
  HAVEN_DKIM_SELECTOR: z.preprocess(emptyAsUndefined, dnsName('haven2026').optional()),
  HAVEN_DKIM_PRIVATE_KEY_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  HAVEN_SMS_WEBHOOK_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http:// or https:// URL')
      .optional(),
  ),
  HAVEN_SMS_WEBHOOK_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  HAVEN_SMTP_PORT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'off' ? '0' : emptyAsUndefined(v)),
    port(2525),
  ),
  HAVEN_SMTP_HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  HAVEN_SMTP_MAX_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(200 * 1024 * 1024)
      .default(30 * 1024 * 1024),
  ),
  HAVEN_SMTP_TLS_CERT: z.preprocess(emptyAsUndefined, z.string().optional()),
  HAVEN_SMTP_TLS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  HAVEN_IMAP_POLL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(86_400).default(60),
  ),
  HAVEN_IMAP_CA_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
});

export type Config = Readonly<{
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  trustProxy: boolean | number | string[];
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  masterKey: Buffer | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  demo: boolean;
  /** DKIM signing of outgoing mail (RFC 6376); the private key is PEM, read at start. */
  dkim: { domain: string; selector: string; privateKey: string } | undefined;
  /** Text messages go to this webhook as JSON `{ to, text }`; without it, to the sms-outbox directory. */
  smsWebhook: { url: string; token: string | undefined } | undefined;
  /** Inbound SMTP: undefined when turned off (`HAVEN_SMTP_PORT=0` or `off`). */
  smtp:
    | { host: string; port: number; maxBytes: number; tls: { certFile: string; keyFile: string } | undefined }
    | undefined;
  /** How often each organisation's IMAP mailbox is read. */
  imapPollSeconds: number;
  /** PEM certificates of private CAs trusted for IMAP servers, on top of Node's own roots. */
  imapCaCertificates: readonly string[] | undefined;
}>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * The file a setting names, read at start, and a way to report what is wrong with it as a problem
 * of that setting; undefined (the problem already reported) when the file cannot be read.
 */
function readSettingFile(
  setting: string,
  file: string,
  problems: string[],
): { text: string; problem: (text: string) => undefined } | undefined {
  const problem = (text: string) => {
    problems.push(`${setting}: ${text}`);
    return undefined;
  };
  try {
    return { text: fs.readFileSync(file, 'utf8'), problem };
  } catch (error) {
    return problem(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The DKIM private key, read and checked at start: a bad file stops Haven rather than letting it
 * send mail that fails DKIM. Nodemailer signs with RSA only.
 */
function readDkimKey(file: string, problems: string[]): string | undefined {
  const read = readSettingFile('HAVEN_DKIM_PRIVATE_KEY_FILE', file, problems);
  if (!read) return undefined;
  const { text: pem, problem } = read;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch {
    return problem(`${file} is not an unencrypted PEM private key (openssl genpkey -algorithm RSA)`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    return problem(`${file} holds an ${key.asymmetricKeyType} key; DKIM signing needs an RSA key`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024)
    return problem(`the RSA key in ${file} is too short for DKIM (use 2048 bits)`);
  return pem;
}

/**
 * The CA certificates of HAVEN_IMAP_CA_FILE, read and checked at start: a file that cannot be
 * read or holds no certificate stops Haven rather than failing every poll later.
 */
function readImapCaFile(file: string, problems: string[]): string[] | undefined {
  const read = readSettingFile('HAVEN_IMAP_CA_FILE', file, problems);
  if (!read) return undefined;
  const { text: pem, problem } = read;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return problem(`${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return problem(`certificate ${index + 1} in ${file} cannot be read`);
    }
  }
  return blocks;
}

/** Reads the environment once; every problem is reported, each on its own line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.DATABASE_URL && !e.HAVEN_MASTER_KEY) {
    problems.push(
      'HAVEN_MASTER_KEY: required when DATABASE_URL is set (every node must share the same key; generate one with `haven master-key generate`)',
    );
  }
  if (Boolean(e.HAVEN_SMTP_TLS_CERT) !== Boolean(e.HAVEN_SMTP_TLS_KEY)) {
    problems.push(
      'HAVEN_SMTP_TLS_CERT and HAVEN_SMTP_TLS_KEY: set both (PEM files) to offer STARTTLS, or neither',
    );
  }
  const dkimSettings = [e.HAVEN_DKIM_DOMAIN, e.HAVEN_DKIM_SELECTOR, e.HAVEN_DKIM_PRIVATE_KEY_FILE];
  const dkimSet = dkimSettings.filter((v) => v !== undefined).length;
  if (dkimSet > 0 && dkimSet < dkimSettings.length) {
    problems.push(
      'HAVEN_DKIM_DOMAIN, HAVEN_DKIM_SELECTOR and HAVEN_DKIM_PRIVATE_KEY_FILE: set all three to sign outgoing mail with DKIM, or none',
    );
  }
  const dkimKey =
    dkimSet === dkimSettings.length && e.HAVEN_DKIM_PRIVATE_KEY_FILE
      ? readDkimKey(e.HAVEN_DKIM_PRIVATE_KEY_FILE, problems)
      : undefined;
  const imapCaCertificates = e.HAVEN_IMAP_CA_FILE
    ? readImapCaFile(e.HAVEN_IMAP_CA_FILE, problems)
    : undefined;
  if (problems.length > 0) throw new ConfigError(problems);
  const publicUrl = (e.HAVEN_PUBLIC_URL ?? `http://localhost:${e.HAVEN_PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    dataDir: path.resolve(e.HAVEN_DATA_DIR),
    host: e.HAVEN_HOST,
    port: e.HAVEN_PORT,
    publicUrl,
    trustProxy: e.HAVEN_TRUST_PROXY,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.HAVEN_MAIL_FROM ?? `haven@${new URL(publicUrl).hostname}`,
    masterKey: e.HAVEN_MASTER_KEY,
    logLevel: e.HAVEN_LOG_LEVEL,
    demo: e.HAVEN_DEMO === '1' || e.HAVEN_DEMO === 'true',
    dkim:
      dkimKey && e.HAVEN_DKIM_DOMAIN && e.HAVEN_DKIM_SELECTOR
        ? { domain: e.HAVEN_DKIM_DOMAIN, selector: e.HAVEN_DKIM_SELECTOR, privateKey: dkimKey }
        : undefined,
    smsWebhook: e.HAVEN_SMS_WEBHOOK_URL
      ? { url: e.HAVEN_SMS_WEBHOOK_URL, token: e.HAVEN_SMS_WEBHOOK_TOKEN }
      : undefined,
    smtp:
      e.HAVEN_SMTP_PORT === 0
        ? undefined
        : {
            host: e.HAVEN_SMTP_HOST ?? e.HAVEN_HOST,
            port: e.HAVEN_SMTP_PORT,
            maxBytes: e.HAVEN_SMTP_MAX_BYTES,
            tls:
              e.HAVEN_SMTP_TLS_CERT && e.HAVEN_SMTP_TLS_KEY
                ? { certFile: e.HAVEN_SMTP_TLS_CERT, keyFile: e.HAVEN_SMTP_TLS_KEY }
                : undefined,
          },
    imapPollSeconds: e.HAVEN_IMAP_POLL_SECONDS,
    imapCaCertificates: imapCaCertificates ? Object.freeze(imapCaCertificates) : undefined,
  });
}
