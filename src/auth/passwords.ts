import type { Deps } from '../deps.ts';
import { hashPassword, hashToken, verifyPassword } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { sendLinkJob } from './auth.jobs.ts';
import {
  consumeLinkToken,
  findUserByEmail,
  findUserById,
  revokeSessionsOfUser,
  updateUser,
} from './auth.repository.ts';
import { normaliseEmail } from './ensure-user.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { startSession } from './sessions.ts';

/**
 * Queues a reset link for the address if an account has it. The answer is the same either way, so
 * the endpoint does not tell who has an account; it is rate-limited per client.
 */
export async function requestPasswordReset(
  deps: Deps,
  input: { email: string; clientKey: string },
): Promise<void> {
  const limit = deps.limits.mailRequestsPerClient.consume(input.clientKey, deps.clock.now().getTime());
  if (!limit.allowed) throw new AppError('request.rate_limited', 'Too many requests; try again later.');
  const user = await findUserByEmail(deps.db, normaliseEmail(input.email));
  if (!user || user.disabled_at) return;
  await deps.db
    .transaction()
    .execute((trx) => deps.jobs.enqueue(trx, sendLinkJob, { purpose: 'password_reset', userId: user.id }));
}

/**
 * Sets a password through an invitation or reset link. The link is spent in the same transaction,
 * and every session of the account ends: whoever held one before the reset is signed out.
 */
export async function setPasswordWithLink(
  deps: Deps,
  input: { token: string; password: string; name?: string },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const link = await consumeLinkToken(trx, hashToken(input.token), ['invitation', 'password_reset'], now);
    const user = link?.user_id ? await findUserById(trx, link.user_id) : undefined;
    if (!link || !user || user.disabled_at) {
      throw new AppError('auth.link_invalid', 'This link is invalid, expired or already used.');
    }
    assertAcceptablePassword(input.password, user.email);
    const name = link.purpose === 'invitation' && input.name?.trim() ? input.name.trim() : user.name;
    await updateUser(trx, user.id, {
      password_hash: await hashPassword(input.password, deps.passwordParams),
      password_changed_at: now,
      name,
    });
    await revokeSessionsOfUser(trx, user.id, now, 'password_changed');
  });
}

/** Changes the password of a signed-in user: other sessions end, this one is replaced by a new one. */
export async function changePassword(
  deps: Deps,
  input: { userId: string; currentPassword: string; newPassword: string },
): Promise<{ secret: string; idHash: Buffer }> {
  const user = await findUserById(deps.db, input.userId);
  if (!user?.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('request.invalid', 'The current password is not correct.', [
      { field: 'currentPassword', code: 'auth.invalid_credentials', message: 'Not correct.' },
    ]);
  }
  assertAcceptablePassword(input.newPassword, user.email, 'newPassword');
  const hash = await hashPassword(input.newPassword, deps.passwordParams);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: now });
    await revokeSessionsOfUser(trx, user.id, now, 'password_changed');
    return startSession(deps, trx, user.id);
  });
}
