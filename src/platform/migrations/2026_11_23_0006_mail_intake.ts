import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Every message that came in by mail, per organisation it was for: the raw message is kept as
    -- evidence, encrypted with its case's key in the blob store. The hash of the raw message (never
    -- the sender-chosen Message-ID) makes a second delivery of the same message a no-op.
    create table inbound_messages (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid references cases (id) on delete set null,
      sha256 bytea not null check (length(sha256) = 32),
      message_id text check (length(message_id) <= 998),
      -- HMAC of the lower-cased From address: lets the team match senders without storing them.
      from_hash bytea,
      received_at timestamptz not null,
      source_kind text not null check (source_kind in ('smtp', 'imap')),
      source_mailbox text check (length(source_mailbox) <= 1000),
      source_uidvalidity text check (length(source_uidvalidity) <= 40),
      source_uid text check (length(source_uid) <= 40),
      auth jsonb not null default '{}',
      blob_key text,
      size integer not null check (size >= 0),
      outcome text not null check (outcome ~ '^[a-z_]{1,40}$'),
      -- How the acknowledgement may answer: quote the report (sender verified), not quote it, or not at all.
      acknowledgement text not null check (acknowledgement in ('quote', 'no_quote', 'none')),
      unique (organisation_id, sha256),
      unique (organisation_id, source_mailbox, source_uidvalidity, source_uid)
    );
    create index inbound_messages_case on inbound_messages (case_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table inbound_messages;`.execute(db);
}
