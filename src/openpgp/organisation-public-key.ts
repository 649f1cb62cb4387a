import type { Deps } from '../deps.ts';
import { findOrganisationById } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { findCurrentKey, insertOrganisationKey } from './organisation-key.repository.ts';
import type { OrganisationKeyRow } from './organisation-key.table.ts';
import { makeOrganisationKey } from './organisation-key-material.ts';

export type OrganisationPublicKey = {
  fingerprint: string;
  userId: string;
  /** ASCII-armored (RFC 9580 §6.2). */
  armored: string;
  createdAt: Date;
};

const UNIQUE_VIOLATION = '23505';

/**
 * The organisation's current key row. Organisations made before keys existed get theirs on first
 * use; when two requests race to make it, the one that loses reads the winner's.
 */
export async function currentKeyRow(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  organisationId: string,
): Promise<OrganisationKeyRow> {
  const found = await findCurrentKey(deps.db, organisationId);
  if (found) return found;
  const organisation = await findOrganisationById(deps.db, organisationId);
  if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertOrganisationKey(trx, await makeOrganisationKey(deps, trx, organisation));
    });
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
  }
  const made = await findCurrentKey(deps.db, organisationId);
  if (!made) throw new Error(`organisation ${organisationId} has no current key`);
  return made;
}

/** The public half of the organisation's current key (what /o/{org}/pgp-key.asc serves). */
export async function organisationPublicKey(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  organisationId: string,
): Promise<OrganisationPublicKey> {
  const row = await currentKeyRow(deps, organisationId);
  return {
    fingerprint: row.fingerprint,
    userId: row.user_id,
    armored: row.public_key,
    createdAt: row.created_at,
  };
}
