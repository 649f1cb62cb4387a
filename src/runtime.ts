import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './database.ts';
import type { Deps, RateLimits } from './deps.ts';
import { altchaProofOfWork, DEFAULT_PROOF_OF_WORK, type ProofOfWorkOptions } from './intake/proof-of-work.ts';
import { allJobHandlers } from './jobs.ts';
import { fileBlobStore } from './platform/blobs.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { createKeyring, DEFAULT_PASSWORD_PARAMS, type PasswordHashParams } from './platform/crypto.ts';
import { type DataDirLock, lockDataDir, secureDataDir } from './platform/data-dir-lock.ts';
import { type DatabaseHandle, openDatabase } from './platform/db.ts';
import { createTranslator } from './platform/i18n.ts';
import { createJobs, type Jobs } from './platform/jobs.ts';
import { type KeyFile, loadOrCreateKeyFile, settleKeyFile, verifyMasterKey } from './platform/keys.ts';
import type { Logger } from './platform/logger.ts';
import { createMailer, type Mailer } from './platform/mailer.ts';
import { migrateToLatest, pendingMigrations } from './platform/migrate.ts';
import { createNotifier, type Notifier } from './platform/notifier.ts';
import { memoryRateLimiter } from './platform/rate-limiter.ts';

export type Runtime = {
  deps: Deps;
  database: DatabaseHandle<Database>;
  /** Stops job workers and closes the database (in that order). */
  close(): Promise<void>;
};

export type RuntimeOptions = {
  log: Logger;
  clock?: Clock;
  limits?: Partial<RateLimits>;
  passwordParams?: PasswordHashParams;
  mailer?: Mailer;
  notifier?: Notifier;
  /** Proof-of-work for submissions: null turns it off, a partial changes the defaults. */
  proofOfWork?: Partial<Omit<ProofOfWorkOptions, 'secret'>> | null;
  /** PGlite in memory, for tests: nothing touches the data dir. */
  inMemory?: boolean;
};

export function defaultRateLimits(): RateLimits {
  return {
    signInPerAccount: memoryRateLimiter({ limit: 10, windowMs: 15 * 60_000 }),
    signInPerClient: memoryRateLimiter({ limit: 30, windowMs: 5 * 60_000 }),
    mailRequestsPerClient: memoryRateLimiter({ limit: 10, windowMs: 15 * 60_000 }),
    mailsPerAccount: memoryRateLimiter({ limit: 3, windowMs: 60 * 60_000 }),
    submissionsPerClient: memoryRateLimiter({ limit: 20, windowMs: 10 * 60_000 }),
    reporterMessagesPerCase: memoryRateLimiter({ limit: 30, windowMs: 60 * 60_000 }),
    textsPerCase: memoryRateLimiter({ limit: 3, windowMs: 24 * 60 * 60_000 }),
    unverifiedNoticesPerCase: memoryRateLimiter({ limit: 3, windowMs: 60 * 60_000 }),
    http: { max: 600, windowMs: 60_000 },
  };
}

const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * Opens everything Haven needs, in order: data dir (made private, and locked to this process when
 * the database is embedded), master key, database, migrations, key check, job system. The lock comes
 * first: it covers making the key file, so two processes starting on a fresh data dir cannot each
 * make a key. What fails here fails before anything listens.
 */
export async function openRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const embedded = !config.databaseUrl;
  const onDisk = !options.inMemory;
  if (onDisk) {
    const secured = secureDataDir(config.dataDir, { create: embedded });
    if (secured.failed) {
      options.log.warn(
        { dataDir: config.dataDir, mode: octal(secured.tightenedFrom ?? 0), err: secured.failed },
        'the data dir is open to other users and Haven cannot change that: chmod 700 it',
      );
    } else if (secured.tightenedFrom !== undefined) {
      options.log.warn(
        { dataDir: config.dataDir, was: octal(secured.tightenedFrom) },
        'the data dir was open to other users: made it 0700',
      );
    }
  }
  const lock: DataDirLock | undefined = embedded && onDisk ? lockDataDir(config.dataDir) : undefined;
  let keyFile: KeyFile | undefined;
  let secret: Buffer;
  let database: DatabaseHandle<Database>;
  try {
    keyFile = embedded && onDisk && !config.masterKey ? loadOrCreateKeyFile(config.dataDir) : undefined;
    if (keyFile?.tightenedFrom !== undefined) {
      options.log.warn(
        { file: path.join(config.dataDir, 'master.key'), was: octal(keyFile.tightenedFrom) },
        'the master key file was readable by other users: made it 0600. Anyone who read it has the key: rotate it (haven master-key rotate)',
      );
    }
    const key = config.masterKey ?? keyFile?.secret;
    if (!key) throw new Error('no master key: set HAVEN_MASTER_KEY');
    secret = key;
    database = await openDatabase<Database>({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      inMemory: options.inMemory,
      lock, // handed over: the database handle releases it
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  let jobs: Jobs | undefined;
  try {
    await migrateToLatest(database.db);
    const candidates = keyFile?.pending ? [secret, keyFile.pending] : [secret];
    const master = await verifyMasterKey(database.db, candidates);
    if (keyFile) settleKeyFile(config.dataDir, master);

    const translate = await createTranslator();
    const mailer =
      options.mailer ??
      createMailer({
        smtpUrl: config.smtpUrl,
        outboxDir: path.join(config.dataDir, 'outbox'),
        from: config.mailFrom,
        dkim: config.dkim && {
          domainName: config.dkim.domain,
          keySelector: config.dkim.selector,
          privateKey: config.dkim.privateKey,
        },
        log: options.log,
        clock: options.clock,
      });
    let deps: Deps | undefined;
    const getDeps = () => {
      if (!deps) throw new Error('dependencies are not ready yet');
      return deps;
    };
    jobs = await createJobs({
      engine: database.engine,
      pglite: database.pglite,
      connectionString: database.connectionString,
      handlers: allJobHandlers(getDeps),
      log: options.log,
    });
    const db = database.db;
    const keyring = createKeyring(master);
    const proofOfWork =
      options.proofOfWork === null
        ? null
        : altchaProofOfWork({
            ...DEFAULT_PROOF_OF_WORK,
            ...options.proofOfWork,
            secret: keyring.purposeKey('altcha'),
          });
    deps = Object.freeze({
      config,
      db,
      engine: database.engine,
      clock: options.clock ?? systemClock,
      keyring,
      jobs,
      mailer,
      notifier:
        options.notifier ??
        createNotifier({
          webhookUrl: config.smsWebhook?.url,
          webhookToken: config.smsWebhook?.token,
          outboxDir: path.join(config.dataDir, 'sms-outbox'),
        }),
      blobs: fileBlobStore(path.join(config.dataDir, 'blobs')),
      translate,
      log: options.log,
      limits: { ...defaultRateLimits(), ...options.limits },
      passwordParams: options.passwordParams ?? DEFAULT_PASSWORD_PARAMS,
      proofOfWork,
      async readiness() {
        await sql`select 1`.execute(db);
        const pending = await pendingMigrations(db);
        if (pending.length === 0) return { ready: true };
        options.log.warn({ pending }, 'migrations pending');
        return { ready: false, reason: 'migrations pending' };
      },
    });
    const started = jobs;
    return {
      deps,
      database,
      async close() {
        try {
          await started.stop();
        } finally {
          mailer.close();
          await database.close();
        }
      },
    };
  } catch (error) {
    await jobs?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
