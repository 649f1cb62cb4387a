import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { createOrganisationKey } from '../openpgp/create-organisation-key.ts';
import { AppError } from '../platform/errors.ts';
import { claimDefaultOrganisation } from '../securitytxt/host-names.ts';
import { insertMembership, insertOrganisation } from './organisation.repository.ts';
import type { OrganisationRow } from './organisation.table.ts';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export type NewOrganisation = {
  slug: string;
  name: string;
  defaultLanguage: 'nl' | 'en';
  timezone: string;
};

/**
 * Creates an organisation inside the caller's transaction, with its first owner when given, and its
 * OpenPGP key. The first organisation on an instance becomes its default.
 */
export async function createOrganisation(
  deps: Pick<Deps, 'clock' | 'keyring'>,
  trx: Trx,
  input: NewOrganisation & { ownerUserId?: string },
): Promise<OrganisationRow> {
  const problems = [];
  if (!SLUG_PATTERN.test(input.slug)) {
    problems.push({
      field: 'slug',
      code: 'invalid',
      message: 'Use 1–40 lower-case letters, digits and hyphens, starting and ending with a letter or digit.',
    });
  }
  if (!isTimeZone(input.timezone)) {
    problems.push({ field: 'timezone', code: 'invalid', message: 'Not a known IANA time zone.' });
  }
  if (problems.length > 0) throw new AppError('request.invalid', 'The organisation is not valid.', problems);
  const now = deps.clock.now();
  const organisation = await insertOrganisation(trx, {
    slug: input.slug,
    name: input.name.trim(),
    default_language: input.defaultLanguage,
    timezone: input.timezone,
    created_at: now,
    updated_at: now,
  });
  if (!organisation) {
    throw new AppError('org.slug_taken', `The short name ${input.slug} is already taken.`, [
      { field: 'slug', code: 'org.slug_taken', message: 'Already taken.' },
    ]);
  }
  await createOrganisationKey(deps, trx, organisation);
  await claimDefaultOrganisation(trx, organisation.id);
  if (input.ownerUserId) {
    await insertMembership(trx, {
      organisation_id: organisation.id,
      user_id: input.ownerUserId,
      role: 'owner',
      created_at: now,
      accepted_at: now,
    });
  }
  return organisation;
}
