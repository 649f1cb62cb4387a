import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Dovecot, dovecotMissing, startDovecot } from '../dovecot.ts';
import { browserMissing, type Journey, startJourney } from './browser.ts';

const missing = browserMissing('IMAP mailbox journey') ?? dovecotMissing();

const OWNER_PASSWORD = 'correct horse battery staple';
const WRONG_PASSWORD = 'not-the-imap-password-7f3a';
const THROWAWAY_PASSWORD = 'never-saved-imap-password-2c9e';

/** Haven's setup link: the organisation and its first owner, signed in on the overview. */
async function setUpOwner(page: Page, setupLink: string): Promise<void> {
  await page.goto(setupLink);
  await page.getByLabel('Organisation name').fill('Gemeente Voorbeeld');
  await page.getByLabel('Name', { exact: true }).fill('Anna de Vries');
  await page.getByLabel('E-mail address').fill('anna@voorbeeld.test');
  await page.getByLabel('Password', { exact: true }).fill(OWNER_PASSWORD);
  await page.getByLabel('Repeat password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Set up Haven' }).click();
  await page.waitForURL(/\/console\/gemeente-voorbeeld$/);
}

function assertNoSecretIn(secrets: readonly string[], text: string, where: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${where} holds no typed secret`);
}

describe('browser journey: an owner sets up the IMAP mailbox', { skip: missing }, () => {
  let journey: Journey;
  let page: Page;
  let base: string;
  let dovecot: Dovecot;
  /** Every secret typed into the page: none may come back in its source or the API's answers. */
  let secrets: string[];

  const passwordInput = () => page.locator('input[type="password"]');

  before(async () => {
    dovecot = await startDovecot();
    secrets = [dovecot.password, WRONG_PASSWORD, THROWAWAY_PASSWORD];
    // No mailbox yet answers 404, a refused host 422 and a failed test 502: the page's business.
    journey = await startJourney({ prefix: 'haven-e2e-imap-', ignore: /\b(401|404|422|502)\b/ });
    ({ page, base } = journey);
  });

  after(async () => {
    await journey?.close();
    await dovecot?.stop();
  });

  test('the owner sets Haven up and opens the Mailbox page', async () => {
    await setUpOwner(page, journey.setupLink);
    await page.getByRole('link', { name: 'Mailbox', exact: true }).click();
    await page.waitForURL(/\/console\/gemeente-voorbeeld\/mailbox$/);
    await page.getByRole('heading', { name: 'Set up the mailbox' }).waitFor();
    await page.getByText('Microsoft 365 and Google refuse plain passwords').waitFor();
    // This Haven runs without its SMTP listener: the page says so rather than offer an address that takes nothing.
    await page.getByText("Haven's own mail intake (SMTP) is turned off on this server").waitFor();
    assert.equal(await page.getByText('gemeente-voorbeeld@127.0.0.1').count(), 0);
  });

  test('a host the server refuses is marked beside its field', async () => {
    await page.getByLabel('IMAP server').fill('imap example.org');
    await page.getByLabel('User name').fill(dovecot.user);
    await passwordInput().fill(THROWAWAY_PASSWORD);
    await page.getByRole('button', { name: 'Save' }).click();
    const host = page.getByLabel('IMAP server');
    await page.getByText('This value is not valid.').waitFor();
    assert.equal(await host.getAttribute('aria-invalid'), 'true');
    const describedBy = (await host.getAttribute('aria-describedby')) ?? '';
    assert.match(
      await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).innerText(),
      /not valid/,
      'the message belongs to the host field',
    );
    await page.getByRole('heading', { name: 'Set up the mailbox' }).waitFor();
  });

  test('saving with a password shows that a password is stored, never the password', async () => {
    await page.getByLabel('IMAP server').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.port));
    await page.getByRole('radio', { name: 'None' }).check();
    await passwordInput().fill(dovecot.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The mailbox is set up.').waitFor();
    await page.getByRole('heading', { name: 'Current settings' }).waitFor();
    const current = page.getByRole('region', { name: 'Current settings' });
    await current.getByText('A password is stored.').waitFor();
    await current.getByText(`127.0.0.1:${dovecot.port}`).waitFor();
    assert.equal(await passwordInput().inputValue(), '', 'the password field is empty again');
    assert.equal(await passwordInput().getAttribute('placeholder'), 'Leave empty to keep the stored one');
    assertNoSecretIn(secrets, await page.content(), 'the page source');
    const answer = await page.request.get(`${base}/api/v1/orgs/gemeente-voorbeeld/mailboxes/imap`);
    assert.equal(answer.status(), 200);
    assertNoSecretIn(secrets, await answer.text(), 'the API answer');
  });

  test('Test connection signs in to Dovecot and says so', async () => {
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection works.').waitFor();
    await page
      .getByText(/^Haven signed in and opened INBOX: \d+ messages? (is|are) waiting there\.$/)
      .waitFor();
    assertNoSecretIn(secrets, await page.content(), 'the page source');
  });

  test('the page speaks Dutch', async () => {
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { name: 'Postvak', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Postvak', exact: true }).waitFor();
    await page.getByText('Er is een wachtwoord opgeslagen.').first().waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Mailbox', exact: true }).waitFor();
  });

  test('a wrong password saved and tested shows why the connection fails', async () => {
    await passwordInput().fill(WRONG_PASSWORD);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The settings are saved.').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection does not work.').waitFor();
    await page
      .getByText(`The server at 127.0.0.1:${dovecot.port} refused the sign-in.`, { exact: false })
      .waitFor();
    assertNoSecretIn(secrets, await page.content(), 'the page source');
  });

  test('Remove asks first, then forgets the mailbox', async () => {
    await page.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the mailbox?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('The mailbox is removed.').waitFor();
    await page.getByRole('heading', { name: 'Set up the mailbox' }).waitFor();
    const answer = await page.request.get(`${base}/api/v1/orgs/gemeente-voorbeeld/mailboxes/imap`);
    assert.equal(answer.status(), 404);
    await page.reload();
    await page.getByRole('heading', { name: 'Set up the mailbox' }).waitFor();
    assertNoSecretIn(secrets, await page.content(), 'the page source');
  });

  test('no CSP violations or script errors along the way', () => {
    assert.deepEqual(journey.problems, []);
  });
});

/**
 * The mail provider's side of XOAUTH2 on loopback: a token endpoint that swaps the one refresh
 * token for an access token when the client ID and secret match, and the introspection endpoint
 * Dovecot asks whether that access token is good.
 */
async function startOAuthProvider(user: string) {
  const client = { id: 'haven-e2e', secret: 'client-secret-5d81' };
  const refreshToken = 'refresh-token-b7e2';
  const accessToken = 'access-token-91c4';
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const answer = (status: number, json: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (request.url === '/token') {
        if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret)
          return answer(401, { error: 'invalid_client' });
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken)
          return answer(400, { error: 'invalid_grant' });
        return answer(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
      }
      if (request.url === '/introspect')
        return answer(
          200,
          form.get('token') === accessToken ? { active: true, username: user } : { active: false },
        );
      answer(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client,
    refreshToken,
    accessToken,
    tokenUrl: `${base}/token`,
    introspectionUrl: `${base}/introspect`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('browser journey: an owner signs the mailbox in with OAuth2 (XOAUTH2)', { skip: missing }, () => {
  let journey: Journey;
  let page: Page;
  let base: string;
  let dovecot: Dovecot;
  let provider: Awaited<ReturnType<typeof startOAuthProvider>>;
  let secrets: string[];

  before(async () => {
    provider = await startOAuthProvider('security');
    dovecot = await startDovecot({ oauth2IntrospectionUrl: provider.introspectionUrl });
    secrets = [
      provider.refreshToken,
      provider.client.secret,
      provider.accessToken,
      'wrong-client-secret-0a6f',
    ];
    journey = await startJourney({ prefix: 'haven-e2e-imap-oauth-', ignore: /\b(401|404|422|502)\b/ });
    ({ page, base } = journey);
  });

  after(async () => {
    await journey?.close();
    await dovecot?.stop();
    await provider?.stop();
  });

  test('the OAuth2 fields appear only for XOAUTH2', async () => {
    await setUpOwner(page, journey.setupLink);
    await page.goto(`${base}/console/gemeente-voorbeeld/mailbox`);
    await page.getByRole('heading', { name: 'Set up the mailbox' }).waitFor();
    assert.equal(await page.getByLabel('Token URL').count(), 0, 'no OAuth2 fields for a password');
    await page.getByRole('radio', { name: 'OAuth2 (XOAUTH2)' }).check();
    await page.getByLabel('Token URL').waitFor();
    await page.getByLabel('Refresh token').waitFor();
  });

  test('saving shows what is stored, and the test signs in by XOAUTH2', async () => {
    await page.getByLabel('IMAP server').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.port));
    await page.getByRole('radio', { name: 'None' }).check();
    await page.getByLabel('User name').fill(dovecot.user);
    await page.getByLabel('Refresh token').fill(provider.refreshToken);
    await page.getByLabel('Token URL').fill(provider.tokenUrl);
    await page.getByLabel('Client ID').fill(provider.client.id);
    await page.getByLabel('Client secret').fill(provider.client.secret);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The mailbox is set up.').waitFor();
    const current = page.getByRole('region', { name: 'Current settings' });
    await current.getByText('A refresh token is stored.').waitFor();
    await current.getByText('A client secret is stored.').waitFor();
    await current.getByText(provider.tokenUrl).waitFor();
    assert.equal(await page.getByLabel('Refresh token').inputValue(), '');
    assert.equal(await page.getByLabel('Client secret').inputValue(), '');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection works.').waitFor();
    assert.match(dovecot.log(), /method=XOAUTH2/, 'Dovecot saw an XOAUTH2 sign-in');
    assertNoSecretIn(secrets, await page.content(), 'the page source');
    const answer = await page.request.get(`${base}/api/v1/orgs/gemeente-voorbeeld/mailboxes/imap`);
    assertNoSecretIn(secrets, await answer.text(), 'the API answer');
  });

  test('a client secret the provider refuses shows why the test fails', async () => {
    await page.getByLabel('Client secret').fill('wrong-client-secret-0a6f');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The settings are saved.').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection does not work.').waitFor();
    await page
      .getByText('Haven could not get an access token from the token URL.', { exact: false })
      .waitFor();
    await page.getByText(/invalid_client/).waitFor();
    assertNoSecretIn(secrets, await page.content(), 'the page source');
  });

  test('no CSP violations or script errors along the way', () => {
    assert.deepEqual(journey.problems, []);
  });
});
