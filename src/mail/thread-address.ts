import type { Deps } from '../deps.ts';
import { hmac, safeEqual } from '../platform/crypto.ts';

/**
 * Per-case addresses: replies go to `<slug>+<case id>.<tag>@<public host>`, bounces (VERP, the
 * envelope sender of mail about the case) to `<slug>+bounce.<case id>.<tag>@<public host>`. The tag
 * is an HMAC of the purpose and the case id under Haven's `mail-thread` key, so only an address
 * Haven handed out verifies, and a reply address is no bounce address.
 */
const CASE_ADDRESS = /^([a-z0-9-]{1,63})\+(bounce\.)?([0-9a-f]{32})\.([0-9a-f]{16})$/;
type Purpose = 'case' | 'bounce';
/** Message-IDs Haven gives mail about a case: `<case.<case id>[.…]@<public host>>`. */
const CASE_MESSAGE_ID = /^<case\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})[.>@]/;

function tag(deps: Pick<Deps, 'keyring'>, caseId: string, purpose: Purpose = 'case'): Buffer {
  return hmac(deps.keyring.purposeKey('mail-thread'), `${purpose}:${caseId}`).subarray(0, 8);
}

function publicHost(deps: Pick<Deps, 'config'>): string {
  return new URL(deps.config.publicUrl).hostname.toLowerCase();
}

export function caseReplyAddress(
  deps: Pick<Deps, 'keyring' | 'config'>,
  slug: string,
  caseId: string,
): string {
  return `${slug}+${caseId.replaceAll('-', '')}.${tag(deps, caseId).toString('hex')}@${publicHost(deps)}`;
}

/** The envelope sender (VERP) of mail about a case: its bounces come back to the case. */
export function caseBounceAddress(
  deps: Pick<Deps, 'keyring' | 'config'>,
  slug: string,
  caseId: string,
): string {
  return `${slug}+bounce.${caseId.replaceAll('-', '')}.${tag(deps, caseId, 'bounce').toString('hex')}@${publicHost(deps)}`;
}

export type CaseAddress = { purpose: Purpose; slug: string; caseId: string; verified: boolean };

/** The case a reply or bounce address names, and whether its tag verifies; undefined for any other address. */
export function readCaseAddress(
  deps: Pick<Deps, 'keyring' | 'config'>,
  address: string,
): CaseAddress | undefined {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0 || lower.slice(at + 1) !== publicHost(deps)) return undefined;
  const match = CASE_ADDRESS.exec(lower.slice(0, at));
  if (!match) return undefined;
  const [, slug = '', bounce, hex = '', given = ''] = match;
  const purpose: Purpose = bounce ? 'bounce' : 'case';
  const caseId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return {
    purpose,
    slug,
    caseId,
    verified: safeEqual(Buffer.from(given, 'hex'), tag(deps, caseId, purpose)),
  };
}

/** The case a Message-ID that Haven made belongs to (In-Reply-To / References of a reply). */
export function caseOfMessageId(deps: Pick<Deps, 'config'>, messageId: string): string | undefined {
  const lower = messageId.toLowerCase();
  if (!lower.endsWith(`@${publicHost(deps)}>`)) return undefined;
  return CASE_MESSAGE_ID.exec(lower)?.[1];
}

/**
 * `Reply-To` for mail about a case, when Haven receives mail itself (SMTP intake on): replies come
 * back to the case through an address only Haven can make.
 */
export function caseReplyHeaders(
  deps: Pick<Deps, 'keyring' | 'config'>,
  slug: string,
  caseId: string,
): Record<string, string> {
  return deps.config.smtp ? { 'Reply-To': caseReplyAddress(deps, slug, caseId) } : {};
}

/** The envelope sender of mail about a case, when Haven receives mail itself: bounces find their case. */
export function caseReturnPath(
  deps: Pick<Deps, 'keyring' | 'config'>,
  slug: string,
  caseId: string,
): { envelopeFrom?: string } {
  return deps.config.smtp ? { envelopeFrom: caseBounceAddress(deps, slug, caseId) } : {};
}
