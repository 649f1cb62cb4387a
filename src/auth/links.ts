import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { hashToken, randomToken } from '../platform/crypto.ts';
import { insertLinkToken, retireLinkTokens } from './auth.repository.ts';
import type { LinkPurpose } from './auth.table.ts';

/** How long each kind of e-mailed link works. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  setup: 7 * 24 * 3600_000,
  invitation: 72 * 3600_000,
  password_reset: 30 * 60_000,
};

/** The web page each link opens. An invitation for someone who already has a password is accepted, not used to set one. */
function linkPath(purpose: LinkPurpose, hasPassword: boolean): string {
  if (purpose === 'setup') return '/setup';
  if (purpose === 'invitation' && hasPassword) return '/accept-invitation';
  return '/set-password';
}

/**
 * Issues a single-use link and retires the earlier unused ones of the same kind for the same user
 * and organisation.
 * The secret travels in the URL fragment, which browsers never send to the server, so it does not
 * end up in access logs or Referer headers.
 */
export async function issueLink(
  deps: Pick<Deps, 'clock' | 'config'>,
  trx: Trx,
  link: { purpose: LinkPurpose; userId: string | null; organisationId: string | null; hasPassword?: boolean },
): Promise<{ url: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS[link.purpose]);
  await retireLinkTokens(trx, link, now);
  await insertLinkToken(trx, {
    token_hash: hashToken(token),
    purpose: link.purpose,
    user_id: link.userId,
    organisation_id: link.organisationId,
    created_at: now,
    expires_at: expiresAt,
  });
  return {
    url: `${deps.config.publicUrl}${linkPath(link.purpose, link.hasPassword ?? false)}#token=${token}`,
    expiresAt,
  };
}
