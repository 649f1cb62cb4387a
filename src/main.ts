import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { removeOldTeamNoticeDeliveries } from './cases/team-notifications.ts';
import type { Config } from './config.ts';
import { INTAKE_HOUSEKEEPING_MS, removeExpiredIntakeRecords } from './intake/housekeeping.ts';
import { type ImapPoller, startImapPoller } from './mail/imap-poller.ts';
import { type InboundSmtp, startInboundSmtp } from './mail/inbound-smtp.ts';
import type { Logger } from './platform/logger.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { loadDemo } from './setup/load-demo.ts';
import { issueSetupLink } from './setup/setup.ts';

export type RunningHaven = {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Reads the organisations' IMAP mailboxes every HAVEN_IMAP_POLL_SECONDS. */
  imap: ImapPoller;
  stop(): Promise<void>;
};

/** `haven start`: dependencies, HTTP, job workers; stops cleanly on SIGTERM/SIGINT. */
export async function startHaven(
  config: Config,
  log: Logger,
  out: (line: string) => void,
): Promise<RunningHaven> {
  const started = performance.now();
  const runtime = await openRuntime(config, { log });
  let app: FastifyInstance | undefined;
  let smtp: InboundSmtp | undefined;
  try {
    app = await buildApp(runtime.deps);
    await runtime.deps.jobs.startWorkers();
    await app.listen({ host: config.host, port: config.port });
    if (config.smtp) smtp = await startInboundSmtp(runtime.deps, config.smtp);
  } catch (error) {
    await smtp?.close().catch(() => {});
    await app?.close().catch(() => {});
    await runtime.close().catch(() => {});
    throw error;
  }
  const running = app;
  const ms = Math.round(performance.now() - started);
  log.info({ engine: runtime.deps.engine, ms }, 'haven started');
  out(`Haven is running at ${config.publicUrl}  (${runtime.deps.engine}, ready in ${ms} ms)`);
  if (smtp) out(`Receiving report mail by SMTP on ${config.smtp?.host}:${smtp.port}`);
  const { protocol, hostname } = new URL(config.publicUrl);
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
    // Browsers keep Secure cookies only over HTTPS (and on localhost): staff could not stay signed in.
    out(
      `Warning: HAVEN_PUBLIC_URL is plain HTTP on ${hostname}; staff sign-in needs HTTPS (a TLS proxy, HAVEN_TRUST_PROXY).`,
    );
    log.warn({ publicUrl: config.publicUrl }, 'public URL is not HTTPS; staff sign-in cookies need HTTPS');
  }

  if (config.demo) {
    const demo = await loadDemo(runtime.deps);
    out(
      demo.created
        ? `Demo data loaded: organisation "${demo.slug}". Sign in at ${config.publicUrl}/sign-in as:\n${demo.accounts
            .map((a) => `  ${a.role.padEnd(12)} ${a.email}  password: ${a.password}`)
            .join('\n')}`
        : `Demo organisation "${demo.slug}" is already there.`,
    );
  }
  const setupLink = await issueSetupLink(runtime.deps);
  if (setupLink) out(`Open this one-time link to set up Haven: ${setupLink}`);

  // Housekeeping on a timer, off the request path; every node may run it (batches skip locked rows).
  const housekeeping = setInterval(() => {
    Promise.all([
      removeExpiredIntakeRecords(runtime.deps),
      removeOldTeamNoticeDeliveries(runtime.deps),
    ]).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, INTAKE_HOUSEKEEPING_MS);
  housekeeping.unref();
  const imap = startImapPoller(runtime.deps, { intervalSeconds: config.imapPollSeconds });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('haven stopping');
      clearInterval(housekeeping);
      try {
        await imap.stop(); // a poll in flight finishes: what it took in is moved and recorded
        await smtp?.close(); // mail in flight finishes (or the sender retries); no new connections
        await running.close(); // drains HTTP: no new connections, in-flight requests finish
      } finally {
        await runtime.close(); // workers stop, then the database closes
      }
      log.info('haven stopped');
    })();
    return stopping;
  };
  return { app: running, runtime, url: config.publicUrl, imap, stop };
}
