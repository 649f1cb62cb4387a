import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An organisation's existing mailbox (often security@ in its own mail system) that Haven reads
    -- by IMAP. The password or OAuth2 access token is sealed with its own data key, never returned.
    create table imap_mailboxes (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null unique references organisations (id) on delete cascade,
      host text not null check (length(host) between 1 and 253),
      port integer not null check (port between 1 and 65535),
      -- 'none' (no TLS at all) is accepted for loopback hosts only.
      tls text not null check (tls in ('implicit', 'starttls', 'none')),
      username text not null check (length(username) between 1 and 320),
      auth_kind text not null check (auth_kind in ('password', 'xoauth2')),
      secret_sealed bytea not null,
      data_key_id uuid not null references data_keys (id),
      folder text not null default 'INBOX' check (length(folder) between 1 and 200),
      processed_folder text not null default 'Haven/Processed' check (length(processed_folder) between 1 and 200),
      enabled boolean not null default true,
      last_uidvalidity text check (length(last_uidvalidity) <= 40),
      last_uid bigint not null default 0,
      last_polled_at timestamptz,
      -- What went wrong on the last poll, in Haven's words: never a secret, never a sender's data.
      last_error text check (length(last_error) <= 500),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    -- Every message the poller has dealt with: taken in (or found to be a copy of mail taken in
    -- before), or refused for good. A message seen here is not downloaded again, only moved.
    create table imap_seen (
      mailbox_id uuid not null references imap_mailboxes (id) on delete cascade,
      folder text not null,
      uidvalidity text not null check (length(uidvalidity) <= 40),
      uid bigint not null,
      sha256 bytea check (length(sha256) = 32),
      outcome text not null check (outcome in ('ingested', 'duplicate', 'rejected')),
      seen_at timestamptz not null,
      moved_at timestamptz,
      primary key (mailbox_id, folder, uidvalidity, uid)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table imap_seen; drop table imap_mailboxes;`.execute(db);
}
