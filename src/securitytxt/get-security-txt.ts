import type { Deps } from '../deps.ts';
import { organisationPublicKey } from '../openpgp/organisation-public-key.ts';
import { signCleartext } from '../openpgp/sign-cleartext.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { getPublishedPolicy, type PublishedPolicy } from '../policies/policies.ts';
import { buildSecurityTxt } from './build-security-txt.ts';
import {
  findDefaultOrganisation,
  findOrganisationByHost,
  isDefaultOrganisation,
  listHostNames,
} from './host-name.repository.ts';

/**
 * Signed files by what they say: the unsigned text holds the day's Expires, the policy's fields, the
 * canonical URLs and the key's fingerprint, so a new day, a new policy version, a host-name change or
 * a key rotation each miss the cache and re-sign. Bounded, oldest entry out first.
 */
export type SecurityTxtCache = Map<string, string>;

export function securityTxtCache(): SecurityTxtCache {
  return new Map();
}

const CACHE_LIMIT = 1000;

type SecurityTxtDeps = Pick<Deps, 'db' | 'clock' | 'keyring' | 'config'>;

/**
 * The organisation's security.txt (RFC 9116), cleartext-signed with its key.
 *
 * An organisation that has not published a policy still gets one, without Policy and
 * Acknowledgments: security.txt is how a finder reaches a security team, and the report form and
 * the key work before a policy does. A 404 there would tell scanners and finders that the
 * organisation has no way to be told about a vulnerability, which is worse than no policy text.
 */
export async function securityTxtForOrganisation(
  deps: SecurityTxtDeps,
  cache: SecurityTxtCache,
  slug: string,
): Promise<string> {
  const organisation = await findOrganisationBySlug(deps.db, slug);
  if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
  // The key first, on its own: an organisation older than keys gets one made in a transaction.
  const key = await organisationPublicKey(deps, organisation.id);
  const [policy, hosts, isDefault] = await Promise.all([
    publishedPolicyOrNull(deps, slug),
    listHostNames(deps.db, organisation.id),
    isDefaultOrganisation(deps.db, organisation.id),
  ]);
  const publicUrl = deps.config.publicUrl;
  const canonical = [
    `${publicUrl}/o/${organisation.slug}/security.txt`,
    ...(isDefault ? [`${new URL(publicUrl).origin}/.well-known/security.txt`] : []),
    ...hosts.map((host) => `https://${host}/.well-known/security.txt`),
  ];
  const text = buildSecurityTxt({
    publicUrl,
    slug: organisation.slug,
    organisationName: organisation.name,
    defaultLanguage: organisation.default_language,
    policy: policy && {
      emails: policy.settings.intake.emails,
      languages: policy.settings.intake.languages,
      hallOfFame: policy.settings.credit.hallOfFame,
    },
    canonical: [...new Set(canonical)],
    fingerprint: key.fingerprint,
    now: deps.clock.now(),
  });
  const cacheKey = `${organisation.id}\n${text}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  // The line break before the signature block belongs to the framing, not to the signed text.
  const { signed, fingerprint } = await signCleartext(deps, organisation.id, text.replace(/\n$/, ''));
  // A rotation between reading the key and signing: serve this one, cache only what matches.
  if (fingerprint === key.fingerprint) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, signed);
  }
  return signed;
}

/**
 * `/.well-known/security.txt` on `host`: the organisation the host is assigned to; on Haven's own
 * host, the instance's default organisation. Any other host: not found — a domain pointed at Haven
 * before it is assigned must not send finders to the wrong team.
 */
export async function securityTxtForHost(
  deps: SecurityTxtDeps,
  cache: SecurityTxtCache,
  host: string,
): Promise<string> {
  const ownHost = new URL(deps.config.publicUrl).hostname.toLowerCase();
  const organisation =
    (await findOrganisationByHost(deps.db, host)) ??
    (host === ownHost ? await findDefaultOrganisation(deps.db) : undefined);
  if (!organisation) throw new AppError('org.not_found', 'No organisation publishes a security.txt here.');
  return securityTxtForOrganisation(deps, cache, organisation.slug);
}

async function publishedPolicyOrNull(deps: Pick<Deps, 'db'>, slug: string): Promise<PublishedPolicy | null> {
  try {
    return await getPublishedPolicy(deps, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === 'policy.not_published') return null;
    throw error;
  }
}
