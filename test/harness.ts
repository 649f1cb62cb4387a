import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Deps, RateLimits } from '../src/deps.ts';
import type { Clock } from '../src/platform/clock.ts';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openRuntime, type Runtime, type RuntimeOptions } from '../src/runtime.ts';
import { freshPostgresDatabase, tempDir } from './resources.ts';

export type EngineName = 'pglite' | 'postgres';

let reportedSkip = false;

/**
 * The engines this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Without it
 * the PostgreSQL runs show as skipped, with the reason; under CI=true that is an error.
 */
export function engines(): EngineName[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI');
  }
  if (!reportedSkip) {
    reportedSkip = true;
    test('the same tests on PostgreSQL', { skip: 'TEST_DATABASE_URL is not set' }, () => {});
  }
  return ['pglite'];
}

export { freshPostgresDatabase, tempDir } from './resources.ts';

/** A proof-of-work that costs a test a few milliseconds but is checked for real. */
export const CHEAP_PROOF_OF_WORK = { counter: { min: 50, max: 200 } };

/** Fetches a challenge and solves it as the ALTCHA widget would: the value of field `altcha`. */
export async function solveProofOfWork(app: FastifyInstance, org: string): Promise<string> {
  const { solveChallenge } = await import('altcha-lib');
  const { deriveKey } = await import('altcha-lib/algorithms/sha');
  const response = await app.inject({ method: 'GET', url: `/api/v1/orgs/${org}/reports/challenge` });
  if (response.statusCode !== 200) throw new Error(`challenge: ${response.statusCode} ${response.body}`);
  const challenge = response.json();
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('could not solve the challenge');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

/** Puts a preset in the draft and publishes it, as the owner does in the console. */
export async function publishPreset(owner: ReturnType<typeof client>, org: string, preset: string) {
  const draft = await owner.post(`/api/v1/orgs/${org}/policy/draft/preset`, { preset });
  if (draft.statusCode !== 200) throw new Error(`preset: ${draft.statusCode} ${draft.body}`);
  const published = await owner.post(`/api/v1/orgs/${org}/policy/publish`);
  if (published.statusCode !== 201 && published.statusCode !== 200)
    throw new Error(`publish: ${published.statusCode} ${published.body}`);
  return published.json().version as number;
}

export type TestHaven = {
  app: FastifyInstance;
  deps: Deps;
  runtime: Runtime;
  config: Config;
  outbox: string;
  logLines: string[];
  close(): Promise<void>;
};

/** A whole Haven on a real database: in-memory PGlite, or a fresh PostgreSQL database. */
export async function startTestHaven(
  engine: EngineName,
  options: {
    clock?: Clock;
    limits?: Partial<RateLimits>;
    env?: Record<string, string>;
    /** Proof-of-work settings; null turns it off. Tests default to a cheap one. */
    proofOfWork?: RuntimeOptions['proofOfWork'];
  } = {},
): Promise<TestHaven> {
  const dataDir = tempDir();
  const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
  const config = loadConfig({
    HAVEN_DATA_DIR: dataDir,
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_MASTER_KEY: generateMasterKeySecret().toString('base64url'),
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...options.env,
  });
  const logLines: string[] = [];
  const log = createLogger('info', { write: (line: string) => logLines.push(line) });
  const runtime = await openRuntime(config, {
    log,
    clock: options.clock,
    limits: { http: false, ...options.limits },
    proofOfWork: options.proofOfWork === undefined ? CHEAP_PROOF_OF_WORK : options.proofOfWork,
    inMemory: engine === 'pglite',
  });
  const app = await buildApp(runtime.deps);
  await runtime.deps.jobs.startWorkers();
  await app.ready();
  return {
    app,
    deps: runtime.deps,
    runtime,
    config,
    outbox: path.join(dataDir, 'outbox'),
    logLines,
    async close() {
      await app.close();
      await runtime.close();
      await postgres?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for a condition that background work (jobs, mail) makes true. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Mail written to the outbox, oldest first, as raw RFC 5322 text. */
export function outboxMessages(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

/** The decoded text body of a raw message (nodemailer writes quoted-printable or base64). */
export function mailText(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  return body;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on state changes. */
export function client(app: FastifyInstance) {
  let cookie: string | undefined;
  let cookies: string[] = [];
  let csrf: string | undefined;
  const request = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> => {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of response.cookies) {
      cookies = cookies.filter((x) => !x.startsWith(`${c.name}=`));
      if (c.value && c.maxAge !== 0) cookies.push(`${c.name}=${c.value}`);
    }
    const set = response.cookies.find((c) => c.name === '__Host-haven_session');
    if (set) cookie = set.value && set.maxAge !== 0 ? `${set.name}=${set.value}` : undefined;
    const json = response.headers['content-type']?.toString().includes('json') ? response.json() : undefined;
    if (json && typeof json === 'object' && 'csrfToken' in json) csrf = String(json.csrfToken);
    return response;
  };
  return {
    request,
    get: (url: string, headers?: Record<string, string>) => request('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) =>
      request('POST', url, body ?? {}, headers),
    patch: (url: string, body?: unknown) => request('PATCH', url, body ?? {}),
    put: (url: string, body?: unknown) => request('PUT', url, body ?? {}),
    delete: (url: string) => request('DELETE', url),
    get cookie() {
      return cookie;
    },
    /** Every cookie the server set and has not cleared, as `name=value`. */
    get cookies() {
      return cookies;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    get csrf() {
      return csrf;
    },
    set csrf(value: string | undefined) {
      csrf = value;
    },
  };
}

export const STRONG_PASSWORD = 'correct horse battery staple';

/** Runs first-time setup through the API and returns the signed-in owner's client. */
export async function setUp(
  haven: TestHaven,
  org = { slug: 'acme', name: 'Acme', defaultLanguage: 'en' as const, timezone: 'Europe/Amsterdam' },
  owner = { name: 'Olga Owner', email: 'olga@acme.test', password: STRONG_PASSWORD },
) {
  const { issueSetupLink } = await import('../src/setup/setup.ts');
  const link = await issueSetupLink(haven.deps);
  if (!link) throw new Error('setup already done');
  const token = new URL(link).hash.replace('#token=', '');
  const owner_ = client(haven.app);
  const response = await owner_.post('/api/v1/setup', { token, organisation: org, owner });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`);
  return owner_;
}

/** An organisation with one member who has a password, made directly through the use cases. */
export async function addOrganisationWithMember(
  haven: TestHaven,
  slug: string,
  member: { email: string; role: 'owner' | 'coordinator' | 'viewer' },
  existingOrg = false,
) {
  const { createOrganisation } = await import('../src/orgs/create-organisation.ts');
  const { findOrganisationBySlug, insertMembership } = await import('../src/orgs/organisation.repository.ts');
  const { ensureUser } = await import('../src/auth/ensure-user.ts');
  const { updateUser } = await import('../src/auth/auth.repository.ts');
  const { hashPassword } = await import('../src/platform/crypto.ts');
  const hash = await hashPassword(STRONG_PASSWORD);
  const { deps } = haven;
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const organisation = existingOrg
      ? await findOrganisationBySlug(trx, slug)
      : await createOrganisation(deps, trx, {
          slug,
          name: slug.toUpperCase(),
          defaultLanguage: 'nl',
          timezone: 'Europe/Amsterdam',
        });
    if (!organisation) throw new Error(`no organisation ${slug}`);
    const { user } = await ensureUser(trx, { email: member.email, now });
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: now });
    await insertMembership(trx, {
      organisation_id: organisation.id,
      user_id: user.id,
      role: member.role,
      created_at: now,
      accepted_at: now,
    });
  });
  const c = client(haven.app);
  const response = await c.post('/api/v1/auth/sign-in', { email: member.email, password: STRONG_PASSWORD });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  return c;
}
