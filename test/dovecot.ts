import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { type Config, loadConfig } from '../src/config.ts';
import { type RunningHaven, startHaven } from '../src/main.ts';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import { type client, publishPreset, setUp, type TestHaven } from './harness.ts';
import { freePort, freshPostgresDatabase, tempDir } from './resources.ts';

/** Debian's Dovecot (dovecot-imapd), the IMAP server an organisation's security@ may live on. */
const DOVECOT = '/usr/sbin/dovecot';
const available = fs.existsSync(DOVECOT) && spawnSync(DOVECOT, ['--version']).status === 0;

/** Why a Dovecot test is skipped, or undefined; under CI=true a missing Dovecot is an error (.ci/run installs it). */
export function dovecotMissing(): string | undefined {
  if (available) return undefined;
  if (process.env.CI === 'true')
    throw new Error('CI=true but Dovecot is not installed: the IMAP tests need dovecot-imapd');
  return 'Dovecot is not installed (apt-get install dovecot-imapd)';
}

/** PEM files a test made with openssl: a CA, and a server certificate and key. */
export type TestCertificates = { caFile: string; certFile: string; keyFile: string };

/**
 * A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost, made with the
 * openssl command line in `dir`; `selfSigned` makes a server certificate no CA vouches for.
 */
export function makeCertificates(dir: string, options: { selfSigned?: boolean } = {}): TestCertificates {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const serverName = ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];
  if (options.selfSigned) {
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      file('server.key'),
      '-out',
      file('server.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      ...serverName,
    );
    return { caFile: file('server.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
  }
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Haven test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-set_serial',
    '2',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return { caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
}

export type DovecotOptions = {
  /** With a certificate, Dovecot offers STARTTLS on `port` and TLS from the start on `tlsPort`. */
  tls?: Pick<TestCertificates, 'certFile' | 'keyFile'>;
  /** Sign-in by XOAUTH2 too, each access token checked at this OAuth2 introspection URL (RFC 7662). */
  oauth2IntrospectionUrl?: string;
};

export type Dovecot = {
  port: number;
  /** Implicit TLS (the 993 kind); undefined without a certificate. */
  tlsPort: number | undefined;
  user: string;
  password: string;
  /** What Dovecot logged so far (logins name their method: `method=XOAUTH2`). */
  log(): string;
  /** A client signed in as the mailbox's user, as the organisation's mail system would deliver. */
  connect(): Promise<ImapFlow>;
  stop(): Promise<void>;
};

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A private Dovecot on a free loopback port, in a temp dir: its own config, state, log and Maildir,
 * one passwd-file user. As root, Dovecot refuses to serve mail as root, so the mail belongs to
 * `nobody` and the login processes run as Debian's `dovenull`; as anyone else, all runs as them.
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const dir = tempDir('haven-dovecot-');
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const user = 'security';
  const password = `imap-${Math.random().toString(36).slice(2)}-pw`;
  const root = process.getuid?.() === 0;
  const me = os.userInfo().username;
  const mailOwner = root ? { user: 'nobody', group: 'nogroup' } : { user: me, group: me };
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(mailDir);
  if (root) spawnSync('chown', [`${mailOwner.user}:${mailOwner.group}`, mailDir]);
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const conf = path.join(dir, 'dovecot.conf');
  const ssl = options.tls
    ? `ssl = yes
ssl_cert = <${options.tls.certFile}
ssl_key = <${options.tls.keyFile}
ssl_min_protocol = TLSv1.2`
    : 'ssl = no';
  // XOAUTH2 only (no OAUTHBEARER): imapflow would prefer OAUTHBEARER, and Microsoft and Google speak XOAUTH2.
  let oauth2 = '';
  if (options.oauth2IntrospectionUrl) {
    fs.writeFileSync(
      path.join(dir, 'oauth2.conf'),
      `introspection_mode = post
introspection_url = ${options.oauth2IntrospectionUrl}
username_attribute = username
active_attribute = active
active_value = true
`,
      { mode: 0o644 },
    );
    oauth2 = `passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/oauth2.conf
}
`;
  }
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
${ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login${options.oauth2IntrospectionUrl ? ' xoauth2' : ''}
auth_failure_delay = 0
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = 1
first_valid_gid = 1
mail_uid = ${mailOwner.user}
mail_gid = ${mailOwner.group}
mail_location = maildir:${mailDir}/%u/Maildir
${oauth2}passdb {
  driver = passwd-file
  mechanisms = plain login
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort ?? 0}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`,
  );
  // The daemon keeps the stdio it was given: a pipe would never close, so errors go to a file.
  const errors = path.join(dir, 'start.err');
  const errorFd = fs.openSync(errors, 'w');
  const started = spawnSync(DOVECOT, ['-c', conf], { stdio: ['ignore', 'ignore', errorFd] });
  fs.closeSync(errorFd);
  if (started.status !== 0) throw new Error(`dovecot did not start: ${fs.readFileSync(errors, 'utf8')}`);
  const pidFile = path.join(dir, 'run', 'master.pid');
  const until = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open && fs.existsSync(pidFile)) break;
    if (Date.now() > until) throw new Error(`dovecot is not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  return {
    port,
    tlsPort,
    user,
    password,
    log: () => fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8'),
    async connect() {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user, pass: password },
        logger: false,
        disableAutoIdle: true,
      });
      await client.connect();
      return client;
    },
    async stop() {
      if (isRunning(pid)) process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The configuration of a Haven for IMAP tests on `engine`: its own data dir (and PostgreSQL
 * database), no SMTP listener, and a poll timer so slow that only the test decides when to poll.
 * `cleanUp` removes both.
 */
export async function imapHavenConfig(
  engine: 'pglite' | 'postgres',
  env: Record<string, string> = {},
): Promise<{ config: Config; cleanUp(): Promise<void> }> {
  const dataDir = tempDir();
  const postgres = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
  const config = loadConfig({
    HAVEN_DATA_DIR: dataDir,
    HAVEN_HOST: '127.0.0.1',
    HAVEN_PORT: String(await freePort()),
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_MASTER_KEY: generateMasterKeySecret().toString('base64url'),
    HAVEN_SMTP_PORT: 'off',
    HAVEN_IMAP_POLL_SECONDS: '3600',
    ...env,
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  });
  return {
    config,
    async cleanUp() {
      await postgres?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Why the IMAP tests named `what` are skipped (no Dovecot), printed; under CI=true an error. */
export function dovecotSkip(what: string): string | undefined {
  const missing = dovecotMissing();
  if (missing) process.stdout.write(`# skipping ${what}: ${missing}\n`);
  return missing;
}

let mailCounter = 0;
/** A reporter's plain report mail, as the organisation's mail system would hold it; `finding` is its text. */
export function reportMail(subject: string, finding: string): Buffer {
  mailCounter++;
  return Buffer.from(
    [
      'From: "Rita Reporter" <rita@reporter.test>',
      'To: security@acme.test',
      `Subject: ${subject}`,
      `Message-ID: <imap-${Date.now()}-${process.pid}-${mailCounter}@reporter.test>`,
      'Date: Mon, 23 Nov 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `${finding} (${subject})`,
      '',
    ].join('\r\n'),
  );
}

/** How many messages an IMAP folder holds now (undefined when it does not exist). */
export async function folderCount(imap: ImapFlow, folder: string | string[]): Promise<number | undefined> {
  const status = await imap.status(folder, { messages: true });
  return status ? status.messages : undefined;
}

/**
 * A running Haven for IMAP tests (imapHavenConfig), with an owner signed in and the reconi policy
 * published for `acme`. The poll every start makes has ended before this returns, so no poll runs
 * behind the mailbox a test sets up.
 */
export async function startImapHaven(
  engine: 'pglite' | 'postgres',
  env: Record<string, string>,
  log: Parameters<typeof startHaven>[1],
): Promise<{
  config: Config;
  running: RunningHaven;
  owner: ReturnType<typeof client>;
  cleanUp(): Promise<void>;
}> {
  const { config, cleanUp } = await imapHavenConfig(engine, env);
  const running = await startHaven(config, log, () => {});
  await new Promise((resolve) => setTimeout(resolve, 1));
  await running.imap.pollAll();
  const owner = await setUp({ app: running.app, deps: running.runtime.deps } as unknown as TestHaven);
  await publishPreset(owner, 'acme', 'reconi');
  return { config, running, owner, cleanUp };
}
