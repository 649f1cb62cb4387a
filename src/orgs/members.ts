import { sendLinkJob } from '../auth/auth.jobs.ts';
import { revokeApiTokensOfMember, revokeSessionsOfUser } from '../auth/auth.repository.ts';
import { ensureUser } from '../auth/ensure-user.ts';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import {
  deleteMembership,
  findMembership,
  insertMembership,
  listMembers as listMemberRows,
  listNotifiedMembers,
  lockOwners,
  updateMemberNotifications,
  updateMembershipRole,
} from './organisation.repository.ts';
import type { Role } from './organisation.table.ts';
import { type OrganisationAccess, requireScope, requireSession } from './organisation-access.ts';

export type MemberView = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
  pending: boolean;
  /** Whether they get the team's e-mail notices about cases. */
  notifyByEmail: boolean;
};

export async function listMembers(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<MemberView[]> {
  requireScope(access, 'members:read');
  const rows = await listMemberRows(deps.db, access.organisation.id);
  return rows.map((r) => ({
    ...r,
    name: String(r.name ?? ''),
    pending: Boolean(r.pending),
    notifyByEmail: Boolean(r.notifyByEmail),
  }));
}

async function memberView(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
  userId: string,
): Promise<MemberView> {
  const member = (await listMembers(deps, access)).find((m) => m.userId === userId);
  if (!member) throw new AppError('member.not_found', 'No such member.');
  return member;
}

/**
 * Invites someone: a pending membership that opens nothing until they accept it through the
 * single-use link e-mailed to them (choosing a password if they have none). The answer is the same
 * whether or not the address already has an account, and shows nothing of that account.
 * Session only: a leaked API token must not be able to bring in a new owner.
 */
export async function inviteMember(
  deps: Deps,
  access: OrganisationAccess,
  input: { email: string; name?: string; role: Role },
): Promise<MemberView> {
  requireScope(access, 'members:write');
  requireSession(access);
  const userId = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { user } = await ensureUser(trx, { email: input.email, name: input.name, now });
    const added = await insertMembership(trx, {
      organisation_id: access.organisation.id,
      user_id: user.id,
      role: input.role,
      created_at: now,
      accepted_at: null,
      invited_name: input.name?.trim() ?? '',
    });
    if (!added) {
      throw new AppError('member.exists', 'This person is already a member or invited.', [
        { field: 'email', code: 'member.exists', message: 'Already a member or invited.' },
      ]);
    }
    await deps.jobs.enqueue(trx, sendLinkJob, {
      purpose: 'invitation',
      userId: user.id,
      organisationId: access.organisation.id,
      invitedBy: access.principal.userId,
    });
    return user.id;
  });
  return memberView(deps, access, userId);
}

/**
 * The member's current role, with the organisation locked until the transaction ends; refuses to
 * let its last owner become something else (`next`: the new role, or null when removed).
 */
async function lockMemberRole(trx: Trx, access: OrganisationAccess, userId: string, next: Role | null) {
  const owners = await lockOwners(trx, access.organisation.id);
  const membership = await findMembership(trx, access.organisation.id, userId);
  if (!membership) throw new AppError('member.not_found', 'No such member.');
  if (membership.role === 'owner' && membership.accepted_at && next !== 'owner' && owners.length === 1) {
    throw new AppError('member.last_owner', 'An organisation needs at least one owner.');
  }
  return membership.role;
}

/** Changes a member's role; their sessions end, so the new role applies from their next sign-in. */
export async function changeMemberRole(
  deps: Deps,
  access: OrganisationAccess,
  userId: string,
  role: Role,
): Promise<MemberView> {
  requireScope(access, 'members:write');
  requireSession(access);
  await deps.db.transaction().execute(async (trx) => {
    const current = await lockMemberRole(trx, access, userId, role);
    if (current === role) return;
    await updateMembershipRole(trx, access.organisation.id, userId, role);
    await revokeSessionsOfUser(trx, userId, deps.clock.now(), 'role_changed');
  });
  return memberView(deps, access, userId);
}

/** Removes a member (or withdraws an invitation): their sessions end and their tokens here die. */
export async function removeMember(deps: Deps, access: OrganisationAccess, userId: string): Promise<void> {
  requireScope(access, 'members:write');
  requireSession(access);
  await deps.db.transaction().execute(async (trx) => {
    await lockMemberRole(trx, access, userId, null);
    await deleteMembership(trx, access.organisation.id, userId);
    const now = deps.clock.now();
    await revokeApiTokensOfMember(trx, access.organisation.id, userId, now);
    await revokeSessionsOfUser(trx, userId, now, 'role_changed');
  });
}

/**
 * A member chooses for themselves whether the team's notices about cases reach them by e-mail.
 * Session only: a leaked API token must not be able to silence its owner's notices.
 */
export async function changeMyNotifications(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
  notifyByEmail: boolean,
): Promise<MemberView> {
  requireScope(access, 'org:read');
  requireSession(access);
  const userId = access.principal.userId;
  if (!(await updateMemberNotifications(deps.db, access.organisation.id, userId, notifyByEmail))) {
    throw new AppError('member.not_found', 'No such member.');
  }
  return memberView(deps, access, userId);
}

export type NotifiedMember = { userId: string; email: string; language: 'nl' | 'en' | null };

/** Who gets the team's e-mail notices about the organisation's cases, as of now. */
export async function membersNotifiedByEmail(
  deps: Pick<Deps, 'db'>,
  organisationId: string,
): Promise<NotifiedMember[]> {
  return listNotifiedMembers(deps.db, organisationId);
}
