import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Per organisation and year: the last number handed out for a case reference (ACME-2026-0042).
    create table case_counters (
      organisation_id uuid not null references organisations (id) on delete cascade,
      year integer not null check (year between 1970 and 9999),
      last integer not null check (last > 0),
      primary key (organisation_id, year)
    );

    -- A case: what the team works on. Who reported it is sealed with the case's own data key, so
    -- erasing that key erases the reporter's identity.
    create table cases (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      reference text not null check (reference ~ '^[A-Z0-9-]{1,60}-[0-9]{4}-[0-9]{4,}$'),
      state text not null check (state ~ '^[a-z_]{1,40}$'),
      title text not null check (length(title) between 1 and 300),
      channel text not null check (channel in ('web', 'api', 'email', 'import')),
      received_at timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      data_key_id uuid not null references data_keys (id),
      reporter_language text not null check (reporter_language in ('nl', 'en')),
      identity_mode text not null check (identity_mode in ('named', 'alias', 'anonymous')),
      reporter_sealed bytea,
      reporter_has_email boolean not null default false,
      credit_wanted boolean not null default false,
      credit_name text check (length(credit_name) <= 120),
      withdrawn_at timestamptz,
      unique (organisation_id, reference)
    );
    create index cases_organisation_received on cases (organisation_id, received_at desc, id);
    create index cases_organisation_state on cases (organisation_id, state);

    -- What a reporter sent, as sent. IP addresses often are the reporter's own: sealed.
    create table reports (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      channel text not null check (channel in ('web', 'api', 'email', 'import')),
      source text check (length(source) <= 200),
      received_at timestamptz not null,
      created_at timestamptz not null,
      title text not null,
      assets jsonb not null default '[]',
      ip_addresses_sealed bytea,
      objects text not null default '',
      steps text not null default '',
      impact text not null default '',
      proof_of_concept text not null default '',
      cwe text check (cwe ~ '^CWE-[0-9]{1,6}$'),
      language text not null check (language in ('nl', 'en')),
      detected_language text,
      policy_version integer,
      policy_acceptance text check (policy_acceptance in ('explicit', 'implicit')),
      deviations jsonb not null default '[]'
    );
    create index reports_case on reports (case_id);
    create index reports_title_trgm on reports using gin (title gin_trgm_ops);

    -- Everything that happens to a case, in order. 'reporter' events are shown to the reporter.
    create table case_events (
      id bigint generated always as identity primary key,
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      at timestamptz not null,
      kind text not null check (kind ~ '^[a-z_.]{1,60}$'),
      visibility text not null check (visibility in ('reporter', 'internal')),
      actor text not null check (actor in ('reporter', 'staff', 'system')),
      actor_user_id uuid references users (id) on delete set null,
      data jsonb not null default '{}'
    );
    create index case_events_case on case_events (case_id, id);

    -- Messages between reporter and team: the reporter sees every one of them.
    create table case_messages (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      at timestamptz not null,
      author text not null check (author in ('reporter', 'staff')),
      author_user_id uuid references users (id) on delete set null,
      body text not null check (length(body) between 1 and 100000)
    );
    create index case_messages_case on case_messages (case_id, at, id);

    -- Internal notes: a table of their own, which no reporter query ever reads.
    create table case_notes (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      at timestamptz not null,
      author_user_id uuid references users (id) on delete set null,
      body text not null check (length(body) between 1 and 100000)
    );
    create index case_notes_case on case_notes (case_id, at, id);

    -- Files, encrypted in the blob store with the case key. blob_key is what staff open; an image's
    -- original (kept as evidence when the reporter said it is the proof) is original_blob_key.
    create table attachments (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      report_id uuid references reports (id) on delete cascade,
      message_id uuid references case_messages (id) on delete cascade,
      file_name text not null check (length(file_name) between 1 and 255),
      media_type text not null,
      kind text not null,
      size integer not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      blob_key text not null unique,
      original_blob_key text unique,
      original_size integer,
      original_sha256 text check (original_sha256 ~ '^[0-9a-f]{64}$'),
      reencoded boolean not null,
      quarantined boolean not null,
      proof_of_concept boolean not null,
      deviation text,
      uploaded_by text not null check (uploaded_by in ('reporter', 'staff')),
      created_at timestamptz not null
    );
    create index attachments_case on attachments (case_id, created_at);

    -- The reporter's capability links and recovery links: only hashes are kept.
    create table reporter_tokens (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      purpose text not null check (purpose in ('access', 'recovery')),
      token_hash bytea not null unique,
      created_at timestamptz not null,
      expires_at timestamptz,
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index reporter_tokens_case on reporter_tokens (case_id);

    -- A retried submission returns the first answer: the case, and its link sealed with the case key.
    create table intake_idempotency (
      organisation_id uuid not null references organisations (id) on delete cascade,
      key_hash bytea not null,
      request_hash bytea not null,
      case_id uuid not null references cases (id) on delete cascade,
      token_sealed bytea not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      primary key (organisation_id, key_hash)
    );
    create index intake_idempotency_expires on intake_idempotency (expires_at);

    -- Proof-of-work solutions already used, until their challenge expires: each works once.
    create table spent_proofs (
      id bytea primary key,
      expires_at timestamptz not null
    );
    create index spent_proofs_expires on spent_proofs (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table spent_proofs, intake_idempotency, reporter_tokens, attachments, case_notes,
      case_messages, case_events, reports, cases, case_counters;
  `.execute(db);
}
