import { sql } from 'kysely';
import type { Db, Trx } from '../database.ts';

type Executor = Db | Trx;

/** Slug and id of the organisation that claims `host`, if any. */
export async function findOrganisationByHost(db: Executor, host: string) {
  return db
    .selectFrom('organisation_host_names as h')
    .innerJoin('organisations as o', 'o.id', 'h.organisation_id')
    .select(['o.id', 'o.slug'])
    .where('h.host', '=', host)
    .executeTakeFirst();
}

export async function findDefaultOrganisation(db: Executor) {
  return db
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .where('is_default', '=', true)
    .executeTakeFirst();
}

export async function isDefaultOrganisation(db: Executor, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('is_default')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  return row?.is_default ?? false;
}

/**
 * Makes the organisation the default when there is none yet. A transaction-scoped advisory lock
 * serialises this, so two organisations created at once cannot both see "no default" and then
 * fail on the one-default index.
 */
export async function claimDefaultIfNone(trx: Trx, organisationId: string): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext('haven:default-organisation'))`.execute(trx);
  const result = await trx
    .updateTable('organisations')
    .set({ is_default: true })
    .where('id', '=', organisationId)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('organisations as d').select('d.id').where('d.is_default', '=', true))),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listHostNames(db: Executor, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('organisation_host_names')
    .select('host')
    .where('organisation_id', '=', organisationId)
    .orderBy('host')
    .execute();
  return rows.map((r) => r.host);
}

/**
 * Replaces the organisation's host names. Returns the ones another organisation holds (nothing was
 * claimed for those; the caller rolls back).
 */
export async function replaceHostNames(trx: Trx, organisationId: string, hosts: string[]): Promise<string[]> {
  await trx.deleteFrom('organisation_host_names').where('organisation_id', '=', organisationId).execute();
  if (hosts.length === 0) return [];
  const inserted = await trx
    .insertInto('organisation_host_names')
    .values(hosts.map((host) => ({ host, organisation_id: organisationId })))
    .onConflict((oc) => oc.column('host').doNothing())
    .returning('host')
    .execute();
  const got = new Set(inserted.map((r) => r.host));
  return hosts.filter((h) => !got.has(h));
}
