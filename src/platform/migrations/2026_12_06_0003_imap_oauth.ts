import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An xoauth2 mailbox now holds an OAuth2 client and a refresh token (in secret_sealed): Haven
    -- gets a fresh access token before each poll. The client secret is sealed with the row's data key.
    alter table imap_mailboxes
      add column oauth_token_url text check (length(oauth_token_url) between 1 and 2000),
      add column oauth_client_id text check (length(oauth_client_id) between 1 and 500),
      add column oauth_client_secret_sealed bytea,
      add column oauth_scope text check (length(oauth_scope) between 1 and 1000),
      add constraint imap_mailboxes_oauth_client check (
        (oauth_token_url is null) = (oauth_client_id is null)
        and (oauth_token_url is null or auth_kind = 'xoauth2')
        and (oauth_client_secret_sealed is null or oauth_token_url is not null)
        and (oauth_scope is null or oauth_token_url is not null)
      );
    -- Set up before this, an xoauth2 mailbox holds an access token that ran out within the hour and
    -- cannot be renewed: it stops until its owner adds the OAuth2 client and a refresh token.
    update imap_mailboxes
      set enabled = false,
          last_error = 'Sign-in by OAuth2 now needs the OAuth2 client (token URL, client ID) and a refresh token: set the mailbox up again.'
      where auth_kind = 'xoauth2';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table imap_mailboxes
      drop constraint imap_mailboxes_oauth_client,
      drop column oauth_scope,
      drop column oauth_client_secret_sealed,
      drop column oauth_client_id,
      drop column oauth_token_url;
  `.execute(db);
}
