import type { Deps } from '../deps.ts';
import { hashToken } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { findLiveApiToken, touchApiToken } from './auth.repository.ts';
import type { Principal } from './permissions.ts';

export const API_TOKEN_PREFIX = 'haven_';
const TOUCH_EVERY_MS = 60_000;

/** Resolves `Authorization: Bearer haven_…` to its principal, or answers 401 `auth.token_invalid`. */
export async function authenticateToken(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<Principal> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) {
    throw new AppError('auth.token_invalid', 'The API token is invalid, expired or revoked.');
  }
  const now = deps.clock.now();
  const row = await findLiveApiToken(deps.db, hashToken(token), now);
  if (!row) throw new AppError('auth.token_invalid', 'The API token is invalid, expired or revoked.');
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_EVERY_MS) {
    await touchApiToken(deps.db, row.id, now);
  }
  return {
    via: 'token',
    userId: row.user_id,
    tokenId: row.id,
    organisationId: row.organisation_id,
    scopes: row.scopes,
  };
}
