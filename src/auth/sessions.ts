import type { Db, Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { hashToken, hmac, randomToken, safeEqual } from '../platform/crypto.ts';
import { findLiveSession, insertSession, revokeSession, touchSession } from './auth.repository.ts';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export const SESSION_COOKIE = '__Host-haven_session';

/** Starts a session; the caller sets the returned secret as the cookie. Only its hash is stored. */
export async function startSession(
  deps: Pick<Deps, 'clock'>,
  trx: Trx | Db,
  userId: string,
): Promise<{ secret: string; idHash: Buffer }> {
  const now = deps.clock.now();
  const secret = randomToken();
  const idHash = hashToken(secret);
  await insertSession(trx, {
    id_hash: idHash,
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  });
  return { secret, idHash };
}

/** The session behind a cookie value, if it is live; refreshes its idle timer. */
export async function resumeSession(
  deps: Pick<Deps, 'clock' | 'db'>,
  secret: string,
): Promise<{ userId: string; idHash: Buffer } | undefined> {
  if (secret.length < 20 || secret.length > 100) return undefined;
  const now = deps.clock.now();
  const idHash = hashToken(secret);
  const session = await findLiveSession(deps.db, idHash, now, new Date(now.getTime() - SESSION_IDLE_MS));
  if (!session) return undefined;
  if (now.getTime() - session.last_seen_at.getTime() >= TOUCH_EVERY_MS)
    await touchSession(deps.db, idHash, now);
  return { userId: session.user_id, idHash };
}

export async function endSession(
  deps: Pick<Deps, 'clock' | 'db'>,
  idHash: Buffer,
  reason: string,
): Promise<void> {
  await revokeSession(deps.db, idHash, deps.clock.now(), reason);
}

/** The CSRF token is bound to the session: an HMAC of its id under a key derived for CSRF. */
export function csrfTokenFor(deps: Pick<Deps, 'keyring'>, idHash: Buffer): string {
  return hmac(deps.keyring.purposeKey('csrf'), idHash.toString('base64url')).toString('base64url');
}

export function csrfTokenMatches(deps: Pick<Deps, 'keyring'>, idHash: Buffer, presented: string): boolean {
  return safeEqual(Buffer.from(csrfTokenFor(deps, idHash)), Buffer.from(presented));
}
