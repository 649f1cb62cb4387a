import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addOrganisationWithMember,
  client,
  engines,
  eventually,
  mailText,
  outboxMessages,
  STRONG_PASSWORD,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

for (const engine of engines()) {
  describe(`HTTP API on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
    });
    after(() => haven.close());

    test('health and readiness answer', async () => {
      assert.equal((await haven.app.inject('/healthz')).statusCode, 200);
      const ready = await haven.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready' });
    });

    test('setup cannot run twice, and its link works once', async () => {
      const again = await client(haven.app).post('/api/v1/setup', {
        token: 'x'.repeat(43),
        organisation: { slug: 'second', name: 'Second', defaultLanguage: 'nl', timezone: 'Europe/Amsterdam' },
        owner: { name: 'Eve', email: 'eve@evil.test', password: STRONG_PASSWORD },
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'setup.already_done');
      assert.deepEqual((await client(haven.app).get('/api/v1/setup')).json(), { needed: false });
    });

    test('the setup owner is signed in with a __Host- cookie and sees the organisation', async () => {
      const session = await owner.get('/api/v1/auth/session');
      assert.equal(session.statusCode, 200);
      const body = session.json();
      assert.equal(body.user.email, 'olga@acme.test');
      assert.deepEqual(body.memberships, [{ organisation: { slug: 'acme', name: 'Acme' }, role: 'owner' }]);
      const org = await owner.get('/api/v1/orgs/acme');
      assert.deepEqual(org.json(), {
        slug: 'acme',
        name: 'Acme',
        defaultLanguage: 'en',
        timezone: 'Europe/Amsterdam',
        role: 'owner',
        scopes: [
          'org:read',
          'members:read',
          'members:write',
          'policy:write',
          'cases:read',
          'cases:write',
          'reports:write',
        ],
      });
    });

    test('sign-in sets a Secure, HttpOnly, SameSite=Lax __Host- cookie and rotates the session', async () => {
      const c = client(haven.app);
      const response = await c.post('/api/v1/auth/sign-in', {
        email: 'OLGA@acme.test',
        password: STRONG_PASSWORD,
      });
      assert.equal(response.statusCode, 200);
      const header = String(response.headers['set-cookie']);
      assert.match(header, /^__Host-haven_session=/);
      assert.match(header, /; Secure/);
      assert.match(header, /; HttpOnly/);
      assert.match(header, /; SameSite=Lax/);
      assert.match(header, /; Path=\//);
      assert.doesNotMatch(header, /Domain=/i);
      const first = c.cookie;
      const again = await c.post('/api/v1/auth/sign-in', {
        email: 'olga@acme.test',
        password: STRONG_PASSWORD,
      });
      assert.equal(again.statusCode, 200);
      assert.notEqual(c.cookie, first);
      const stale = client(haven.app);
      stale.cookie = first;
      assert.equal(
        (await stale.get('/api/v1/auth/session')).statusCode,
        401,
        'the previous session ended at sign-in',
      );
    });

    test('wrong password and unknown account get the same answer', async () => {
      const a = await client(haven.app).post('/api/v1/auth/sign-in', {
        email: 'olga@acme.test',
        password: 'wrong password 123',
      });
      const b = await client(haven.app).post('/api/v1/auth/sign-in', {
        email: 'nobody@acme.test',
        password: 'wrong password 123',
      });
      assert.equal(a.statusCode, 401);
      assert.equal(b.statusCode, 401);
      assert.deepEqual(a.json().error, b.json().error);
      assert.equal(a.json().error.code, 'auth.invalid_credentials');
    });

    test('no credentials: 401 auth.required with a request id', async () => {
      const response = await haven.app.inject('/api/v1/orgs/acme');
      assert.equal(response.statusCode, 401);
      const body = response.json();
      assert.equal(body.error.code, 'auth.required');
      assert.equal(typeof body.requestId, 'string');
      assert.equal(response.headers['x-request-id'], body.requestId);
    });

    test('a malformed body gets 422 with one entry per field; broken JSON gets 400', async () => {
      const response = await owner.post('/api/v1/orgs/acme/members', {
        email: 'not-an-email',
        role: 'admin',
      });
      assert.equal(response.statusCode, 422);
      const body = response.json();
      assert.equal(body.error.code, 'request.invalid');
      const fields = body.error.details.map((d: { field: string }) => d.field).sort();
      assert.deepEqual(fields, ['email', 'role']);
      const broken = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": ',
      });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().error.code, 'request.invalid_json');
      const missing = await client(haven.app).post('/api/v1/auth/sign-in', {});
      assert.equal(missing.statusCode, 422);
      assert.deepEqual(
        missing
          .json()
          .error.details.map((d: { field: string; code: string }) => [d.field, d.code])
          .sort(),
        [
          ['email', 'required'],
          ['password', 'required'],
        ],
      );
    });

    test('state changes with a session need the CSRF token and our own origin', async () => {
      const noToken = await owner.request(
        'POST',
        '/api/v1/orgs/acme/members',
        { email: 'x@acme.test', role: 'viewer' },
        { 'x-csrf-token': '' },
      );
      assert.equal(noToken.statusCode, 403);
      assert.equal(noToken.json().error.code, 'request.csrf_failed');
      const foreign = await owner.request(
        'POST',
        '/api/v1/orgs/acme/members',
        { email: 'x@acme.test', role: 'viewer' },
        { origin: 'https://evil.test' },
      );
      assert.equal(foreign.statusCode, 403);
      const rebinding = await client(haven.app).post(
        '/api/v1/auth/sign-in',
        { email: 'olga@acme.test', password: STRONG_PASSWORD },
        { origin: 'http://evil.test', host: 'evil.test' },
      );
      assert.equal(rebinding.statusCode, 403, 'an Origin matching a forged Host is not ours');
      const crossSite = await client(haven.app).post(
        '/api/v1/auth/sign-in',
        { email: 'olga@acme.test', password: STRONG_PASSWORD },
        { 'sec-fetch-site': 'cross-site' },
      );
      assert.equal(crossSite.statusCode, 403, 'no login CSRF');
    });

    test('tenancy: a member and a token of org A get 404 for org B', async () => {
      const bob = await addOrganisationWithMember(haven, 'beta', { email: 'bob@beta.test', role: 'owner' });
      for (const url of ['/api/v1/orgs/acme', '/api/v1/orgs/acme/members', '/api/v1/orgs/acme/tokens']) {
        const response = await bob.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json().error.code, 'org.not_found');
      }
      const created = await owner.post('/api/v1/orgs/acme/tokens', {
        name: 'ci',
        scopes: ['org:read', 'members:read'],
      });
      assert.equal(created.statusCode, 201);
      const token = created.json().token as string;
      assert.match(token, /^haven_[A-Za-z0-9_-]{43}$/);
      const bearer = { authorization: `Bearer ${token}` };
      assert.equal((await haven.app.inject({ url: '/api/v1/orgs/acme', headers: bearer })).statusCode, 200);
      const other = await haven.app.inject({ url: '/api/v1/orgs/beta', headers: bearer });
      assert.equal(other.statusCode, 404);
      assert.equal(other.json().error.code, 'org.not_found');
      const nonexistent = await haven.app.inject({ url: '/api/v1/orgs/nope', headers: bearer });
      assert.deepEqual(nonexistent.json().error, other.json().error, 'B and a missing org look alike');
      const orgs = await haven.app.inject({ url: '/api/v1/orgs', headers: bearer });
      assert.deepEqual(
        orgs.json().organisations.map((o: { slug: string }) => o.slug),
        ['acme'],
      );
    });

    test('API tokens: shown once, stored hashed, limited by scope, revocable', async () => {
      const created = await owner.post('/api/v1/orgs/acme/tokens', {
        name: 'read org only',
        scopes: ['org:read'],
        expiresInDays: 30,
      });
      const { token, id, prefix } = created.json();
      assert.ok(token.startsWith(prefix));
      const listed = (await owner.get('/api/v1/orgs/acme/tokens'))
        .json()
        .tokens.find((t: { id: string }) => t.id === id);
      assert.equal(listed.token, undefined, 'the secret is never listed');
      const rows = await haven.deps.db
        .selectFrom('api_tokens')
        .select(['token_hash'])
        .where('id', '=', id)
        .execute();
      assert.equal(rows[0]?.token_hash.length, 32);
      assert.ok(!rows[0]?.token_hash.toString('utf8').includes(token));
      const bearer = { authorization: `Bearer ${token}` };
      const members = await haven.app.inject({ url: '/api/v1/orgs/acme/members', headers: bearer });
      assert.equal(members.statusCode, 403);
      assert.equal(members.json().error.code, 'auth.forbidden');
      const manage = await haven.app.inject({ url: '/api/v1/orgs/acme/tokens', headers: bearer });
      assert.equal(manage.statusCode, 403, 'a token cannot manage tokens');
      assert.equal((await owner.delete(`/api/v1/orgs/acme/tokens/${id}`)).statusCode, 204);
      const revoked = await haven.app.inject({ url: '/api/v1/orgs/acme', headers: bearer });
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json().error.code, 'auth.token_invalid');
      const garbage = await haven.app.inject({
        url: '/api/v1/orgs/acme',
        headers: { authorization: 'Bearer haven_nope' },
      });
      assert.equal(garbage.statusCode, 401);
    });

    test('invitation: e-mailed single-use link, choose a password, sign in', async () => {
      const invited = await owner.post('/api/v1/orgs/acme/members', {
        email: 'carl@acme.test',
        name: 'Carl',
        role: 'coordinator',
      });
      assert.equal(invited.statusCode, 201);
      assert.equal(invited.json().pending, true);
      const mail = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => /To: carl@acme\.test/i.test(m)),
      );
      assert.match(mail, /Subject: You are invited to Acme on Haven/);
      const text = mailText(mail);
      const link = /https:\/\/haven\.test\/set-password#token=([A-Za-z0-9_-]+)/.exec(text);
      assert.ok(link?.[1], `no link in ${text}`);
      assert.match(text, /coordinator/);
      const anon = client(haven.app);
      const weak = await anon.post('/api/v1/auth/set-password', { token: link[1], password: 'short' });
      assert.equal(weak.statusCode, 422);
      assert.equal(weak.json().error.details[0].code, 'auth.password_too_weak');
      const set = await anon.post('/api/v1/auth/set-password', { token: link[1], password: STRONG_PASSWORD });
      assert.equal(set.statusCode, 204);
      const reuse = await anon.post('/api/v1/auth/set-password', {
        token: link[1],
        password: STRONG_PASSWORD,
      });
      assert.equal(reuse.statusCode, 410);
      assert.equal(reuse.json().error.code, 'auth.link_invalid');
      const carl = client(haven.app);
      assert.equal(
        (await carl.post('/api/v1/auth/sign-in', { email: 'carl@acme.test', password: STRONG_PASSWORD }))
          .statusCode,
        200,
      );
      assert.equal((await carl.get('/api/v1/orgs/acme')).json().role, 'coordinator');
      const forbidden = await carl.post('/api/v1/orgs/acme/members', {
        email: 'dan@acme.test',
        role: 'owner',
      });
      assert.equal(forbidden.statusCode, 403, 'coordinators cannot invite');
      const wide = await carl.post('/api/v1/orgs/acme/tokens', {
        name: 'too wide',
        scopes: ['members:write'],
      });
      assert.equal(wide.statusCode, 422, 'a token cannot exceed its maker’s role');
    });

    test('inviting an existing account reveals nothing and opens nothing until accepted', async () => {
      const gina = await addOrganisationWithMember(haven, 'gamma', {
        email: 'gina@gamma.test',
        role: 'owner',
      });
      await haven.deps.db
        .updateTable('users')
        .set({ name: 'Gina Private' })
        .where('email', '=', 'gina@gamma.test')
        .execute();
      const invited = await owner.post('/api/v1/orgs/acme/members', {
        email: 'gina@gamma.test',
        role: 'viewer',
      });
      const fresh = await owner.post('/api/v1/orgs/acme/members', {
        email: 'nobody-yet@acme.test',
        role: 'viewer',
      });
      assert.equal(invited.statusCode, 201);
      const { userId: _a, ...existingView } = invited.json();
      const { userId: _b, ...freshView } = fresh.json();
      assert.deepEqual(
        { ...existingView, email: '', joinedAt: '' },
        { ...freshView, email: '', joinedAt: '' },
        'the answer looks the same whether or not the address has an account',
      );
      assert.equal(invited.json().pending, true);
      assert.equal(invited.json().name, '', 'nothing of the account is shown');
      assert.equal((await gina.get('/api/v1/orgs/acme')).statusCode, 404, 'an invitation opens nothing');
      const mail = await eventually(() =>
        outboxMessages(haven.outbox).find((m) => /To: gina@gamma\.test/i.test(m)),
      );
      assert.match(mail, /Subject: You are invited to Acme on Haven/);
      const token = /https:\/\/haven\.test\/accept-invitation#token=([A-Za-z0-9_-]+)/.exec(
        mailText(mail),
      )?.[1];
      assert.ok(token, 'an existing account gets an accept link, not a password link');
      const misuse = await client(haven.app).post('/api/v1/auth/set-password', {
        token,
        password: 'hijacked password!',
      });
      assert.equal(misuse.statusCode, 410, 'an invitation never resets an existing password');
      const accepted = await client(haven.app).post('/api/v1/auth/accept-invitation', { token });
      assert.equal(accepted.statusCode, 204, 'the refused misuse did not spend the link');
      const org = await gina.get('/api/v1/orgs/acme');
      assert.equal(org.statusCode, 200);
      assert.equal(org.json().role, 'viewer');
      const members = (await owner.get('/api/v1/orgs/acme/members')).json().members;
      assert.equal(
        members.find((m: { email: string }) => m.email === 'gina@gamma.test').name,
        'Gina Private',
      );
      const again = await client(haven.app).post('/api/v1/auth/accept-invitation', { token });
      assert.equal(again.statusCode, 410);
      const dup = await owner.post('/api/v1/orgs/acme/members', { email: 'GINA@gamma.test', role: 'viewer' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'member.exists');
    });

    test('an API token cannot invite, change or remove members, nor carry members:write', async () => {
      const created = await owner.post('/api/v1/orgs/acme/tokens', {
        name: 'members',
        scopes: ['members:read'],
      });
      const bearer = { authorization: `Bearer ${created.json().token}`, 'content-type': 'application/json' };
      const invite = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/acme/members',
        headers: bearer,
        payload: JSON.stringify({ email: 'mallory@evil.test', role: 'owner' }),
      });
      assert.equal(invite.statusCode, 403);
      const wide = await owner.post('/api/v1/orgs/acme/tokens', { name: 'wide', scopes: ['members:write'] });
      assert.equal(wide.statusCode, 422);
    });

    test('bad input is a 4xx, never a 500: NUL characters, broken Unicode, empty updates, bad URLs', async () => {
      const nul = await client(haven.app).post('/api/v1/auth/sign-in', {
        email: 'a\u0000b@x.test',
        password: 'x',
      });
      assert.equal(nul.statusCode, 422);
      assert.equal(nul.json().error.details[0].field, 'email');
      const reset = await client(haven.app).post('/api/v1/auth/password-reset', { email: 'a\u0000b@x.test' });
      assert.equal(reset.statusCode, 422);
      const surrogate = await owner.patch('/api/v1/me', { name: 'a\ud800b' });
      assert.equal(surrogate.statusCode, 422);
      const empty = await owner.patch('/api/v1/me', {});
      assert.equal(empty.statusCode, 200);
      assert.equal(empty.json().email, 'olga@acme.test');
      const badUrl = await owner.get('/api/v1/orgs/%zz');
      assert.ok([400, 422].includes(badUrl.statusCode), String(badUrl.statusCode));
      assert.equal(badUrl.json().error.code, 'request.invalid');
      const long = await owner.get(`/api/v1/orgs/acme/members/${'x'.repeat(500)}`);
      assert.ok(long.statusCode === 404 || long.statusCode === 422, String(long.statusCode));
      assert.ok(long.json().error.code);
      const unauthenticated = await client(haven.app).post('/api/v1/orgs/acme/members', { email: 'bad' });
      assert.equal(unauthenticated.statusCode, 401, 'who you are is checked before what you sent');
    });

    test('removing a member ends their sessions and kills their API tokens here', async () => {
      const tess = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'tess@acme.test', role: 'coordinator' },
        true,
      );
      const token = (
        await tess.post('/api/v1/orgs/acme/tokens', { name: 'tess', scopes: ['org:read'] })
      ).json().token;
      const bearer = { authorization: `Bearer ${token}` };
      assert.equal((await haven.app.inject({ url: '/api/v1/orgs/acme', headers: bearer })).statusCode, 200);
      const tessId = (await owner.get('/api/v1/orgs/acme/members'))
        .json()
        .members.find((m: { email: string }) => m.email === 'tess@acme.test').userId;
      assert.equal((await owner.delete(`/api/v1/orgs/acme/members/${tessId}`)).statusCode, 204);
      assert.equal((await tess.get('/api/v1/auth/session')).statusCode, 401);
      assert.equal((await haven.app.inject({ url: '/api/v1/orgs/acme', headers: bearer })).statusCode, 401);
      await addOrganisationWithMember(haven, 'acme', { email: 'tess@acme.test', role: 'coordinator' }, true);
      assert.equal(
        (await haven.app.inject({ url: '/api/v1/orgs/acme', headers: bearer })).statusCode,
        401,
        'coming back does not revive old tokens',
      );
    });

    test('a role change ends the member’s sessions; the last owner stays', async () => {
      const vic = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'vic@acme.test', role: 'coordinator' },
        true,
      );
      const members = (await owner.get('/api/v1/orgs/acme/members')).json().members;
      const vicId = members.find((m: { email: string }) => m.email === 'vic@acme.test').userId;
      const olgaId = members.find((m: { email: string }) => m.email === 'olga@acme.test').userId;
      assert.equal((await vic.get('/api/v1/auth/session')).statusCode, 200);
      const changed = await owner.patch(`/api/v1/orgs/acme/members/${vicId}`, { role: 'viewer' });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().role, 'viewer');
      assert.equal((await vic.get('/api/v1/auth/session')).statusCode, 401);
      const demoteSelf = await owner.patch(`/api/v1/orgs/acme/members/${olgaId}`, { role: 'viewer' });
      assert.equal(demoteSelf.statusCode, 409);
      assert.equal(demoteSelf.json().error.code, 'member.last_owner');
      const badId = await owner.patch('/api/v1/orgs/acme/members/not-a-uuid', { role: 'viewer' });
      assert.equal(badId.statusCode, 422);
    });

    test('password reset: same answer for unknown addresses, link ends other sessions', async () => {
      const other = client(haven.app);
      await other.post('/api/v1/auth/sign-in', { email: 'olga@acme.test', password: STRONG_PASSWORD });
      const before = outboxMessages(haven.outbox).length;
      const unknown = await client(haven.app).post('/api/v1/auth/password-reset', {
        email: 'ghost@acme.test',
      });
      assert.equal(unknown.statusCode, 202);
      const known = await client(haven.app).post('/api/v1/auth/password-reset', { email: 'olga@acme.test' });
      assert.equal(known.statusCode, 202);
      const mail = await eventually(() =>
        outboxMessages(haven.outbox)
          .slice(before)
          .find((m) => /Subject: Reset your Haven password/.test(m)),
      );
      assert.match(mail, /To: olga@acme\.test/i);
      assert.equal(
        outboxMessages(haven.outbox)
          .slice(before)
          .filter((m) => /ghost@/.test(m)).length,
        0,
      );
      const token = /#token=([A-Za-z0-9_-]+)/.exec(mailText(mail))?.[1];
      assert.ok(token);
      const newPassword = 'a different long passphrase';
      assert.equal(
        (await client(haven.app).post('/api/v1/auth/set-password', { token, password: newPassword }))
          .statusCode,
        204,
      );
      assert.equal(
        (await other.get('/api/v1/auth/session')).statusCode,
        401,
        'sessions end on a password change',
      );
      assert.equal((await owner.get('/api/v1/auth/session')).statusCode, 401);
      const old = await client(haven.app).post('/api/v1/auth/sign-in', {
        email: 'olga@acme.test',
        password: STRONG_PASSWORD,
      });
      assert.equal(old.statusCode, 401);
      const fresh = await client(haven.app).post('/api/v1/auth/sign-in', {
        email: 'olga@acme.test',
        password: newPassword,
      });
      assert.equal(fresh.statusCode, 200);
      owner = client(haven.app);
      await owner.post('/api/v1/auth/sign-in', { email: 'olga@acme.test', password: newPassword });
      // back to the shared password for the tests that follow
      const changed = await owner.put('/api/v1/me/password', {
        currentPassword: newPassword,
        newPassword: STRONG_PASSWORD,
      });
      assert.equal(changed.statusCode, 200);
      assert.equal(
        (await owner.get('/api/v1/auth/session')).statusCode,
        200,
        'the session that changed it goes on',
      );
    });

    test('sign-out ends the session', async () => {
      const c = client(haven.app);
      await c.post('/api/v1/auth/sign-in', { email: 'olga@acme.test', password: STRONG_PASSWORD });
      const cookie = c.cookie;
      assert.equal((await c.post('/api/v1/auth/sign-out')).statusCode, 204);
      const replay = client(haven.app);
      replay.cookie = cookie;
      assert.equal((await replay.get('/api/v1/auth/session')).statusCode, 401);
    });

    test('unknown API paths are JSON 404s; OpenAPI 3.1 describes the API', async () => {
      const missing = await haven.app.inject('/api/v1/nothing-here');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'request.not_found');
      const spec = (await haven.app.inject('/api/openapi.json')).json();
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/api/v1/orgs/{org}/members'].post);
      assert.ok(spec.paths['/api/v1/auth/sign-in'].post.requestBody);
      // Every $ref points at a schema the document has.
      const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
        (m) => m[1],
      );
      assert.ok(refs.length > 0);
      for (const ref of new Set(refs))
        assert.ok(spec.components.schemas[ref ?? ''], `components.schemas.${ref}`);
    });

    test('security headers: strict CSP without inline scripts, nosniff, no referrer', async () => {
      const response = await haven.app.inject('/healthz');
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['referrer-policy'], 'no-referrer');
    });
  });
}
