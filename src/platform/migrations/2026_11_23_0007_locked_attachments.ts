import { type Kysely, sql } from 'kysely';

// Migrations are never edited once landed: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A password-protected document (ZIP, PDF, 7z, Office) is stored as sent, locked. Staff unlock
    -- it with the password the reporter sends out of band; the password itself is never stored.
    alter table attachments
      add column locked boolean not null default false,
      add column lock_kind text check (lock_kind in ('zip', 'pdf', '7z', 'office')),
      -- A file taken out of an unlocked document points at its container.
      add column unlocked_from uuid references attachments (id) on delete cascade,
      add column unlocked_at timestamptz,
      add constraint attachments_lock_kind check (locked = (lock_kind is not null));
    create index attachments_unlocked_from on attachments (unlocked_from) where unlocked_from is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attachments
      drop constraint attachments_lock_kind,
      drop column unlocked_at,
      drop column unlocked_from,
      drop column lock_kind,
      drop column locked;
  `.execute(db);
}
