import * as openpgp from 'openpgp';
import type { Db, Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { open, seal } from '../platform/crypto.ts';
import { createDataKey, openDataKey } from '../platform/keys.ts';
import { getPublishedPolicy } from '../policies/policies.ts';
import type { NewOrganisationKeyRow, OrganisationKeyRow } from './organisation-key.table.ts';

/** Data keys that seal organisations' OpenPGP private keys carry this purpose. */
const DATA_KEY_PURPOSE = 'organisation-openpgp-key';

type Executor = Db | Trx;
type OrganisationNames = { id: string; slug: string; name: string };

/** Binds a sealed private key to its row: a sealed key copied onto another row does not open. */
const aad = (organisationId: string, fingerprint: string) =>
  `organisation-key:${organisationId}:${fingerprint}`;

/** Characters that would make a user ID ambiguous (`Name (comment) <mail>`) or unprintable. */
const USER_ID_UNSAFE = /[\p{Cc}\p{Cf}<>()"\\]/gu;

/**
 * How much of the organisation's name a user ID carries, in code points. With the fixed words and an
 * intake address of at most 254 characters (the policy schema's limit), the user ID stays within
 * the 400 characters `organisation_keys.user_id` allows (an organisation name may have 200).
 */
export const KEY_NAME_MAX = 100;

export function keyUserName(organisationName: string): string {
  const cleaned = organisationName.replace(USER_ID_UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  // Cut on a code-point boundary (never half a surrogate pair), then drop a trailing space.
  const name = Array.from(cleaned).slice(0, KEY_NAME_MAX).join('').trim();
  return `Haven security contact of ${name || 'an organisation'}`;
}

/**
 * The address a key's user ID names: the first intake e-mail of the published policy, if any.
 * `db` is the caller's transaction when the organisation is being created in it.
 */
async function intakeEmail(db: Executor, slug: string): Promise<string | undefined> {
  try {
    return (await getPublishedPolicy({ db }, slug)).settings.intake.emails[0];
  } catch (error) {
    if ((error as { code?: string }).code === 'policy.not_published') return undefined;
    throw error;
  }
}

/**
 * Makes a new key for the organisation, as the row to store: a v4 key (EdDSA + ECDH on
 * curve25519Legacy, which GnuPG 2.2 reads; the v6 keys of RFC 9580 it cannot), no passphrase of its
 * own — the private key is sealed at rest with a fresh data key wrapped by the master key.
 */
export async function makeOrganisationKey(
  deps: Pick<Deps, 'clock' | 'keyring'>,
  db: Executor,
  organisation: OrganisationNames,
): Promise<NewOrganisationKeyRow> {
  const now = deps.clock.now();
  const email = await intakeEmail(db, organisation.slug);
  const name = keyUserName(organisation.name);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [email ? { name, email } : { name }],
    date: now,
    format: 'object',
  });
  const fingerprint = privateKey.getFingerprint();
  // The data-key helpers are typed for the platform's tables; the executor has them among others.
  const dataKey = await createDataKey(
    db as unknown as Parameters<typeof createDataKey>[0],
    deps.keyring,
    DATA_KEY_PURPOSE,
  );
  return {
    organisation_id: organisation.id,
    fingerprint,
    user_id: email ? `${name} <${email}>` : name,
    public_key: publicKey.armor(),
    private_key_sealed: seal(dataKey.key, privateKey.write(), aad(organisation.id, fingerprint)),
    data_key_id: dataKey.id,
    created_at: now,
    retired_at: null,
  };
}

/** The private key of a stored row, unsealed; never logged, never returned by any route. */
export async function unsealPrivateKey(
  deps: Pick<Deps, 'db' | 'keyring'>,
  row: OrganisationKeyRow,
): Promise<openpgp.PrivateKey> {
  const dataKey = await openDataKey(deps.db, deps.keyring, row.data_key_id);
  if (!dataKey)
    throw new Error(`data key ${row.data_key_id} of organisation key ${row.fingerprint} is missing`);
  const binaryKey = open(dataKey, row.private_key_sealed, aad(row.organisation_id, row.fingerprint));
  const key = await openpgp.readPrivateKey({ binaryKey });
  if (key.getFingerprint() !== row.fingerprint) {
    throw new Error(`organisation key ${row.fingerprint} unsealed to another key`);
  }
  return key;
}
