import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { ImapFlow } from 'imapflow';
import type { Config } from '../src/config.ts';
import { type RunningHaven, startHaven } from '../src/main.ts';
import { createLogger } from '../src/platform/logger.ts';
import {
  type Dovecot,
  dovecotSkip,
  folderCount,
  makeCertificates,
  reportMail,
  startDovecot,
  startImapHaven,
} from './dovecot.ts';
import { client, engines } from './harness.ts';
import { freePort, tempDir } from './resources.ts';

const skip = dovecotSkip('the IMAP OAuth2 tests');

const FINDING = "The export endpoint at https://app.acme.test/export returns other tenants' invoices.";
const rawMail = (subject: string) => reportMail(subject, FINDING);

const CLIENT_ID = 'haven-imap-client';
const SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access';

/**
 * The organisation's identity provider, on loopback: a token endpoint (grant_type=refresh_token,
 * RFC 6749) for Haven and an introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb.
 */
type IdentityProvider = {
  url: string;
  clientSecret: string;
  /** Refresh tokens it takes now. */
  refreshTokens: Set<string>;
  /** Access tokens Dovecot is told are active, and for whom. */
  accessTokens: Map<string, string>;
  /** Every access token handed out. */
  issued: string[];
  /** Every refresh request, as the form Haven sent. */
  refreshes: URLSearchParams[];
  /** What the next refreshes do; `revoked`: introspection calls every token inactive. */
  behaviour: { rotate: boolean; refuse: boolean; expiresIn: number; revoked: boolean };
  issueRefreshToken(): string;
  stop(): Promise<void>;
};

async function startIdentityProvider(user: string): Promise<IdentityProvider> {
  const clientSecret = `client-secret-${randomBytes(8).toString('hex')}`;
  const refreshTokens = new Set<string>();
  const accessTokens = new Map<string, string>();
  const refreshes: URLSearchParams[] = [];
  const issued: string[] = [];
  const behaviour = { rotate: false, refuse: false, expiresIn: 3600, revoked: false };
  const issueRefreshToken = () => {
    const token = `rt-${randomBytes(12).toString('hex')}`;
    refreshTokens.add(token);
    return token;
  };
  const answer = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => {
      const form = new URLSearchParams(text);
      if (request.method === 'POST' && request.url === '/introspect') {
        const owner = accessTokens.get(form.get('token') ?? '');
        const active = owner !== undefined && !behaviour.revoked;
        return answer(response, 200, active ? { active: true, username: owner } : { active: false });
      }
      if (request.method === 'POST' && request.url === '/token') {
        refreshes.push(form);
        const refreshToken = form.get('refresh_token') ?? '';
        if (
          behaviour.refuse ||
          form.get('grant_type') !== 'refresh_token' ||
          form.get('client_id') !== CLIENT_ID ||
          form.get('client_secret') !== clientSecret ||
          !refreshTokens.has(refreshToken)
        ) {
          // The description echoes what came in, as some providers do: Haven must not repeat it.
          return answer(response, 400, {
            error: 'invalid_grant',
            error_description: `AADSTS70000: refresh token ${refreshToken} is expired or revoked`,
          });
        }
        const accessToken = `at-${randomBytes(16).toString('hex')}`;
        accessTokens.set(accessToken, user);
        issued.push(accessToken);
        const body: Record<string, unknown> = {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: behaviour.expiresIn,
          scope: form.get('scope'),
        };
        if (behaviour.rotate) {
          refreshTokens.delete(refreshToken);
          body.refresh_token = issueRefreshToken();
        }
        return answer(response, 200, body);
      }
      answer(response, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    clientSecret,
    refreshTokens,
    accessTokens,
    issued,
    refreshes,
    behaviour,
    issueRefreshToken,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const engine of engines()) {
  describe(`IMAP sign-in by XOAUTH2 with a refresh token, against Dovecot on ${engine}`, { skip }, () => {
    let certDir: string;
    let idp: IdentityProvider;
    let dovecot: Dovecot;
    let imap: ImapFlow;
    let config: Config;
    let running: RunningHaven;
    let owner: ReturnType<typeof client>;
    let cleanUp: (() => Promise<void>) | undefined;
    let firstRefreshToken: string;
    const logLines: string[] = [];
    const log = createLogger('info', { write: (line: string) => logLines.push(line) });

    const emailCases = async () => {
      const response = await owner.get('/api/v1/orgs/acme/cases?limit=200');
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().cases as { title: string; channel: string }[]).filter(
        (c) => c.channel === 'email',
      );
    };
    const shown = async () => {
      const response = await owner.get('/api/v1/orgs/acme/mailboxes/imap');
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const restart = async () => {
      await running.stop();
      running = await startHaven(config, log, () => {});
      const next = client(running.app);
      next.cookie = owner.cookie;
      next.csrf = owner.csrf;
      owner = next;
      // Every start polls once from a timer: once that has fired, this poll waits for it to end,
      // so no poll of the old settings runs on behind the next test.
      await new Promise((resolve) => setTimeout(resolve, 1));
      await running.imap.pollAll();
    };
    const storedRow = () =>
      running.runtime.deps.db.selectFrom('imap_mailboxes').selectAll().executeTakeFirstOrThrow();
    const settings = () => ({
      host: '127.0.0.1',
      port: dovecot.tlsPort,
      tls: 'implicit',
      username: dovecot.user,
      authKind: 'xoauth2',
      oauth: { tokenUrl: `${idp.url}/token`, clientId: CLIENT_ID, scope: SCOPE },
    });
    /** Every secret the identity provider handed out or took: none may show in logs or answers. */
    const secrets = () => [
      idp.clientSecret,
      ...idp.refreshes.map((f) => f.get('refresh_token') ?? ''),
      ...idp.issued,
    ];

    before(async () => {
      certDir = tempDir('haven-imap-oauth-');
      const certificates = makeCertificates(certDir);
      idp = await startIdentityProvider('security');
      dovecot = await startDovecot({ tls: certificates, oauth2IntrospectionUrl: `${idp.url}/introspect` });
      imap = await dovecot.connect();
      ({ config, running, owner, cleanUp } = await startImapHaven(
        engine,
        { HAVEN_IMAP_CA_FILE: certificates.caFile },
        log,
      ));
    });
    after(async () => {
      await imap?.logout().catch(() => {});
      await running?.stop();
      await dovecot?.stop();
      await idp?.stop();
      await cleanUp?.();
      if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
    });

    test('xoauth2 needs the OAuth2 client, with a token URL that is https or loopback', async () => {
      const { oauth: _oauth, ...withoutClient } = settings();
      const missing = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...withoutClient,
        secret: 'rt-x',
      });
      assert.equal(missing.statusCode, 422, missing.body);
      assert.deepEqual(
        missing.json().error.details.map((d: { field: string; code: string }) => [d.field, d.code]),
        [['oauth', 'required']],
      );
      for (const tokenUrl of [
        'http://login.example.org/token',
        'https://user:pw@login.example.org/token',
        'ftp://127.0.0.1/token',
        'not a url',
      ]) {
        const refused = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
          ...settings(),
          oauth: { tokenUrl, clientId: CLIENT_ID },
          secret: 'rt-x',
        });
        assert.equal(refused.statusCode, 422, `${tokenUrl}: ${refused.body}`);
        assert.equal(refused.json().error.details[0].field, 'oauth.tokenUrl');
      }
      const noRefreshToken = await owner.put('/api/v1/orgs/acme/mailboxes/imap', settings());
      assert.equal(noRefreshToken.statusCode, 422, noRefreshToken.body);
      assert.equal(noRefreshToken.json().error.details[0].field, 'secret');
    });

    test('the owner stores the client and a refresh token; neither secret comes back; the test signs in by XOAUTH2', async () => {
      firstRefreshToken = idp.issueRefreshToken();
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        oauth: { ...settings().oauth, clientSecret: idp.clientSecret },
        secret: firstRefreshToken,
      });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().oauth, {
        tokenUrl: `${idp.url}/token`,
        clientId: CLIENT_ID,
        scope: SCOPE,
        hasClientSecret: true,
      });
      assert.equal(saved.json().hasSecret, true);
      const view = await owner.get('/api/v1/orgs/acme/mailboxes/imap');
      for (const body of [saved.body, view.body]) {
        assert.ok(!body.includes(firstRefreshToken));
        assert.ok(!body.includes(idp.clientSecret));
      }
      // Sealed in the database, not written as they are.
      const row = await storedRow();
      assert.ok(!row.secret_sealed.includes(Buffer.from(firstRefreshToken)));
      assert.ok(row.oauth_client_secret_sealed);
      assert.ok(!row.oauth_client_secret_sealed.includes(Buffer.from(idp.clientSecret)));

      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(idp.refreshes.length, 1);
      const form = idp.refreshes[0];
      assert.equal(form?.get('grant_type'), 'refresh_token');
      assert.equal(form?.get('refresh_token'), firstRefreshToken);
      assert.equal(form?.get('client_id'), CLIENT_ID);
      assert.equal(form?.get('client_secret'), idp.clientSecret);
      assert.equal(form?.get('scope'), SCOPE);
      assert.match(dovecot.log(), /Login: user=<security>, method=XOAUTH2, .*TLS/);
    });

    test('a poll signs in by XOAUTH2 and takes the mail; the access token serves the next poll too', async () => {
      await imap.append('INBOX', rawMail('First finding, read with OAuth2'));
      await running.imap.pollAll();
      assert.deepEqual(
        (await emailCases()).map((c) => c.title),
        ['First finding, read with OAuth2'],
      );
      assert.equal(await folderCount(imap, 'INBOX'), 0);
      assert.equal((await shown()).lastError, null);
      const refreshes = idp.refreshes.length;

      await imap.append('INBOX', rawMail('Second finding, same access token'));
      await running.imap.pollAll();
      assert.equal((await emailCases()).length, 2);
      assert.equal(idp.refreshes.length, refreshes, 'the token, valid for an hour, is used again');
    });

    test('a token the server stops taking: auth_failed, and the next poll gets a new one', async () => {
      idp.accessTokens.clear(); // revoked (or expired) before Haven expected
      await imap.append('INBOX', rawMail('Third finding, after a revoked token'));
      await running.imap.pollAll();
      assert.match((await shown()).lastError, /refused the sign-in with the OAuth2 access token/);
      assert.equal((await emailCases()).length, 2);

      const refreshes = idp.refreshes.length;
      await running.imap.pollAll();
      assert.equal(idp.refreshes.length, refreshes + 1);
      assert.equal((await shown()).lastError, null);
      assert.equal((await emailCases()).length, 3);

      // The test endpoint too: the token it gets is refused by the server.
      idp.behaviour.revoked = true;
      try {
        const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
        assert.equal(checked.statusCode, 502, checked.body);
        assert.equal(checked.json().error.code, 'mail.imap_failed');
        assert.equal(checked.json().error.details[0].code, 'auth_failed');
        assert.ok(!checked.body.includes(idp.issued.at(-1) ?? '-'));
      } finally {
        idp.behaviour.revoked = false;
      }
    });

    test('a rotated refresh token is stored, sealed, and used the next time', async () => {
      idp.behaviour.rotate = true;
      idp.behaviour.expiresIn = 60; // shorter than Haven's margin: every poll gets a new token
      const before = await storedRow();
      const earlier = idp.refreshes.length;
      // A restart forgets the access token held in memory: the polls after it refresh.
      await restart();
      await imap.append('INBOX', rawMail('Fourth finding, after rotations'));
      await running.imap.pollAll();
      assert.equal((await shown()).lastError, null);
      assert.equal((await emailCases()).length, 4);
      const used = idp.refreshes.slice(earlier).map((form) => form.get('refresh_token'));
      assert.ok(used.length >= 2, 'several refreshes, each rotating');
      assert.equal(used[0], firstRefreshToken);
      assert.ok(!used.slice(1).includes(firstRefreshToken), 'the next refresh used the rotated token');
      assert.equal(new Set(used).size, used.length);
      // The provider takes only the newest one now; Haven holds it, sealed.
      const [newest] = [...idp.refreshTokens];
      assert.equal(idp.refreshTokens.size, 1);
      assert.ok(newest && newest !== firstRefreshToken);
      const after = await storedRow();
      assert.notDeepEqual(after.secret_sealed, before.secret_sealed);
      assert.ok(!after.secret_sealed.includes(Buffer.from(newest)));

      // After another restart the stored token works: it was kept, not just remembered.
      idp.behaviour.rotate = false;
      await restart();
      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(idp.refreshes.at(-1)?.get('refresh_token'), newest);
    });

    test('a refused refresh: oauth_failed in the last error and the test, no mail taken, nothing crashes', async () => {
      idp.behaviour.refuse = true;
      await imap.append('INBOX', rawMail('Fifth finding, waiting for a working refresh token'));
      await running.imap.pollAll();
      const view = await shown();
      assert.match(
        view.lastError,
        /token endpoint at 127\.0\.0\.1:\d+ refused to renew the access token \(invalid_grant\)/,
      );
      assert.doesNotMatch(view.lastError, /AADSTS|rt-/);
      assert.equal((await emailCases()).length, 4);
      assert.equal(await folderCount(imap, 'INBOX'), 1);

      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 502, checked.body);
      assert.equal(checked.json().error.code, 'mail.imap_failed');
      assert.equal(checked.json().error.details[0].code, 'oauth_failed');

      // A token endpoint that is not there at all.
      idp.behaviour.refuse = false;
      const port = await freePort();
      const elsewhere = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        oauth: { tokenUrl: `http://127.0.0.1:${port}/token`, clientId: CLIENT_ID },
        secret: idp.issueRefreshToken(),
      });
      assert.equal(elsewhere.statusCode, 200, elsewhere.body);
      assert.equal(
        elsewhere.json().oauth.hasClientSecret,
        false,
        'a new token URL does not get the old client secret',
      );
      await running.imap.pollAll();
      assert.match((await shown()).lastError, /Could not reach the token endpoint at 127\.0\.0\.1:\d+/);
    });

    test('the client secret is kept while the client stays; a new client needs the refresh token again', async () => {
      const refreshToken = idp.issueRefreshToken();
      const back = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        oauth: { ...settings().oauth, clientSecret: idp.clientSecret },
        secret: refreshToken,
      });
      assert.equal(back.statusCode, 200, back.body);
      const scopeOnly = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        oauth: { ...settings().oauth, scope: `${SCOPE} openid` },
      });
      assert.equal(scopeOnly.statusCode, 200, scopeOnly.body);
      assert.equal(scopeOnly.json().oauth.hasClientSecret, true);
      assert.equal(scopeOnly.json().oauth.scope, `${SCOPE} openid`);
      const otherClient = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        oauth: { ...settings().oauth, clientId: 'another-client' },
      });
      assert.equal(otherClient.statusCode, 422, otherClient.body);
      assert.equal(otherClient.json().error.details[0].field, 'secret');

      // The waiting mail comes in once the token endpoint works again.
      await running.imap.pollAll();
      assert.equal((await shown()).lastError, null);
      assert.equal((await emailCases()).length, 5);
      assert.equal(await folderCount(imap, 'INBOX'), 0);

      // Back to a password: the OAuth2 client is forgotten.
      const password = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        ...settings(),
        authKind: 'password',
        secret: dovecot.password,
      });
      assert.equal(password.statusCode, 200, password.body);
      assert.equal(password.json().oauth, null);
      const row = await storedRow();
      assert.equal(row.oauth_client_secret_sealed, null);
      assert.equal(row.oauth_token_url, null);
    });

    test('no refresh token, access token or client secret reaches the log', () => {
      const logs = logLines.join('\n');
      assert.ok(logs.includes('imap: got an OAuth2 access token'));
      for (const secret of secrets()) {
        assert.ok(secret.length > 0);
        assert.ok(!logs.includes(secret), 'a secret is in the log');
      }
      assert.ok(!logs.includes('AADSTS'), "the token endpoint's own words stay out of the log");
      const xoauth2 = (token: string) =>
        Buffer.from(`user=security\x01auth=Bearer ${token}\x01\x01`).toString('base64');
      for (const token of idp.issued) assert.ok(!logs.includes(xoauth2(token)));
    });
  });
}
