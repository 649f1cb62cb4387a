import type { Config } from './config.ts';
import type { Db } from './database.ts';
import type { ProofOfWork } from './intake/proof-of-work.ts';
import type { BlobStore } from './platform/blobs.ts';
import type { Clock } from './platform/clock.ts';
import type { Keyring, PasswordHashParams } from './platform/crypto.ts';
import type { Engine } from './platform/db.ts';
import type { Translate } from './platform/i18n.ts';
import type { Jobs } from './platform/jobs.ts';
import type { Logger } from './platform/logger.ts';
import type { Mailer } from './platform/mailer.ts';
import type { Notifier } from './platform/notifier.ts';
import type { RateLimiter } from './platform/rate-limiter.ts';

export type RateLimits = {
  /** Failed sign-ins per e-mail address and per client. */
  signInPerAccount: RateLimiter;
  signInPerClient: RateLimiter;
  /** Password-reset and other e-mail-sending requests per client. */
  mailRequestsPerClient: RateLimiter;
  /** E-mails of one kind to one address, whoever asks. */
  mailsPerAccount: RateLimiter;
  /** Report submissions (web form and API) per client. */
  submissionsPerClient: RateLimiter;
  /** Messages a reporter posts on one case. */
  reporterMessagesPerCase: RateLimiter;
  /** Text messages (SMS) sent to the reporter of one case, whoever on the team asks. */
  textsPerCase: RateLimiter;
  /** Team e-mails about unverified mail replies on one case (anyone who knows a Message-ID can send those). */
  unverifiedNoticesPerCase: RateLimiter;
  /** Every API request per client; `false` turns the HTTP-wide limit off. */
  http: { max: number; windowMs: number } | false;
};

/** Everything a use case may touch; built once in main.ts (or by a test) and passed down. */
export type Deps = Readonly<{
  config: Config;
  db: Db;
  engine: Engine;
  clock: Clock;
  keyring: Keyring;
  jobs: Jobs;
  mailer: Mailer;
  /** Text messages (SMS): a webhook provider, or the development outbox. */
  notifier: Notifier;
  /** Attachments and other large binary things, stored encrypted (platform/blobs.ts). */
  blobs: BlobStore;
  translate: Translate;
  log: Logger;
  limits: RateLimits;
  passwordParams: PasswordHashParams;
  /** ALTCHA proof-of-work for web and anonymous submissions; null turns it off (load tests). */
  proofOfWork: ProofOfWork | null;
  /** Checks the database is reachable and migrations are current (readiness). */
  readiness(): Promise<{ ready: boolean; reason?: string }>;
}>;
