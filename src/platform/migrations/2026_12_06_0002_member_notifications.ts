import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Whether a member gets the team's e-mail notices (new case, reporter message, withdrawal).
    -- Null: what the role implies (owners and coordinators yes, viewers no), so a role change moves
    -- the default along until the member chooses for themselves.
    alter table memberships add column notify_by_email boolean;

    -- Which member a notice went to, so a retried job mails only those it has not reached yet.
    -- Ids only; rows are pruned once a notice can no longer be retried.
    create table team_notices_sent (
      notice_id uuid not null,
      user_id uuid not null references users (id) on delete cascade,
      organisation_id uuid not null references organisations (id) on delete cascade,
      case_id uuid not null references cases (id) on delete cascade,
      sent_at timestamptz not null,
      primary key (notice_id, user_id)
    );
    create index team_notices_sent_at on team_notices_sent (sent_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table team_notices_sent;
    alter table memberships drop column notify_by_email;
  `.execute(db);
}
