import type { Db, Trx } from '../database.ts';
import type { LinkPurpose, NewUserRow, UserRow } from './auth.table.ts';

type Executor = Db | Trx;

// ---- users ---------------------------------------------------------------------------------------

/** Inserts the user unless the address exists already (then: undefined). */
export async function insertUserIfAbsent(db: Executor, row: NewUserRow): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(
  db: Executor,
  id: string,
  changes: Partial<Pick<UserRow, 'name' | 'language' | 'password_hash' | 'password_changed_at'>>,
): Promise<UserRow | undefined> {
  return db.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

// ---- sessions ------------------------------------------------------------------------------------

export async function insertSession(
  db: Executor,
  row: { id_hash: Buffer; user_id: string; created_at: Date; last_seen_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...row, revoked_at: null, revoked_reason: null })
    .execute();
}

/** A live session: not revoked, not past its absolute expiry, seen since `idleSince`, user enabled. */
export async function findLiveSession(db: Executor, idHash: Buffer, now: Date, idleSince: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 's.user_id', 's.last_seen_at', 's.created_at'])
    .where('s.id_hash', '=', idHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', idleSince)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, idHash: Buffer, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function revokeSession(db: Executor, idHash: Buffer, at: Date, reason: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfUser(
  db: Executor,
  userId: string,
  at: Date,
  reason: string,
): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- single-use links ----------------------------------------------------------------------------

export async function insertLinkToken(
  db: Executor,
  row: {
    token_hash: Buffer;
    purpose: LinkPurpose;
    user_id: string | null;
    organisation_id: string | null;
    created_at: Date;
    expires_at: Date;
  },
): Promise<void> {
  await db
    .insertInto('link_tokens')
    .values({ ...row, used_at: null })
    .execute();
}

/**
 * Retires unused links of this purpose for this user and organisation (organisation null: links not
 * tied to one, such as password resets; user null: setup links).
 */
export async function retireLinkTokens(
  db: Executor,
  link: { purpose: LinkPurpose; userId: string | null; organisationId: string | null },
  at: Date,
) {
  let query = db
    .updateTable('link_tokens')
    .set({ used_at: at })
    .where('purpose', '=', link.purpose)
    .where('used_at', 'is', null);
  query =
    link.userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', link.userId);
  query =
    link.organisationId === null
      ? query.where('organisation_id', 'is', null)
      : query.where('organisation_id', '=', link.organisationId);
  await query.execute();
}

/** Retires every unused password-reset link of the user: after a password change none may linger. */
export async function retirePasswordResetLinks(db: Executor, userId: string, at: Date) {
  await db
    .updateTable('link_tokens')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'password_reset')
    .where('used_at', 'is', null)
    .execute();
}

/** Whether an unused, unexpired link of this purpose exists (without spending it). */
export async function findLiveLinkToken(db: Executor, tokenHash: Buffer, purpose: LinkPurpose, now: Date) {
  return db
    .selectFrom('link_tokens')
    .select('purpose')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks the link used and returns it, only if it was unused and unexpired: single use, atomically. */
export async function consumeLinkToken(db: Executor, tokenHash: Buffer, purposes: LinkPurpose[], now: Date) {
  return db
    .updateTable('link_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['purpose', 'user_id', 'organisation_id'])
    .executeTakeFirst();
}

// ---- API tokens ----------------------------------------------------------------------------------

export async function insertApiToken(
  db: Executor,
  row: {
    organisation_id: string;
    user_id: string;
    name: string;
    token_hash: Buffer;
    display_prefix: string;
    scopes: string[];
    created_at: Date;
    expires_at: Date | null;
  },
) {
  return db
    .insertInto('api_tokens')
    .values({ ...row, last_used_at: null, revoked_at: null })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function findLiveApiToken(db: Executor, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.organisation_id', 't.user_id', 't.scopes', 't.last_used_at'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Executor, organisationId: string, onlyUserId?: string) {
  let query = db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.name',
      't.display_prefix',
      't.scopes',
      't.created_at',
      't.last_used_at',
      't.expires_at',
      't.user_id',
      'u.email as created_by',
    ])
    .where('t.organisation_id', '=', organisationId)
    .where('t.revoked_at', 'is', null)
    .orderBy('t.created_at', 'desc');
  if (onlyUserId) query = query.where('t.user_id', '=', onlyUserId);
  return query.execute();
}

export async function findApiToken(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeApiToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}

export async function revokeApiTokensOfMember(
  db: Executor,
  organisationId: string,
  userId: string,
  at: Date,
) {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
