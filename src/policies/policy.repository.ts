import type { Db, Trx } from '../database.ts';
import type { PolicySettings } from './policy-settings.ts';

type Executor = Db | Trx;

export async function findDraft(db: Executor, organisationId: string) {
  return db
    .selectFrom('policy_drafts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function upsertDraft(
  db: Executor,
  row: {
    organisationId: string;
    settings: PolicySettings;
    basedOnVersion: number | null;
    at: Date;
    by: string | null;
  },
) {
  const values = {
    organisation_id: row.organisationId,
    settings: JSON.stringify(row.settings),
    based_on_version: row.basedOnVersion,
    updated_at: row.at,
    updated_by: row.by,
  };
  await db
    .insertInto('policy_drafts')
    .values(values)
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        settings: values.settings,
        based_on_version: values.based_on_version,
        updated_at: values.updated_at,
        updated_by: values.updated_by,
      }),
    )
    .execute();
}

export async function deleteDraft(db: Executor, organisationId: string) {
  await db.deleteFrom('policy_drafts').where('organisation_id', '=', organisationId).execute();
}

/** The organisation's published version `version`, or its newest when version is undefined. */
export async function findVersion(db: Executor, organisationId: string, version?: number) {
  let query = db.selectFrom('policy_versions').selectAll().where('organisation_id', '=', organisationId);
  query =
    version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  return query.executeTakeFirst();
}

export async function listVersions(db: Executor, organisationId: string) {
  return db
    .selectFrom('policy_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select(['v.version', 'v.published_at', 'u.email as published_by'])
    .where('v.organisation_id', '=', organisationId)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Appends the next version number; the caller holds the organisation lock. */
export async function insertVersion(
  trx: Trx,
  row: { organisationId: string; settings: PolicySettings; at: Date; by: string | null },
): Promise<number> {
  const newest = await trx
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('organisation_id', '=', row.organisationId)
    .executeTakeFirst();
  const version = Number(newest?.v ?? 0) + 1;
  await trx
    .insertInto('policy_versions')
    .values({
      organisation_id: row.organisationId,
      version,
      settings: JSON.stringify(row.settings),
      published_at: row.at,
      published_by: row.by,
    })
    .execute();
  return version;
}

export async function lockOrganisation(trx: Trx, organisationId: string) {
  await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().execute();
}

/** The version that was in force at `at`: the newest published at or before it. */
export async function findVersionInForce(db: Executor, organisationId: string, at: Date) {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('published_at', '<=', at)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
