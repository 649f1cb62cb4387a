import type { Deps } from '../deps.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { insertOrganisationKey, lockCurrentKey, retireKey } from './organisation-key.repository.ts';
import { makeOrganisationKey } from './organisation-key-material.ts';

/**
 * Gives the organisation a new current key (`haven key rotate`). The old key is retired, not deleted:
 * mail encrypted to it can still be decrypted. The new key's user ID names the current intake e-mail.
 */
export async function rotateOrganisationKey(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  slug: string,
): Promise<{ previous: string | null; current: string }> {
  const organisation = await findOrganisationBySlug(deps.db, slug);
  if (!organisation) throw new AppError('org.not_found', `No organisation ${slug}.`);
  return deps.db.transaction().execute(async (trx) => {
    const old = await lockCurrentKey(trx, organisation.id);
    const row = await makeOrganisationKey(deps, trx, organisation);
    if (old && !(await retireKey(trx, old.id, row.created_at))) {
      throw new AppError('request.conflict', 'The key was rotated at the same time; try again.');
    }
    await insertOrganisationKey(trx, row);
    return { previous: old?.fingerprint ?? null, current: row.fingerprint };
  });
}
