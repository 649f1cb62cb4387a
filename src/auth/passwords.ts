import type { Deps } from '../deps.ts';
import { acceptMembership } from '../orgs/organisation.repository.ts';
import { hashPassword, hashToken, verifyPassword } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { sendLinkJob } from './auth.jobs.ts';
import {
  consumeLinkToken,
  findUserByEmail,
  findUserById,
  retirePasswordResetLinks,
  revokeSessionsOfUser,
  updateUser,
} from './auth.repository.ts';
import { normaliseEmail } from './ensure-user.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { startSession } from './sessions.ts';

/**
 * Queues a reset link for the address if an account has it. Callers answer before this runs, the
 * same way whether or not the account exists; it is limited per client and per address.
 */
export async function requestPasswordReset(
  deps: Deps,
  input: { email: string; clientKey: string },
): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  if (!deps.limits.mailRequestsPerClient.consume(input.clientKey, nowMs).allowed) {
    throw new AppError('request.rate_limited', 'Too many requests; try again later.');
  }
  const email = normaliseEmail(input.email);
  // Per address: quietly no more mail, so nobody can flood a mailbox from many clients.
  if (!deps.limits.mailsPerAccount.consume(email, nowMs).allowed) return;
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.disabled_at) return;
  await deps.db
    .transaction()
    .execute((trx) => deps.jobs.enqueue(trx, sendLinkJob, { purpose: 'password_reset', userId: user.id }));
}

const linkInvalid = () => new AppError('auth.link_invalid', 'This link is invalid, expired or already used.');

/**
 * Sets a password through a reset link, or through the invitation of someone who has none yet
 * (which also accepts the invitation). The link is spent in the same transaction; every session of
 * the account ends and no other reset link stays usable.
 */
export async function setPasswordWithLink(
  deps: Deps,
  input: { token: string; password: string; name?: string },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const link = await consumeLinkToken(trx, hashToken(input.token), ['invitation', 'password_reset'], now);
    const user = link?.user_id ? await findUserById(trx, link.user_id) : undefined;
    if (!link || !user || user.disabled_at) throw linkInvalid();
    const invitation = link.purpose === 'invitation';
    // An invitation chooses a first password only; once there is one, only a reset link changes it.
    if (invitation && user.password_hash) throw linkInvalid();
    if (
      invitation &&
      !(link.organisation_id && (await acceptMembership(trx, link.organisation_id, user.id, now)))
    ) {
      throw linkInvalid(); // withdrawn in the meantime
    }
    assertAcceptablePassword(input.password, user.email);
    const name = invitation && input.name?.trim() ? input.name.trim() : user.name;
    await updateUser(trx, user.id, {
      password_hash: await hashPassword(input.password, deps.passwordParams),
      password_changed_at: now,
      name,
    });
    await retirePasswordResetLinks(trx, user.id, now);
    await revokeSessionsOfUser(trx, user.id, now, 'password_changed');
  });
}

/** Accepts an invitation for someone who already has a password: they sign in as usual afterwards. */
export async function acceptInvitation(deps: Deps, input: { token: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const link = await consumeLinkToken(trx, hashToken(input.token), ['invitation'], now);
    const user = link?.user_id ? await findUserById(trx, link.user_id) : undefined;
    if (!link?.organisation_id || !user?.password_hash || user.disabled_at) throw linkInvalid();
    if (!(await acceptMembership(trx, link.organisation_id, user.id, now))) throw linkInvalid();
  });
}

/** Changes the password of a signed-in user: other sessions end, this one is replaced by a new one. */
export async function changePassword(
  deps: Deps,
  input: { userId: string; currentPassword: string; newPassword: string },
): Promise<{ secret: string; idHash: Buffer }> {
  const user = await findUserById(deps.db, input.userId);
  if (!user?.password_hash) throw new AppError('auth.required', 'Sign in.');
  const limit = deps.limits.signInPerAccount.consume(user.email, deps.clock.now().getTime());
  if (!limit.allowed) {
    throw new AppError('request.rate_limited', 'Too many attempts; try again later.', [
      { code: 'retry_after', message: String(limit.retryAfterSeconds) },
    ]);
  }
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('request.invalid', 'The current password is not correct.', [
      { field: 'currentPassword', code: 'auth.invalid_credentials', message: 'Not correct.' },
    ]);
  }
  deps.limits.signInPerAccount.reset(user.email);
  assertAcceptablePassword(input.newPassword, user.email, 'newPassword');
  const hash = await hashPassword(input.newPassword, deps.passwordParams);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: now });
    await retirePasswordResetLinks(trx, user.id, now);
    await revokeSessionsOfUser(trx, user.id, now, 'password_changed');
    return startSession(deps, trx, user.id);
  });
}
