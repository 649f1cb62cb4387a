import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { insertOrganisationKey } from './organisation-key.repository.ts';
import { makeOrganisationKey } from './organisation-key-material.ts';

/**
 * Creates the organisation's first OpenPGP key inside the caller's transaction (the one that creates
 * the organisation), so no organisation exists without a key. Returns the key's fingerprint.
 */
export async function createOrganisationKey(
  deps: Pick<Deps, 'clock' | 'keyring'>,
  trx: Trx,
  organisation: { id: string; slug: string; name: string },
): Promise<{ fingerprint: string }> {
  const row = await makeOrganisationKey(deps, trx, organisation);
  await insertOrganisationKey(trx, row);
  return { fingerprint: row.fingerprint };
}
