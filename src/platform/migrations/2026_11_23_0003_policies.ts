import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table policy_drafts (
      organisation_id uuid primary key references organisations (id) on delete cascade,
      settings jsonb not null,
      based_on_version integer,
      updated_at timestamptz not null,
      updated_by uuid
    );

    create table policy_versions (
      organisation_id uuid not null references organisations (id) on delete cascade,
      version integer not null check (version >= 1),
      settings jsonb not null,
      published_at timestamptz not null,
      published_by uuid,
      primary key (organisation_id, version)
    );

    -- A published version is what reporters accepted: the database itself refuses to change one.
    create function haven_refuse_update() returns trigger language plpgsql as $$
    begin
      raise exception 'published policy versions never change' using errcode = '55000';
    end
    $$;
    create trigger policy_versions_immutable before update on policy_versions
      for each row execute function haven_refuse_update();

    -- Nor is one deleted, except with its organisation: the foreign key's cascade runs after the
    -- organisation row is gone, so a version whose organisation still exists is being deleted on
    -- its own, and that is refused.
    create function haven_policy_versions_refuse_delete() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from organisations where id = old.organisation_id) then
        raise exception 'published policy versions are never deleted' using errcode = '55000';
      end if;
      return old;
    end
    $$;
    create trigger policy_versions_no_delete before delete on policy_versions
      for each row execute function haven_policy_versions_refuse_delete();

    -- TRUNCATE fires no row triggers: refuse it as a whole.
    create function haven_policy_versions_refuse_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'published policy versions are never deleted' using errcode = '55000';
    end
    $$;
    create trigger policy_versions_no_truncate before truncate on policy_versions
      for each statement execute function haven_policy_versions_refuse_truncate();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table policy_versions, policy_drafts;
    drop function haven_refuse_update(), haven_policy_versions_refuse_delete(),
      haven_policy_versions_refuse_truncate();
  `.execute(db);
}
