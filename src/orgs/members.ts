import { sendLinkJob } from '../auth/auth.jobs.ts';
import { revokeSessionsOfUser } from '../auth/auth.repository.ts';
import { ensureUser } from '../auth/ensure-user.ts';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import {
  deleteMembership,
  findRole,
  insertMembership,
  listMembers as listMemberRows,
  lockOwners,
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
};

export async function listMembers(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<MemberView[]> {
  requireScope(access, 'members:read');
  const rows = await listMemberRows(deps.db, access.organisation.id);
  return rows.map((r) => ({ ...r, pending: Boolean(r.pending) }));
}

async function memberView(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
  userId: string,
): Promise<MemberView> {
  const member = (await listMemberRows(deps.db, access.organisation.id)).find((m) => m.userId === userId);
  if (!member) throw new AppError('member.not_found', 'No such member.');
  return { ...member, pending: Boolean(member.pending) };
}

/**
 * Adds someone to the organisation and e-mails them a single-use link to choose a password (or, if
 * they already have a password, the news and where to sign in). Membership and mail job commit together.
 */
export async function inviteMember(
  deps: Deps,
  access: OrganisationAccess,
  input: { email: string; name?: string; role: Role },
): Promise<MemberView> {
  requireScope(access, 'members:write');
  const userId = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { user } = await ensureUser(trx, { email: input.email, name: input.name, now });
    const added = await insertMembership(trx, {
      organisation_id: access.organisation.id,
      user_id: user.id,
      role: input.role,
      created_at: now,
    });
    if (!added) {
      throw new AppError('member.exists', 'This person is already a member.', [
        { field: 'email', code: 'member.exists', message: 'Already a member.' },
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
  const current = await findRole(trx, access.organisation.id, userId);
  if (!current) throw new AppError('member.not_found', 'No such member.');
  if (current === 'owner' && next !== 'owner' && owners.length === 1) {
    throw new AppError('member.last_owner', 'An organisation needs at least one owner.');
  }
  return current;
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

export async function removeMember(deps: Deps, access: OrganisationAccess, userId: string): Promise<void> {
  requireScope(access, 'members:write');
  requireSession(access);
  await deps.db.transaction().execute(async (trx) => {
    await lockMemberRole(trx, access, userId, null);
    await deleteMembership(trx, access.organisation.id, userId);
    await revokeSessionsOfUser(trx, userId, deps.clock.now(), 'role_changed');
  });
}
