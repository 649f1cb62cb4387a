import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An organisation's OpenPGP keys: one current, the retired ones kept so that mail encrypted to
    -- them can still be read. The private key is sealed with its own data key (envelope encryption).
    create table organisation_keys (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      fingerprint text not null unique check (fingerprint ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
      user_id text not null check (length(user_id) between 1 and 400),
      public_key text not null,
      private_key_sealed bytea not null,
      data_key_id uuid not null references data_keys (id),
      created_at timestamptz not null,
      retired_at timestamptz
    );
    create unique index organisation_keys_one_current on organisation_keys (organisation_id)
      where retired_at is null;
    create index organisation_keys_organisation on organisation_keys (organisation_id, created_at);

    -- The instance's default organisation answers /.well-known/security.txt on Haven's own host.
    alter table organisations add column is_default boolean not null default false;
    create unique index organisations_one_default on organisations ((true)) where is_default;
    update organisations set is_default = true
      where id = (select id from organisations order by created_at, id limit 1);

    -- Host names an organisation claims: /.well-known/security.txt on such a host is its own.
    create table organisation_host_names (
      host text primary key check (host = lower(host) and length(host) between 1 and 253),
      organisation_id uuid not null references organisations (id) on delete cascade
    );
    create index organisation_host_names_organisation on organisation_host_names (organisation_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table organisation_host_names, organisation_keys;
    alter table organisations drop column is_default;
  `.execute(db);
}
