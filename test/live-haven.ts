import fs from 'node:fs';
import path from 'node:path';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import type { EngineName } from './harness.ts';
import { haven, type Spawned, spawnNode, waitForOutput } from './process.ts';
import { freePort, freshPostgresDatabase, tempDir } from './resources.ts';

/**
 * The real `haven` process on storage that outlives it: PGlite in a data dir on disk, or a fresh
 * PostgreSQL database (plus a data dir for the outbox and files). Restarts reuse the same storage,
 * port and public URL, so links and receipts stay comparable across a crash.
 */
export type LiveStore = {
  env: Record<string, string | undefined>;
  base: string;
  outbox: string;
  /** Runs `haven <args>` against this store; throws unless it exits 0; resolves to its stdout. */
  cli(args: string[]): Promise<string>;
  start(extraEnv?: Record<string, string>): Promise<LiveHaven>;
  drop(): Promise<void>;
};

export type LiveHaven = {
  process: Spawned;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL: no chance to flush, drain or close anything. */
  kill(): Promise<void>;
  /** SIGTERM and a clean shutdown. */
  stop(): Promise<number | null>;
};

export async function liveStore(engine: EngineName, prefix: string): Promise<LiveStore> {
  const dataDir = tempDir(prefix);
  const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    HAVEN_DATA_DIR: dataDir,
    DATABASE_URL: postgres?.url,
    HAVEN_MASTER_KEY: generateMasterKeySecret().toString('base64url'),
    HAVEN_HOST: '127.0.0.1',
    HAVEN_PORT: String(port),
    HAVEN_PUBLIC_URL: base,
    HAVEN_SMTP_PORT: 'off',
  };
  return {
    env,
    base,
    outbox: path.join(dataDir, 'outbox'),
    async cli(args) {
      const result = await haven(args, env);
      if (result.code !== 0) throw new Error(`haven ${args.join(' ')}: ${result.code} ${result.stderr}`);
      return result.stdout;
    },
    async start(extraEnv = {}) {
      const spawned = spawnNode(['bin/haven.js', 'start'], { ...env, ...extraEnv });
      await waitForOutput(spawned, /Haven is running at/, 60_000);
      return {
        process: spawned,
        output: () => spawned.stdout() + spawned.stderr(),
        async kill() {
          spawned.child.kill('SIGKILL');
          await spawned.exited;
        },
        async stop() {
          spawned.child.kill('SIGTERM');
          return spawned.exited;
        },
      };
    },
    async drop() {
      await postgres?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An organisation on `preset` (the CLI publishes it as version 1), an owner, and an API token of
 * theirs with every scope an owner has: what a team sets up before taking reports.
 */
export async function provisionOrganisation(
  store: LiveStore,
  options: { slug: string; name: string; preset: string; owner: string },
): Promise<{ apiToken: string }> {
  const created = await store.cli([
    'org',
    'create',
    '--slug',
    options.slug,
    '--name',
    options.name,
    '--language',
    'en',
    '--preset',
    options.preset,
  ]);
  if (!/Published the \S+ policy as version 1/.test(created)) throw new Error(`no policy: ${created}`);
  await store.cli(['user', 'create', '--org', options.slug, '--email', options.owner, '--role', 'owner']);
  const apiToken = (
    await store.cli(['token', 'create', '--org', options.slug, '--user', options.owner])
  ).trim();
  if (!/^haven_[A-Za-z0-9_-]{43}$/.test(apiToken)) throw new Error(`no API token: ${apiToken}`);
  return { apiToken };
}
