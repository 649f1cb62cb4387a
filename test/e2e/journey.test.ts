import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { tempDir } from '../harness.ts';
import { ROOT, type Spawned, spawnNode, waitForOutput } from '../process.ts';
import { freePort } from '../resources.ts';

const CHROMIUM = '/usr/bin/chromium';
const missing = fs.existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (missing && process.env.CI === 'true')
  throw new Error(`CI=true: the browser journey must run, but ${missing}`);
if (missing) process.stdout.write(`# skipping the browser journey: ${missing}\n`);

const PASSWORD = 'correct horse battery staple';

describe('browser journey: set up, sign in, switch language, sign out', { skip: missing }, () => {
  const dataDir = tempDir('haven-e2e-');
  let server: Spawned;
  let browser: Browser;
  let page: Page;
  let base: string;
  let setupLink: string;
  const problems: string[] = [];

  before(async () => {
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
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnNode(['bin/haven.js', 'start'], {
      HAVEN_DATA_DIR: dataDir,
      HAVEN_PORT: String(port),
      HAVEN_HOST: '127.0.0.1',
      HAVEN_PUBLIC_URL: base,
    });
    setupLink = (await waitForOutput(server, /one-time link to set up Haven: (\S+)/))[1] ?? '';
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
    const context = await browser.newContext({ locale: 'en-GB' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('401')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  after(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    if (server) await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the setup link creates the organisation and signs the owner in', async () => {
    assert.match(setupLink, /\/setup#token=/);
    await page.goto(setupLink);
    await page.getByLabel('Organisation name').fill('Gemeente Voorbeeld');
    assert.equal(await page.getByLabel('Short name').inputValue(), 'gemeente-voorbeeld');
    await page.getByLabel('Name', { exact: true }).fill('Anna de Vries');
    await page.getByLabel('E-mail address').fill('anna@voorbeeld.test');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set up Haven' }).click();
    await page.waitForURL(/\/console\/gemeente-voorbeeld$/);
    await page.getByRole('heading', { name: 'Gemeente Voorbeeld' }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === '__Host-haven_session');
    assert.ok(session, 'signed in with the __Host- session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
  });

  test('the language switch turns the console Dutch', async () => {
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('link', { name: 'Leden', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    await page.getByRole('link', { name: 'Leden', exact: true }).click();
    await page.getByRole('heading', { name: 'Leden' }).waitFor();
    await page.getByText('anna@voorbeeld.test').first().waitFor();
  });

  test('sign out, then back in, in Dutch', async () => {
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
    const response = await page.request.get(`${base}/api/v1/auth/session`);
    assert.equal(response.status(), 401, 'the session is gone on the server too');
    await page.goto(`${base}/console/gemeente-voorbeeld`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('E-mailadres').fill('anna@voorbeeld.test');
    await page.getByLabel('Wachtwoord', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByText('E-mailadres of wachtwoord is onjuist.').waitFor();
    await page.getByLabel('Wachtwoord', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(/\/console\/gemeente-voorbeeld$/);
    await page.getByRole('heading', { name: 'Gemeente Voorbeeld' }).waitFor();
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(/\/sign-in/);
  });

  test('no CSP violations or script errors along the way', () => {
    assert.deepEqual(problems, []);
  });
});
