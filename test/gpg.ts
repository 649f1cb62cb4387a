import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './resources.ts';

/** Real GnuPG, as many reporters run it (Debian's 2.2), for the OpenPGP tests. */
const available = spawnSync('gpg', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * Why a GnuPG test is skipped, or undefined when gpg is there. Under CI=true a missing gpg is an
 * error, not a skip: CI installs it (.ci/run).
 */
export function gpgMissing(): string | undefined {
  if (available) return undefined;
  if (process.env.CI === 'true')
    throw new Error('CI=true but gpg is not installed: the OpenPGP tests need GnuPG');
  return 'gpg (GnuPG) is not installed';
}

export type Gpg = {
  dir: string;
  /** Runs gpg in this home with --batch; `input` goes to its stdin. */
  run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string };
  /** Writes a file into the home dir and gives its path. */
  file(name: string, content: string): string;
};

/** A throw-away GnuPG home; its gpg-agent is stopped and the dir removed afterwards. */
export async function withGpg<T>(use: (gpg: Gpg) => Promise<T> | T): Promise<T> {
  const dir = tempDir('haven-gpg-');
  fs.chmodSync(dir, 0o700);
  const gpg: Gpg = {
    dir,
    run(args, input) {
      const r = spawnSync('gpg', ['--homedir', dir, '--batch', '--no-tty', ...args], {
        input,
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    file(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
  };
  try {
    return await use(gpg);
  } finally {
    spawnSync('gpgconf', ['--homedir', dir, '--kill', 'gpg-agent']);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports an armored public key; gives the fingerprints gpg read from it. */
export function importKey(gpg: Gpg, armored: string): string[] {
  const imported = gpg.run(['--status-fd', '1', '--import'], armored);
  if (imported.status !== 0) throw new Error(`gpg --import failed: ${imported.stderr}`);
  const listed = gpg.run(['--with-colons', '--fingerprint', '--list-keys']);
  return [...listed.stdout.matchAll(/^fpr:(?:[^:]*:){8}([0-9A-F]+):/gm)].map((m) => m[1] as string);
}

/** `gpg --verify` of a cleartext-signed text: the exit status and the VALIDSIG fingerprint. */
export function verifyCleartext(
  gpg: Gpg,
  signed: string,
): { status: number | null; validsig?: string; stderr: string } {
  const file = gpg.file(`signed-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`, signed);
  const result = gpg.run(['--status-fd', '1', '--verify', file]);
  return {
    status: result.status,
    validsig: /^\[GNUPG:\] VALIDSIG ([0-9A-F]+) /m.exec(result.stdout)?.[1],
    stderr: result.stderr,
  };
}

/** Encrypts `text` to the key with this fingerprint, ASCII-armored, as a reporter would. */
export function encryptTo(gpg: Gpg, fingerprint: string, text: string): string {
  const result = gpg.run(
    ['--encrypt', '--armor', '--trust-model', 'always', '--recipient', fingerprint],
    text,
  );
  if (result.status !== 0) throw new Error(`gpg --encrypt failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * A reporter's own key pair, made by GnuPG as they would: no passphrase, Ed25519 to sign and
 * Curve25519 to encrypt, valid a year (`extra` such as `--faked-system-time` makes it expired).
 */
export function makeKey(
  gpg: Gpg,
  userId: string,
  extra: string[] = [],
): { fingerprint: string; armored: string } {
  const made = gpg.run([
    ...extra,
    '--passphrase',
    '',
    '--pinentry-mode',
    'loopback',
    '--quick-gen-key',
    userId,
    'future-default',
    'default',
    '1y',
  ]);
  if (made.status !== 0) throw new Error(`gpg --quick-gen-key failed: ${made.stderr}`);
  const address = /<(.+)>/.exec(userId)?.[1] ?? userId;
  const listed = gpg.run(['--with-colons', '--fingerprint', '--list-keys', address]);
  const fingerprint = /^fpr:(?:[^:]*:){8}([0-9A-F]+):/m.exec(listed.stdout)?.[1] ?? '';
  const exported = gpg.run(['--armor', '--export', fingerprint]);
  if (!fingerprint || exported.status !== 0 || !exported.stdout.includes('BEGIN PGP PUBLIC KEY BLOCK'))
    throw new Error(`gpg --export failed: ${exported.stderr}`);
  return { fingerprint, armored: exported.stdout.trim() };
}
