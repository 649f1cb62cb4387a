import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { browserMissing, type Journey, startJourney } from './browser.ts';

const missing = browserMissing('reporting journey');

const PASSWORD = 'correct horse battery staple';
const COORDINATOR_PASSWORD = 'lighthouse keeper on the dyke';
const ORG = 'gemeente-voorbeeld';
const COORDINATOR = 'cor@voorbeeld.test';

const TITLE = 'Wachtwoord-resetlink van de inlogpagina lekt via de Referer-header';
const STEPS = [
  'Ga naar de inlogpagina en vraag een nieuw wachtwoord aan voor je eigen account.',
  'Open de link uit de e-mail die je daarna krijgt.',
  'Op de pagina waar je het nieuwe wachtwoord kiest, staat een afbeelding van een externe website.',
  'Bij het laden van die afbeelding stuurt de browser het volledige webadres, met het geheime token, mee naar die andere website.',
  'Ik heb dit gezien in de netwerkgegevens van mijn browser; zie de schermafdruk.',
].join('\n');
const IMPACT =
  'Wie die externe website beheert, kan met het token het wachtwoord van een willekeurige gebruiker wijzigen en het account overnemen.';
const REPLY =
  'Dank je wel voor je duidelijke melding. We hebben het probleem kunnen naspelen en zoeken nu uit hoe we het oplossen.';
const NOTE = 'Intern: leverancier van de afbeelding is Pixelfabriek, contract nakijken (notitie-7f3a).';
const ANSWER = 'Fijn om te horen! Laat het me weten als ik de oplossing straks mag controleren.';

/**
 * Screenshots of the key steps: kept in HAVEN_E2E_SCREENSHOTS when it is set, otherwise in a
 * temporary directory that is removed again unless the journey failed (then its path is printed).
 */
const keepShots = process.env.HAVEN_E2E_SCREENSHOTS;
let shots = '';

async function shot(page: Page, name: string) {
  // From the top: the console's sticky header would otherwise be drawn where the page was scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

describe('browser journey: an anonymous report in Dutch, answered both ways', { skip: missing }, () => {
  let journey: Journey;
  let owner: Page;
  let coordinator: Page;
  let reporter: Page;
  let base: string;
  let caseLink = '';
  let reference = '';
  let finished = false;

  before(async () => {
    shots = keepShots ?? fs.mkdtempSync(path.join(os.tmpdir(), 'haven-e2e-reporting-shots-'));
    fs.mkdirSync(shots, { recursive: true });
    // 401: the console asks for the session before anyone has signed in.
    journey = await startJourney({ prefix: 'haven-e2e-reporting-', viewport: { width: 1280, height: 900 } });
    ({ page: owner, base } = journey);
  });

  after(async () => {
    await journey?.close();
    if (keepShots || !shots) return;
    if (finished) fs.rmSync(shots, { recursive: true, force: true });
    else process.stdout.write(`# screenshots of the reporting journey: ${shots}\n`);
  });

  test('the owner sets Haven up on the reconi preset and invites a coordinator', async () => {
    await owner.goto(journey.setupLink);
    await owner.getByLabel('Organisation name').fill('Gemeente Voorbeeld');
    await owner.getByLabel('Name', { exact: true }).fill('Anna de Vries');
    await owner.getByLabel('E-mail address').fill('anna@voorbeeld.test');
    await owner.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await owner.getByLabel('Repeat password').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Set up Haven' }).click();
    await owner.waitForURL(new RegExp(`/console/${ORG}$`));

    await owner.getByRole('link', { name: 'Policy', exact: true }).click();
    await owner.getByRole('button', { name: 'Start from a preset…' }).click();
    const presets = owner.getByRole('dialog', { name: 'Start from a preset' });
    await presets.getByLabel('Reconi').check();
    await presets.getByRole('button', { name: 'Replace the draft' }).click();
    await owner.getByText('The draft now follows the Reconi preset and has been saved.').waitFor();
    await owner.getByRole('button', { name: 'Publish', exact: true }).click();
    const publish = owner.getByRole('dialog', { name: 'Publish version 1?' });
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await owner.getByText('Version 1 is published; the draft has no unpublished changes').waitFor();

    await owner.getByRole('link', { name: 'Members', exact: true }).click();
    const invite = owner.getByRole('region', { name: 'Invite someone' });
    await invite.getByLabel('E-mail address').fill(COORDINATOR);
    await invite.getByLabel(/^Name/).fill('Cor Jansen');
    assert.equal(await invite.getByLabel('Role').inputValue(), 'coordinator');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByText(`Invitation sent to ${COORDINATOR}.`).waitFor();
  });

  test('the invitation arrives in the dev mailbox, and the coordinator joins with it', async () => {
    await owner.getByRole('link', { name: 'Dev mailbox', exact: true }).click();
    await owner.getByRole('heading', { name: 'Dev mailbox' }).waitFor();
    // The invitation is sent by a background job: on a busy machine it may land after the page loads.
    const invitationLink = owner
      .getByRole('link', { name: /invited to Gemeente Voorbeeld/ })
      .filter({ hasText: COORDINATOR });
    for (let tries = 0; tries < 60 && (await invitationLink.count()) === 0; tries += 1) {
      await owner.waitForTimeout(500);
      await owner.reload();
      await owner.getByRole('heading', { name: 'Dev mailbox' }).waitFor();
    }
    await invitationLink.click();
    const reader = owner.getByRole('region', { name: 'Message' });
    await reader.getByRole('heading', { name: 'You are invited to Gemeente Voorbeeld on Haven' }).waitFor();
    const mail = await reader.locator('article').innerText();
    const invitation = new RegExp(`${base}/set-password#token=[^\\s]+`).exec(mail)?.[0];
    assert.ok(invitation, `the invitation holds a link to choose a password:\n${mail}`);
    await shot(owner, '01-dev-mailbox-invitation');

    coordinator = await journey.newPage();
    await coordinator.goto(invitation);
    await coordinator.getByLabel('New password').fill(COORDINATOR_PASSWORD);
    await coordinator.getByLabel('Repeat password').fill(COORDINATOR_PASSWORD);
    await coordinator.getByRole('button', { name: 'Save password' }).click();
    await coordinator.getByText('Your password is set').waitFor();
    await coordinator.getByRole('link', { name: 'Sign in' }).click();
    await coordinator.getByLabel('E-mail address').fill(COORDINATOR);
    await coordinator.getByLabel('Password', { exact: true }).fill(COORDINATOR_PASSWORD);
    await coordinator.getByRole('button', { name: 'Sign in' }).click();
    await coordinator.waitForURL(new RegExp(`/console/${ORG}$`));
    await coordinator.getByRole('heading', { name: 'Gemeente Voorbeeld' }).waitFor();
  });

  test('an anonymous reporter sends a report in Dutch with a screenshot', async () => {
    reporter = await journey.newPage({ locale: 'nl-NL' });
    assert.deepEqual(await reporter.context().cookies(), [], 'a stranger: no cookies');
    await reporter.goto(`${base}/o/${ORG}/report`);
    assert.equal(await reporter.evaluate(() => document.documentElement.lang), 'nl');
    await reporter.getByRole('heading', { name: 'Kwetsbaarheid melden', level: 1 }).waitFor();

    await reporter.getByLabel(/^Titel/).fill(TITLE);
    await reporter
      .getByLabel(/^Betrokken systemen/)
      .fill(`https://mijn.voorbeeld.test/wachtwoord-vergeten\nhttps://mijn.voorbeeld.test/nieuw-wachtwoord`);
    await reporter.getByLabel(/^Wat je hebt gevonden/).fill(STEPS);
    await reporter.getByLabel(/^Impact/).fill(IMPACT);
    await reporter.getByLabel('Anoniem', { exact: true }).check();
    assert.equal(await reporter.getByLabel(/^E-mailadres/).inputValue(), '', 'no e-mail address given');
    assert.equal(await reporter.getByLabel('Nederlands', { exact: true }).isChecked(), true);
    const screenshot = await sharp({
      create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 90, b: 160 } },
    })
      .png()
      .toBuffer();
    await reporter
      .getByLabel('Schermafdrukken en andere bestanden')
      .setInputFiles({ name: 'netwerk-referer.png', mimeType: 'image/png', buffer: screenshot });
    await reporter.getByLabel(/gelezen en ga ermee akkoord/).check();
    await shot(reporter, '02-report-form-filled');

    // The ALTCHA proof-of-work runs in the browser's worker before the form goes.
    await reporter.getByRole('button', { name: 'Melding versturen' }).click();
    await reporter.getByRole('heading', { name: 'Bedankt voor je melding' }).waitFor({ timeout: 60_000 });
    await shot(reporter, '03-report-received');

    reference = (await reporter.locator('.reference').innerText()).trim();
    assert.match(reference, /^GEMEENTE-VOORBEELD-20\d\d-0001$/);
    caseLink = (await reporter.locator('#case-link').innerText()).trim();
    assert.match(caseLink, new RegExp(`^${base}/r/havenr_[A-Za-z0-9_-]+$`));
    await reporter
      .getByText('Zonder e-mailadres is een verloren link niet terug te halen', { exact: false })
      .waitFor();
  });

  test('the coordinator finds the case, sees the screenshot, replies and writes a note', async () => {
    await coordinator.getByRole('link', { name: 'Cases', exact: true }).click();
    await coordinator.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    const row = coordinator.getByRole('row').filter({ hasText: reference });
    await row.getByRole('link', { name: TITLE }).waitFor();
    await row.getByText('Anonymous').waitFor();
    await shot(coordinator, '04-console-cases');
    await row.getByRole('link', { name: TITLE }).click();
    await coordinator.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    const files = coordinator.getByRole('region', { name: /^Files/ });
    const file = files.getByRole('listitem').filter({ hasText: 'netwerk-referer.png' });
    await file.getByText('Re-encoded, metadata removed').waitFor();
    await file.getByText('image/png').waitFor();

    const messages = coordinator.getByRole('region', { name: /^Messages/ });
    await messages.getByLabel('Reply to the reporter').fill(REPLY);
    await messages.getByRole('button', { name: 'Send reply' }).click();
    await messages.getByText('Reply sent.').waitFor();
    await messages.locator('.thread').getByText(REPLY).waitFor();

    const notes = coordinator.getByRole('region', { name: /^Internal notes/ });
    await notes.getByLabel('Add a note').fill(NOTE);
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.getByText('Note added.').waitFor();
    await notes.locator('.notes').getByText(NOTE).waitFor();
    await shot(coordinator, '05-console-case-replied');
  });

  test('the reporter opens the private link, reads the reply (not the note) and answers', async () => {
    await reporter.goto(caseLink);
    await reporter.waitForURL(`${base}/r/case`);
    assert.ok(!reporter.url().includes('havenr_'), 'the token has left the address bar');
    assert.equal(await reporter.evaluate(() => document.documentElement.lang), 'nl');
    await reporter.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    const thread = reporter.locator('#messages .thread');
    const reply = thread.getByRole('listitem').filter({ hasText: REPLY });
    await reply.getByText('Gemeente Voorbeeld', { exact: true }).waitFor();
    assert.equal(await reporter.getByText('notitie-7f3a', { exact: false }).count(), 0, 'no internal note');
    assert.ok(!(await reporter.content()).includes('notitie-7f3a'), 'not even hidden in the page');
    await reporter.getByText('netwerk-referer.png').waitFor();
    await shot(reporter, '06-reporter-case-reply');

    await reporter.getByRole('textbox', { name: 'Schrijf het team' }).fill(ANSWER);
    await reporter.getByRole('button', { name: 'Bericht versturen' }).click();
    await reporter.getByRole('status').getByText('Je bericht is verstuurd.').waitFor();
    const answer = thread.getByRole('listitem').filter({ hasText: ANSWER });
    await answer.getByText('Jij', { exact: true }).waitFor();
    assert.equal(await thread.getByRole('listitem').count(), 2);
    await shot(reporter, '07-reporter-answered');
  });

  test('the coordinator reloads the case and reads the answer', async () => {
    await coordinator.reload();
    const messages = coordinator.getByRole('region', { name: /^Messages/ });
    const answer = messages.locator('.thread > li').filter({ hasText: ANSWER });
    await answer.getByText('Reporter', { exact: true }).waitFor();
    assert.equal(await messages.locator('.thread > li').count(), 2);
    await shot(coordinator, '08-console-answer');

    // The reporter gave no address: neither the acknowledgement nor the reply went out by mail.
    // The team was told, by notices that hold nothing of the report ("[Gemeente Voorbeeld] Case …").
    const listed = owner.waitForResponse((r) => r.url().endsWith(`/api/v1/orgs/${ORG}/dev-mailbox`));
    await owner.getByRole('button', { name: 'Refresh' }).click();
    await listed;
    const mails = owner.locator('.mailbox-subject');
    await mails.first().waitFor();
    const subjects = await mails.allInnerTexts();
    const notices = subjects.filter((s) => s.startsWith('[Gemeente Voorbeeld] '));
    assert.ok(notices.length > 0, subjects.join(' | '));
    assert.ok(
      notices.every((s) => /^\[Gemeente Voorbeeld\] (Case|Zaak) [A-Z0-9-]+-\d{4}-\d{4}$/.test(s)),
      notices.join(),
    );
    assert.deepEqual(
      subjects.filter((s) => !notices.includes(s)),
      ['You are invited to Gemeente Voorbeeld on Haven'],
    );
  });

  test('no CSP violations or script errors along the way', () => {
    assert.deepEqual(journey.problems, []);
    finished = true;
  });
});
