import type { Db, Trx } from '../database.ts';
import type { NewOrganisationKeyRow, OrganisationKeyRow } from './organisation-key.table.ts';

type Executor = Db | Trx;

export async function insertOrganisationKey(db: Executor, row: NewOrganisationKeyRow): Promise<void> {
  await db.insertInto('organisation_keys').values(row).execute();
}

/** The organisation's current key (at most one: a partial unique index). */
export async function findCurrentKey(
  db: Executor,
  organisationId: string,
): Promise<OrganisationKeyRow | undefined> {
  return db
    .selectFrom('organisation_keys')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
}

/** The current key, locked until the transaction ends: two rotations cannot both retire it. */
export async function lockCurrentKey(
  trx: Trx,
  organisationId: string,
): Promise<OrganisationKeyRow | undefined> {
  return trx
    .selectFrom('organisation_keys')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('retired_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Every key the organisation ever had, current first, then newest retired first. */
export async function listKeys(db: Executor, organisationId: string): Promise<OrganisationKeyRow[]> {
  return db
    .selectFrom('organisation_keys')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy((eb) => eb('retired_at', 'is', null), 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function retireKey(trx: Trx, id: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('organisation_keys')
    .set({ retired_at: at })
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
