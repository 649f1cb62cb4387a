import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserMissing, type Journey, startJourney } from './browser.ts';

const missing = browserMissing('policy editor journey');

const PASSWORD = 'correct horse battery staple';
const ORG = 'gemeente-voorbeeld';
const INTRODUCTION = '{{organisation}} wants to hear about every weakness in its online services.';

describe('browser journey: edit the policy, save, publish', { skip: missing }, () => {
  let journey: Journey;
  let page: Page;
  let base: string;
  let setupLink: string;

  before(async () => {
    // 401: signed out at first; 422: the refused save below (the tests check that one themselves).
    journey = await startJourney({
      prefix: 'haven-e2e-policy-',
      viewport: { width: 1440, height: 900 },
      ignore: /\b(401|422)\b/,
    });
    ({ page, base, setupLink } = journey);
  });

  after(() => journey?.close());

  test('the owner sets up Haven and opens the policy page', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organisation name').fill('Gemeente Voorbeeld');
    await page.getByLabel('Name', { exact: true }).fill('Anna de Vries');
    await page.getByLabel('E-mail address').fill('anna@voorbeeld.test');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set up Haven' }).click();
    await page.waitForURL(new RegExp(`/console/${ORG}$`));
    await page.getByRole('link', { name: 'Policy', exact: true }).click();
    await page.waitForURL(new RegExp(`/console/${ORG}/policy$`));
    await page.getByRole('heading', { name: 'Policy', exact: true }).waitFor();
    await page.getByText('No policy published yet').waitFor();
    assert.equal(await page.getByRole('link', { name: /View public page/ }).count(), 0, 'nothing public yet');
  });

  test('the reconi preset replaces the draft', async () => {
    await page.getByRole('button', { name: 'Start from a preset…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start from a preset' });
    await dialog.getByLabel('Reconi').check();
    await dialog.getByRole('button', { name: 'Replace the draft' }).click();
    await page.getByText('The draft now follows the Reconi preset and has been saved.').waitFor();
    // Reconi accepts reports in Dutch or English only; the default preset takes any language.
    assert.equal(await page.locator('#policy-intake-languages').inputValue(), 'nl, en');
  });

  test('an edited text shows in the preview with the organisation name, and saves', async () => {
    await page.getByRole('textbox', { name: 'Introduction, English' }).fill(INTRODUCTION);
    await page
      .locator('.policy-doc')
      .getByText('Gemeente Voorbeeld wants to hear about every weakness in its online services.')
      .waitFor();
    await page.locator('.policy-savebar').getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page
      .locator('.policy-savebar')
      .getByText(/^Saved/)
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save draft' }).isDisabled(), true);
  });

  test('publishing asks first, then makes version 1 public', async () => {
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 1?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Version 1 is published; the draft has no unpublished changes').waitFor();
    const publicLink = page.getByRole('link', { name: /View public page/ }).first();
    assert.equal(await publicLink.getAttribute('href'), `${base}/o/${ORG}`);
    assert.equal(await publicLink.getAttribute('target'), '_blank');

    const response = await page.request.get(`${base}/api/v1/orgs/${ORG}/policy`);
    assert.equal(response.status(), 200);
    const published = (await response.json()) as {
      version: number;
      settings: { introduction: { en: string } };
    };
    assert.equal(published.version, 1);
    assert.equal(published.settings.introduction.en, INTRODUCTION);
  });

  test('the history lists version 1', async () => {
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByRole('cell', { name: /Version 1/ }).waitFor();
    await page.getByRole('cell', { name: 'anna@voorbeeld.test' }).waitFor();
  });

  test('progress updates: none, at milestones or every N days, and the preview says the same', async () => {
    await page.getByRole('tab', { name: 'Edit' }).click();
    const kind = page.getByLabel('Progress updates', { exact: true });
    const days = page.getByLabel('Days between updates');
    const preview = page.locator('.policy-doc');
    // Reconi promises no progress updates: no control for days, and the preview says nothing.
    assert.equal(await kind.inputValue(), 'none');
    assert.equal(await days.count(), 0);
    assert.equal(await preview.getByText(/how things stand|progress/).count(), 0);

    await kind.selectOption('interval');
    assert.equal(await days.inputValue(), '14');
    await days.fill('10');
    await preview
      .getByText('While your report is open, we tell you how things stand at least every 10 days.')
      .waitFor();

    await kind.selectOption('milestones');
    await days.waitFor({ state: 'detached' });
    await preview.getByText('We keep you informed of the progress at every important step.').waitFor();

    // Back to an interval: the number entered before is still there.
    await kind.selectOption('interval');
    assert.equal(await days.inputValue(), '10');
    await preview.getByText('at least every 10 days.', { exact: false }).waitFor();
  });

  test('a repeated e-mail address comes back from the server on the repeated entry', async () => {
    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.getByLabel('Intake e-mail address 1').fill('security@voorbeeld.test');
    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.getByLabel('Intake e-mail address 2').fill('Security@Voorbeeld.test');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/orgs/${ORG}/policy/draft`) && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: 'Save draft' }).click();
    assert.equal((await saved).status(), 422);
    const second = page.getByLabel('Intake e-mail address 2');
    await page
      .locator('#policy-intake-emails-1-error')
      .getByText('This address is already in the list (capitals make no difference).')
      .waitFor();
    assert.equal(await second.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Intake e-mail address 1').getAttribute('aria-invalid'), null);
    await page.getByRole('alert').getByText('The draft was not saved: 1 field needs attention.').waitFor();

    await page.getByRole('button', { name: 'Remove Security@Voorbeeld.test', exact: true }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page
      .locator('.policy-savebar')
      .getByText(/^Saved/)
      .waitFor();
    assert.equal(await page.locator('#policy-intake-emails-1').count(), 0);
  });

  test('a working day that ends before it starts is marked before asking the server', async () => {
    let puts = 0;
    const count = (r: { url: () => string; method: () => string }) => {
      if (r.url().endsWith('/policy/draft') && r.method() === 'PUT') puts++;
    };
    page.on('request', count);
    await page.getByLabel('Working day ends at').fill('08:00');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page
      .locator('#policy-calendar-workingHours-end-error')
      .getByText('The working day must end after it starts.')
      .waitFor();
    page.off('request', count);
    assert.equal(puts, 0);
    await page.getByLabel('Working day ends at').fill('17:30');
    assert.equal(
      await page.locator('#policy-calendar-workingHours-end-error').count(),
      0,
      'edited: no message',
    );
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page
      .locator('.policy-savebar')
      .getByText(/^Saved/)
      .waitFor();
  });

  test('no CSP violations or script errors along the way', () => {
    assert.deepEqual(journey.problems, []);
  });
});
