import type { ExpressionBuilder } from 'kysely';
import type { Database, Db, Trx } from '../database.ts';
import {
  type NewOrganisationRow,
  NOTIFIED_BY_DEFAULT,
  type OrganisationRow,
  ROLES,
  type Role,
} from './organisation.table.ts';

type Executor = Db | Trx;

/** Whether the member gets the team's e-mail notices: their own choice, else their role's default. */
function notifiedByEmail(eb: ExpressionBuilder<Database & { m: Database['memberships'] }, 'm'>) {
  const byDefault = ROLES.filter((role) => NOTIFIED_BY_DEFAULT[role]);
  return eb.fn.coalesce('m.notify_by_email', eb('m.role', 'in', byDefault));
}

/** Inserts the organisation unless its slug is taken (then: undefined). */
export async function insertOrganisation(
  db: Executor,
  row: NewOrganisationRow,
): Promise<OrganisationRow | undefined> {
  return db
    .insertInto('organisations')
    .values(row)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findOrganisationBySlug(
  db: Executor,
  slug: string,
): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findOrganisationById(db: Executor, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countOrganisations(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The organisation with this slug, with the user's role in it; nothing when the user is no member. */
export async function findMembershipBySlug(
  db: Executor,
  slug: string,
  userId: string,
): Promise<{ organisation: OrganisationRow; role: Role } | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('memberships as m', 'm.organisation_id', 'o.id')
    .selectAll('o')
    .select('m.role')
    .where('o.slug', '=', slug)
    .where('m.user_id', '=', userId)
    .where('m.accepted_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { role, ...organisation } = row;
  return { organisation, role };
}

/** The user's membership of the organisation, accepted or still an invitation. */
export async function findMembership(db: Executor, organisationId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['role', 'accepted_at'])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['o.id', 'o.slug', 'o.name', 'm.role'])
    .where('m.user_id', '=', userId)
    .where('m.accepted_at', 'is not', null)
    .orderBy('o.name')
    .execute();
}

export async function listMembers(db: Executor, organisationId: string) {
  return (
    db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      // Until an invitation is accepted, only what the inviter typed is shown: nothing of the account.
      .select(['u.id as userId', 'u.email', 'm.role', 'm.created_at as joinedAt'])
      .select((eb) => [
        eb('m.accepted_at', 'is', null).as('pending'),
        notifiedByEmail(eb).as('notifyByEmail'),
        eb
          .case()
          .when('m.accepted_at', 'is', null)
          .then(eb.ref('m.invited_name'))
          .else(eb.ref('u.name'))
          .end()
          .as('name'),
      ])
      .where('m.organisation_id', '=', organisationId)
      .orderBy('u.email')
      .execute()
  );
}

export async function insertMembership(
  db: Executor,
  row: {
    organisation_id: string;
    user_id: string;
    role: Role;
    created_at: Date;
    accepted_at: Date | null;
    invited_name?: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('memberships')
    .values(row)
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateMembershipRole(db: Executor, organisationId: string, userId: string, role: Role) {
  const result = await db
    .updateTable('memberships')
    .set({ role })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteMembership(
  db: Executor,
  organisationId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Turns an invitation into a membership; false when there was no pending invitation. */
export async function acceptMembership(db: Executor, organisationId: string, userId: string, at: Date) {
  const result = await db
    .updateTable('memberships')
    .set({ accepted_at: at })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Owners of the organisation. The organisation row is locked until the transaction ends, so two
 * concurrent demotions cannot both see a second owner and leave none.
 */
export async function lockOwners(trx: Trx, organisationId: string): Promise<string[]> {
  await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().execute();
  const rows = await trx
    .selectFrom('memberships')
    .select('user_id')
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'owner')
    .where('accepted_at', 'is not', null)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Sets the member's own choice about the team's e-mail notices; false when there is no such member. */
export async function updateMemberNotifications(
  db: Executor,
  organisationId: string,
  userId: string,
  notifyByEmail: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('memberships')
    .set({ notify_by_email: notifyByEmail })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Members who get the team's e-mail notices now: accepted, not disabled, and not opted out. */
export async function listNotifiedMembers(db: Executor, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'u.language'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.accepted_at', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .where((eb) => eb(notifiedByEmail(eb), '=', true))
    .orderBy('u.email')
    .execute();
}
