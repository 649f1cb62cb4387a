import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserMissing, type Journey, startJourney } from './browser.ts';

const missing = browserMissing('browser journey');

const PASSWORD = 'correct horse battery staple';

describe('browser journey: set up, sign in, switch language, sign out', { skip: missing }, () => {
  let journey: Journey;
  let page: Page;
  let base: string;
  let setupLink: string;

  before(async () => {
    journey = await startJourney({ prefix: 'haven-e2e-' });
    ({ page, base, setupLink } = journey);
  });

  after(() => journey?.close());

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
    assert.deepEqual(journey.problems, []);
  });
});
