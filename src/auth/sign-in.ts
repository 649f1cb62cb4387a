import type { Deps } from '../deps.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { findUserByEmail, revokeSession } from './auth.repository.ts';
import { normaliseEmail } from './ensure-user.ts';
import { startSession } from './sessions.ts';

/**
 * Checks e-mail and password and starts a fresh session (the old one, if any, is revoked: sessions
 * rotate at sign-in). Failures are limited per account and per client, and take the same time
 * whether or not the account exists.
 */
export async function signIn(
  deps: Deps,
  input: { email: string; password: string; clientKey: string; previousSession?: Buffer },
): Promise<{ secret: string; idHash: Buffer; userId: string }> {
  const email = normaliseEmail(input.email);
  const nowMs = deps.clock.now().getTime();
  const perClient = deps.limits.signInPerClient.consume(input.clientKey, nowMs);
  const perAccount = deps.limits.signInPerAccount.consume(email, nowMs);
  if (!perClient.allowed || !perAccount.allowed) {
    throw new AppError('request.rate_limited', 'Too many sign-in attempts; try again later.', [
      {
        code: 'retry_after',
        message: String(Math.max(perClient.retryAfterSeconds, perAccount.retryAfterSeconds)),
      },
    ]);
  }
  const user = await findUserByEmail(deps.db, email);
  const hash = user?.password_hash ?? DUMMY_PASSWORD_HASH;
  const ok = await verifyPassword(input.password, hash);
  if (!user?.password_hash || user.disabled_at || !ok) {
    throw new AppError('auth.invalid_credentials', 'E-mail address or password is incorrect.');
  }
  deps.limits.signInPerAccount.reset(email);
  return deps.db.transaction().execute(async (trx) => {
    if (input.previousSession) await revokeSession(trx, input.previousSession, deps.clock.now(), 'rotated');
    const session = await startSession(deps, trx, user.id);
    return { ...session, userId: user.id };
  });
}
