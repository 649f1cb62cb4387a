import type { Deps } from '../deps.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import { findOrganisationsByIntakeAddress } from './inbound-message.repository.ts';
import { readCaseAddress } from './thread-address.ts';

/**
 * The organisations an address takes reports for (case-insensitive): any intake address of a
 * published policy, and `<slug>@<host of HAVEN_PUBLIC_URL>` for every organisation.
 */
export async function resolveIntakeAddress(
  deps: Pick<Deps, 'db' | 'config' | 'keyring'>,
  address: string,
): Promise<string[]> {
  const lower = address.trim().toLowerCase();
  if (lower.length > 254) return [];
  // A bounce address Haven did not make takes nothing: no backscatter lands on a case or opens one.
  const caseAddress = readCaseAddress(deps, lower);
  if (caseAddress?.purpose === 'bounce' && !caseAddress.verified) return [];
  const at = lower.lastIndexOf('@');
  if (at <= 0) return [];
  // Sub-addresses (`security+anything@`, per-case reply addresses) reach the same organisation.
  const local = lower.slice(0, at).split('+')[0] ?? '';
  const domain = lower.slice(at + 1);
  const slugs = new Set(await findOrganisationsByIntakeAddress(deps.db, lower));
  if (local && `${local}@${domain}` !== lower) {
    for (const slug of await findOrganisationsByIntakeAddress(deps.db, `${local}@${domain}`)) slugs.add(slug);
  }
  if (domain === new URL(deps.config.publicUrl).hostname.toLowerCase() && /^[a-z0-9-]{1,63}$/.test(local)) {
    const organisation = await findOrganisationBySlug(deps.db, local);
    if (organisation) slugs.add(organisation.slug);
  }
  return [...slugs];
}
