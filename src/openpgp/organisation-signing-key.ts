import type * as openpgp from 'openpgp';
import type { Deps } from '../deps.ts';
import { unsealPrivateKey } from './organisation-key-material.ts';
import { currentKeyRow } from './organisation-public-key.ts';

/**
 * The organisation's current private key, unsealed, to sign what Haven sends on its behalf (mail
 * encrypted to a reporter): the reporter checks it against /o/{org}/pgp-key.asc. Never stored
 * or logged unsealed.
 */
export async function organisationSigningKey(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  organisationId: string,
): Promise<openpgp.PrivateKey> {
  return unsealPrivateKey(deps, await currentKeyRow(deps, organisationId));
}
