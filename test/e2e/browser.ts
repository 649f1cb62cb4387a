import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { tempDir } from '../harness.ts';
import { ROOT, type Spawned, spawnNode, waitForOutput } from '../process.ts';
import { freePort } from '../resources.ts';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Why a browser journey cannot run here, or undefined when it can. Under CI=true a missing browser
 * is an error, not a skip.
 */
export function browserMissing(journey: string): string | undefined {
  const missing = fs.existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (missing && process.env.CI === 'true')
    throw new Error(`CI=true: the ${journey} must run, but ${missing}`);
  if (missing) process.stdout.write(`# skipping the ${journey}: ${missing}\n`);
  return missing;
}

export type Journey = {
  base: string;
  setupLink: string;
  page: Page;
  /** Script errors and CSP violations seen so far, on every page (console errors matching `ignore` left out). */
  problems: string[];
  /** A page in a new browser context, without cookies: another person, watched like `page`. */
  newPage(options?: { locale?: string }): Promise<Page>;
  close(): Promise<void>;
};

/**
 * A real Haven (`bin/haven.js start` on a fresh data dir and a free port, the web app built if it
 * is not) and a page in Debian's Chromium that reports CSP violations and script errors.
 */
export async function startJourney(options: {
  prefix: string;
  viewport?: { width: number; height: number };
  ignore?: RegExp;
}): Promise<Journey> {
  if (!fs.existsSync(`${ROOT}web/dist/index.html`)) {
    const build = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    assert.equal(build.status, 0, 'the web app builds');
  }
  const dataDir = tempDir(options.prefix);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: Spawned = spawnNode(['bin/haven.js', 'start'], {
    HAVEN_DATA_DIR: dataDir,
    HAVEN_PORT: String(port),
    HAVEN_HOST: '127.0.0.1',
    HAVEN_PUBLIC_URL: base,
    HAVEN_SMTP_PORT: 'off',
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    server.child.kill('SIGTERM');
    await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const setupLink = (await waitForOutput(server, /one-time link to set up Haven: (\S+)/))[1] ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const problems: string[] = [];
    const ignore = options.ignore ?? /\b401\b/;
    const started = browser;
    const newPage = async ({ locale = 'en-GB' }: { locale?: string } = {}) => {
      const context = await started.newContext({ locale, viewport: options.viewport });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        // Where it happened: "Failed to load resource" alone does not say which.
        const at = m.location().url;
        if (m.type() === 'error' && !ignore.test(m.text()))
          problems.push(at ? `${m.text()} (${at})` : m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      return page;
    };
    const page = await newPage();
    return { base, setupLink, page, problems, newPage, close };
  } catch (error) {
    await close();
    throw error;
  }
}
