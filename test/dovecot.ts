import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort, tempDir } from './resources.ts';

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

export type Dovecot = {
  port: number;
  user: string;
  password: string;
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
export async function startDovecot(): Promise<Dovecot> {
  const dir = tempDir('haven-dovecot-');
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
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
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = 1
first_valid_gid = 1
mail_uid = ${mailOwner.user}
mail_gid = ${mailOwner.group}
mail_location = maildir:${mailDir}/%u/Maildir
passdb {
  driver = passwd-file
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
    port = 0
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
    user,
    password,
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
