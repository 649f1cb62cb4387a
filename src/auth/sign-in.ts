import type { Deps } from '../deps.ts';
import { DUMMY_PASSWORD_HASH, hmac, randomToken, safeEqual, verifyPassword } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { findUserByEmail, revokeSession } from './auth.repository.ts';
import { normaliseEmail } from './ensure-user.ts';
import { startSession } from './sessions.ts';

export const DEVICE_COOKIE = '__Host-haven_device';

/**
 * A device cookie (OWASP): proof that this browser signed in to this account before. Someone
 * hammering an account from elsewhere locks out their own attempts, not the owner's browser.
 */
function deviceCookieFor(deps: Pick<Deps, 'keyring'>, email: string, nonce = randomToken(16)): string {
  return `${nonce}.${hmac(deps.keyring.purposeKey('device-cookie'), `${nonce}\n${email}`).toString('base64url')}`;
}

function isDeviceCookieOf(deps: Pick<Deps, 'keyring'>, email: string, cookie: string | undefined): boolean {
  const nonce = cookie?.split('.')[0];
  if (!cookie || !nonce || cookie.length > 200) return false;
  return safeEqual(Buffer.from(deviceCookieFor(deps, email, nonce)), Buffer.from(cookie));
}

/**
 * Checks e-mail and password and starts a fresh session (the old one, if any, is revoked: sessions
 * rotate at sign-in). Failures are limited per client and per account — the latter not for a browser
 * that signed in to the account before — and take the same time whether or not the account exists.
 */
export async function signIn(
  deps: Deps,
  input: {
    email: string;
    password: string;
    clientKey: string;
    previousSession?: Buffer;
    deviceCookie?: string;
  },
): Promise<{ secret: string; idHash: Buffer; userId: string; deviceCookie: string }> {
  const email = normaliseEmail(input.email);
  const nowMs = deps.clock.now().getTime();
  const knownDevice = isDeviceCookieOf(deps, email, input.deviceCookie);
  const perClient = deps.limits.signInPerClient.consume(input.clientKey, nowMs);
  const perAccount = knownDevice
    ? { allowed: true, retryAfterSeconds: 0 }
    : deps.limits.signInPerAccount.consume(email, nowMs);
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
  if (!knownDevice) deps.limits.signInPerAccount.reset(email);
  const session = await deps.db.transaction().execute(async (trx) => {
    if (input.previousSession) await revokeSession(trx, input.previousSession, deps.clock.now(), 'rotated');
    return startSession(deps, trx, user.id);
  });
  return { ...session, userId: user.id, deviceCookie: deviceCookieFor(deps, email) };
}
