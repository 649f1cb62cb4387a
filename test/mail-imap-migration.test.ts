import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { down, up } from '../src/platform/migrations/2026_12_06_0003_imap_oauth.ts';
import { type client, engines, setUp, startTestHaven, type TestHaven } from './harness.ts';

for (const engine of engines()) {
  describe(`the IMAP OAuth2 migration on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
    });
    after(() => haven?.close());

    test('a mailbox set up with a bare access token is switched off, with a last error that says why', async () => {
      const saved = await owner.put('/api/v1/orgs/acme/mailboxes/imap', {
        host: '127.0.0.1',
        port: 1143,
        tls: 'none',
        username: 'security',
        secret: 'an-access-token-from-before',
      });
      assert.equal(saved.statusCode, 200, saved.body);
      // As it was before the migration: xoauth2 with the access token as the secret, no client.
      const db = haven.deps.db as unknown as Kysely<unknown>;
      await down(db);
      await sql`update imap_mailboxes set auth_kind = 'xoauth2'`.execute(db);
      await up(db);

      const shown = (await owner.get('/api/v1/orgs/acme/mailboxes/imap')).json();
      assert.equal(shown.authKind, 'xoauth2');
      assert.equal(shown.enabled, false);
      assert.equal(shown.oauth, null);
      assert.match(shown.lastError, /needs the OAuth2 client .* and a refresh token/);
      const checked = await owner.post('/api/v1/orgs/acme/mailboxes/imap/test');
      assert.equal(checked.statusCode, 502, checked.body);
      assert.equal(checked.json().error.details[0].code, 'oauth_failed');
      assert.match(checked.json().error.message, /No OAuth2 client is set up/);

      // The database itself keeps an OAuth2 client whole, and off password mailboxes.
      await assert.rejects(
        sql`update imap_mailboxes set oauth_token_url = 'https://login.example.org/token'`.execute(db),
        /imap_mailboxes_oauth_client/,
      );
      await sql`update imap_mailboxes set auth_kind = 'password'`.execute(db);
      await assert.rejects(
        sql`update imap_mailboxes set oauth_token_url = 'https://login.example.org/token', oauth_client_id = 'c'`.execute(
          db,
        ),
        /imap_mailboxes_oauth_client/,
      );
    });
  });
}
