import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;

    create table master_keys (
      id text primary key,
      check_value text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );
    create unique index master_keys_one_current on master_keys ((true)) where retired_at is null;

    create table data_keys (
      id uuid primary key default gen_random_uuid(),
      purpose text not null,
      master_key_id text not null references master_keys (id),
      wrapped bytea not null,
      created_at timestamptz not null default now()
    );
    create index data_keys_master_key on data_keys (master_key_id);

    create table organisations (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
      name text not null check (length(name) between 1 and 200),
      default_language text not null check (default_language in ('nl', 'en')),
      timezone text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) <= 254),
      name text not null default '' check (length(name) <= 200),
      password_hash text,
      language text check (language in ('nl', 'en')),
      created_at timestamptz not null,
      password_changed_at timestamptz,
      disabled_at timestamptz
    );
    create unique index users_email_key on users (email);

    create table memberships (
      organisation_id uuid not null references organisations (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'coordinator', 'viewer')),
      created_at timestamptz not null,
      -- An invitation is a membership that has not been accepted yet: it opens nothing.
      accepted_at timestamptz,
      invited_name text not null default '' check (length(invited_name) <= 200),
      primary key (organisation_id, user_id)
    );
    create index memberships_user on memberships (user_id);

    create table sessions (
      id_hash bytea primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text
    );
    create index sessions_user on sessions (user_id) where revoked_at is null;

    create table link_tokens (
      token_hash bytea primary key,
      purpose text not null check (purpose in ('setup', 'invitation', 'password_reset')),
      user_id uuid references users (id) on delete cascade,
      organisation_id uuid references organisations (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index link_tokens_user on link_tokens (user_id, purpose, organisation_id) where used_at is null;

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      token_hash bytea not null unique,
      display_prefix text not null,
      scopes text[] not null,
      created_at timestamptz not null,
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    create index api_tokens_org on api_tokens (organisation_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table api_tokens, link_tokens, sessions, memberships, users, organisations, data_keys, master_keys;
  `.execute(db);
}
