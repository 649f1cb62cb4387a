import { parseArgs } from 'node:util';
import { createApiToken } from './auth/api-tokens.ts';
import { findUserByEmail } from './auth/auth.repository.ts';
import { ensureUser } from './auth/ensure-user.ts';
import { issueLink } from './auth/links.ts';
import { isTokenScope, type Scope, TOKEN_SCOPES } from './auth/permissions.ts';
import { type Config, ConfigError, environmentSchema, loadConfig } from './config.ts';
import { startHaven } from './main.ts';
import { rotateOrganisationKey } from './openpgp/rotate-organisation-key.ts';
import { createOrganisation } from './orgs/create-organisation.ts';
import { findOrganisationBySlug, insertMembership } from './orgs/organisation.repository.ts';
import { ROLES, type Role } from './orgs/organisation.table.ts';
import { getOrganisationAccess } from './orgs/organisation-access.ts';
import { generateMasterKeySecret, masterKeyFrom } from './platform/crypto.ts';
import { DataDirLockedError } from './platform/data-dir-lock.ts';
import { AppError } from './platform/errors.ts';
import { commitNextKeyFile, MasterKeyError, rotateMasterKey, stageNextKeyFile } from './platform/keys.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { publishPresetForNewOrganisation } from './policies/policies.ts';
import { isPresetName, PRESET_NAMES } from './policies/presets/index.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { listHostNames } from './securitytxt/host-name.repository.ts';
import { assignHostNames } from './securitytxt/host-names.ts';
import { loadDemo } from './setup/load-demo.ts';

const USAGE = `Usage: haven <command> [options]

  start                                   run Haven (HTTP, jobs); the default
  migrate                                 run pending database migrations
  org create --slug S --name N [--language nl|en] [--timezone TZ] [--preset P]
  org host-names --org S [--set a.example,b.example | --clear]
                                          host names whose /.well-known/security.txt is this
                                          organisation's (set them once their DNS points here)
  user create --org S --email E --role owner|coordinator|viewer [--name N]
                                          prints a single-use link to choose a password
  token create --org S --user E [--name N] [--scopes a,b] [--expires-days D]
                                          prints an API token (shown once)
  master-key generate                     print a new random master key (for HAVEN_MASTER_KEY)
  master-key rotate                       rewrap every data key under a new master key
  key rotate --org S                      give the organisation a new OpenPGP key (the old one still decrypts)
  demo                                    load demo data
  help                                    this text

Configuration comes from the environment (see README): HAVEN_DATA_DIR, DATABASE_URL, HAVEN_MASTER_KEY, ...`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Runs one command; resolves to the process exit code (long-running `start` resolves on shutdown). */
export async function runCli(argv: string[]): Promise<number> {
  const [command = 'start', sub, ...rest] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      out(USAGE);
      return 0;
    }
    if (command === 'master-key' && sub === 'generate') {
      out(generateMasterKeySecret().toString('base64url'));
      return 0;
    }
    const config = loadConfig();
    const log = createLogger(command === 'start' ? config.logLevel : 'warn');
    switch (command) {
      case 'start':
        return await start(config, log);
      case 'migrate':
        return await withRuntime(config, log, async () => {
          out('Migrations are current.');
        });
      case 'demo':
        return await withRuntime(config, log, async (runtime) => {
          const demo = await loadDemo(runtime.deps);
          if (!demo.created) out(`Demo organisation "${demo.slug}" is already there.`);
          for (const a of demo.accounts.filter((x) => x.password))
            out(`${a.role}: ${a.email}  password: ${a.password}`);
        });
      case 'org':
        if (sub === 'host-names') return await orgHostNames(config, log, rest);
        if (sub !== 'create') throw new UsageError('expected: haven org create | haven org host-names');
        return await orgCreate(config, log, rest);
      case 'user':
        if (sub !== 'create') throw new UsageError('expected: haven user create');
        return await userCreate(config, log, rest);
      case 'token':
        if (sub !== 'create') throw new UsageError('expected: haven token create');
        return await tokenCreate(config, log, rest);
      case 'master-key':
        if (sub !== 'rotate') throw new UsageError('expected: haven master-key generate | rotate');
        return await masterKeyRotate(config, log);
      case 'key':
        if (sub !== 'rotate') throw new UsageError('expected: haven key rotate --org S');
        return await keyRotate(config, log, rest);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (error instanceof ConfigError) {
    say(error.message);
    return 2;
  }
  if (error instanceof UsageError) {
    say(`haven: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof MasterKeyError) {
    say(`haven: ${error.message}`);
    return 2;
  }
  if (error instanceof DataDirLockedError) {
    say(`haven: ${error.message}`);
    return 1;
  }
  if (error instanceof AppError) {
    const details = (error.details ?? [])
      .map((d) => `\n  ${d.field ? `${d.field}: ` : ''}${d.message}`)
      .join('');
    say(`haven: ${error.message} (${error.code})${details}`);
    return 1;
  }
  say(`haven: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}

async function start(config: Config, log: Logger): Promise<number> {
  // Signals are heard from the first moment: one during start-up stops Haven cleanly once it is up.
  let signals = 0;
  const stopRequested = new Promise<string>((resolve) => {
    const onSignal = (signal: string) => {
      signals += 1;
      if (signals > 1) {
        log.warn({ signal }, 'second signal: exiting without a clean shutdown');
        process.exit(1);
      }
      resolve(signal);
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
  const haven = await startHaven(config, log, out);
  await stopRequested;
  try {
    await haven.stop();
    return 0;
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    return 1;
  }
}

async function withRuntime(
  config: Config,
  log: Logger,
  run: (runtime: Runtime) => Promise<void>,
): Promise<number> {
  const runtime = await openRuntime(config, { log });
  try {
    await run(runtime);
    return 0;
  } finally {
    await runtime.close();
  }
}

function options<T extends Record<string, { type: 'string' }>>(
  args: string[],
  spec: T,
  required: (keyof T)[],
) {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = required.filter((k) => !values[k as string]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${String(m)}`).join(', ')}`);
  return values as { [K in keyof T]: string | undefined };
}

async function orgCreate(config: Config, log: Logger, args: string[]): Promise<number> {
  const o = options(
    args,
    {
      slug: { type: 'string' },
      name: { type: 'string' },
      language: { type: 'string' },
      timezone: { type: 'string' },
      preset: { type: 'string' },
    },
    ['slug', 'name'],
  );
  const language = o.language ?? 'nl';
  if (language !== 'nl' && language !== 'en') throw new UsageError('--language must be nl or en');
  const preset = o.preset;
  if (preset !== undefined && !isPresetName(preset)) {
    throw new UsageError(`unknown preset ${preset}; available: ${PRESET_NAMES.join(', ')}`);
  }
  return withRuntime(config, log, async ({ deps }) => {
    const organisation = await deps.db.transaction().execute(async (trx) => {
      const created = await createOrganisation(deps, trx, {
        slug: o.slug ?? '',
        name: o.name ?? '',
        defaultLanguage: language,
        timezone: o.timezone ?? 'Europe/Amsterdam',
      });
      if (preset) await publishPresetForNewOrganisation(deps, trx, created.id, preset);
      return created;
    });
    out(`Created organisation ${organisation.slug} (${organisation.name}).`);
    if (preset)
      out(`Published the ${preset} policy as version 1: ${config.publicUrl}/o/${organisation.slug}`);
    out(
      `Add its first owner: haven user create --org ${organisation.slug} --email you@example.org --role owner`,
    );
  });
}

async function orgHostNames(config: Config, log: Logger, args: string[]): Promise<number> {
  let values: { org?: string; set?: string; clear?: boolean };
  try {
    values = parseArgs({
      args,
      options: { org: { type: 'string' }, set: { type: 'string' }, clear: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.org) throw new UsageError('missing --org');
  if (values.set !== undefined && values.clear) throw new UsageError('--set and --clear exclude each other');
  const slug = values.org;
  return withRuntime(config, log, async ({ deps }) => {
    const organisation = await findOrganisationBySlug(deps.db, slug);
    if (!organisation) throw new AppError('org.not_found', `No organisation ${slug}.`);
    if (values.set !== undefined || values.clear) {
      const names = values.clear
        ? []
        : (values.set ?? '')
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean);
      await assignHostNames(deps, organisation.id, names);
    }
    const hosts = await listHostNames(deps.db, organisation.id);
    out(hosts.length > 0 ? hosts.join('\n') : `${slug} answers for no host names of its own.`);
  });
}

async function userCreate(config: Config, log: Logger, args: string[]): Promise<number> {
  const o = options(
    args,
    {
      org: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
    ['org', 'email', 'role'],
  );
  if (!ROLES.includes(o.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (!/^[^\s@]+@[^\s@]+$/.test(o.email ?? '')) throw new UsageError('--email is not an e-mail address');
  return withRuntime(config, log, async ({ deps }) => {
    const result = await deps.db.transaction().execute(async (trx) => {
      const organisation = await findOrganisationBySlug(trx, o.org ?? '');
      if (!organisation) throw new AppError('org.not_found', `No organisation ${o.org}.`);
      const now = deps.clock.now();
      const { user } = await ensureUser(trx, { email: o.email ?? '', name: o.name, now });
      const added = await insertMembership(trx, {
        organisation_id: organisation.id,
        user_id: user.id,
        role: o.role as Role,
        created_at: now,
        accepted_at: now,
      });
      if (!added)
        throw new AppError('request.conflict', `${user.email} is already a member of ${organisation.slug}.`);
      const link = user.password_hash
        ? undefined
        : await issueLink(deps, trx, {
            purpose: 'invitation',
            userId: user.id,
            organisationId: organisation.id,
          });
      return { user, organisation, link };
    });
    out(`${result.user.email} is now ${o.role} of ${result.organisation.slug}.`);
    if (result.link) {
      out(`Single-use link to choose a password (expires ${result.link.expiresAt.toISOString()}):`);
      out(result.link.url);
    } else {
      out('They already have a password and can sign in.');
    }
  });
}

async function tokenCreate(config: Config, log: Logger, args: string[]): Promise<number> {
  const o = options(
    args,
    {
      org: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'expires-days': { type: 'string' },
    },
    ['org', 'user'],
  );
  const requested = (o.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = requested.filter((s) => !isTokenScope(s));
  if (unknown.length > 0)
    throw new UsageError(`unknown scope ${unknown.join(', ')}; known: ${TOKEN_SCOPES.join(', ')}`);
  const days = o['expires-days'] === undefined ? undefined : Number(o['expires-days']);
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw new UsageError('--expires-days must be a whole number from 1 to 3650');
  }
  return withRuntime(config, log, async ({ deps }) => {
    const user = await findUserByEmail(deps.db, (o.user ?? '').trim().toLowerCase());
    if (!user) throw new AppError('user.not_found', `No user ${o.user}.`);
    const access = await getOrganisationAccess(
      deps,
      { via: 'session', userId: user.id, sessionIdHash: Buffer.alloc(0) },
      o.org ?? '',
    );
    const scopes = (requested.length > 0 ? requested : access.scopes.filter(isTokenScope)) as Scope[];
    const { token, view } = await createApiToken(deps, access, {
      name: o.name ?? `cli ${deps.clock.now().toISOString().slice(0, 10)}`,
      scopes,
      expiresInDays: days,
    });
    process.stderr.write(
      `API token "${view.name}" for ${user.email} in ${o.org}, scopes ${view.scopes.join(' ')}. It is shown once:\n`,
    );
    out(token);
  });
}

async function keyRotate(config: Config, log: Logger, args: string[]): Promise<number> {
  const o = options(args, { org: { type: 'string' } }, ['org']);
  return withRuntime(config, log, async ({ deps }) => {
    const { previous, current } = await rotateOrganisationKey(deps, o.org ?? '');
    const show = (fingerprint: string) => fingerprint.toUpperCase();
    out(`OpenPGP key of ${o.org} rotated: ${previous ? show(previous) : '(none)'} -> ${show(current)}`);
    out(
      `The old key is retired and still decrypts; ${config.publicUrl}/o/${o.org}/pgp-key.asc serves the new one.`,
    );
  });
}

async function masterKeyRotate(config: Config, log: Logger): Promise<number> {
  const keyFileMode = !config.databaseUrl && !config.masterKey;
  let nextSecret: Buffer;
  if (keyFileMode) {
    nextSecret = generateMasterKeySecret();
  } else {
    // Read exactly as HAVEN_MASTER_KEY is: the key rotated to must be the key the nodes will accept.
    const parsed = environmentSchema.shape.HAVEN_MASTER_KEY.safeParse(process.env.HAVEN_NEW_MASTER_KEY);
    if (!parsed.success) {
      throw new UsageError(`HAVEN_NEW_MASTER_KEY: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    if (!parsed.data) {
      throw new UsageError(
        'set HAVEN_NEW_MASTER_KEY to the new key (make one with `haven master-key generate` and store it first); HAVEN_MASTER_KEY is the current one. ' +
          'Stop every node first: stop, rotate, start.',
      );
    }
    nextSecret = parsed.data;
  }
  return withRuntime(config, log, async ({ deps }) => {
    const current = deps.keyring.current;
    const next = masterKeyFrom(nextSecret);
    if (next.id === current.id) throw new UsageError('the new master key is the current one');
    // The runtime holds the data-dir lock (embedded) and has made or read the key file.
    if (keyFileMode) stageNextKeyFile(config.dataDir, nextSecret); // on disk before the database changes
    const { rewrapped } = await rotateMasterKey(deps.db, current, next);
    if (keyFileMode) commitNextKeyFile(config.dataDir);
    out(`Master key rotated: ${current.id} -> ${next.id}; ${rewrapped} data key(s) rewrapped.`);
    if (keyFileMode) {
      out(`The new key is in ${config.dataDir}/master.key: back it up (apart from the data) now.`);
    } else {
      out(
        'Now start every node with HAVEN_MASTER_KEY set to the new key; none may run with the old one. ' +
          'Rotate only with every node stopped: stop, rotate, start. A node still running with the old key ' +
          'cannot make data keys any more, and one started with it is refused. Sessions and API tokens stay valid.',
      );
    }
  });
}
