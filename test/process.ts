import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Spawned = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
};

/** Runs a TypeScript file or bin/haven.js with this Node (24), collecting its output. */
export function spawnNode(args: string[], env: Record<string, string | undefined>): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitForOutput(
  spawned: Spawned,
  pattern: RegExp,
  timeoutMs = 90_000,
): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(spawned.stdout());
    if (match) return match;
    if (spawned.child.exitCode !== null)
      throw new Error(`exited ${spawned.child.exitCode}: ${spawned.stderr()}`);
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for ${pattern}; stdout: ${spawned.stdout()} stderr: ${spawned.stderr()}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `haven …` to completion. */
export async function haven(args: string[], env: Record<string, string | undefined>) {
  const spawned = spawnNode(['bin/haven.js', ...args], env);
  const code = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}
