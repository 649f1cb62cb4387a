import { spawn, spawnSync } from 'node:child_process';
import { gpgMissing } from './gpg.ts';

/** Debian's swaks, the SMTP client many admins test a mail server with. */
const swaksInstalled = spawnSync('swaks', ['--version'], { encoding: 'utf8' }).status === 0;

/** Why the SMTP tests named `what` are skipped (swaks or gpg missing); under CI=true an error. */
export function smtpPeersMissing(what: string): string | undefined {
  const missing = !swaksInstalled ? 'swaks is not installed (apt-get install swaks)' : gpgMissing();
  if (missing && process.env.CI === 'true') throw new Error(`CI=true: ${what} must run, but ${missing}`);
  if (missing) process.stdout.write(`# skipping ${what}: ${missing}\n`);
  return missing;
}

/**
 * A DNS in a box for SPF/DKIM/DMARC: `verified.test` publishes SPF for loopback and a DMARC policy,
 * so mail from it passes DMARC; every other name does not exist.
 */
const ZONE: Record<string, string[][]> = {
  'verified.test/TXT': [['v=spf1 ip4:127.0.0.1 ip6:::1 -all']],
  '_dmarc.verified.test/TXT': [['v=DMARC1; p=reject']],
};
export async function fakeResolver(name: string, type: string): Promise<string[][]> {
  const records = ZONE[`${name.toLowerCase()}/${type}`];
  if (records) return records;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

export type Sent = { status: number | null; output: string; reference?: string };

/** Runs swaks against the listener (asynchronously: the listener runs in this process). */
export function swaks(port: number, args: string[], data?: string | Buffer): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'swaks',
      [
        '--server',
        `127.0.0.1:${port}`,
        '--helo',
        'mail.verified.test',
        '--timeout',
        '60',
        ...args,
        ...(data === undefined ? [] : ['--data', '-']),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, output, reference: /<[-~] {2}250 Received as ([A-Z0-9-]+)/.exec(output)?.[1] }),
    );
    child.stdin.end(data ?? '');
  });
}

export const unique = () => `${Date.now()}.${Math.random().toString(36).slice(2)}`;

export function rawMail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}
