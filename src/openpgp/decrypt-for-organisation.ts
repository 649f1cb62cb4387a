import * as openpgp from 'openpgp';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import { listKeys } from './organisation-key.repository.ts';
import { unsealPrivateKey } from './organisation-key-material.ts';

/**
 * Decrypts an ASCII-armored OpenPGP message sent to the organisation, with whichever of its keys
 * (current or retired) it was encrypted to. Says which key that was.
 */
export async function decryptForOrganisation(
  deps: Pick<Deps, 'db' | 'keyring'>,
  organisationId: string,
  armoredMessage: string,
): Promise<{ bytes: Uint8Array; fingerprint: string }> {
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ armoredMessage });
  } catch (error) {
    throw new AppError('openpgp.invalid_message', 'This is not an OpenPGP message.', [
      { code: 'unreadable', message: (error as Error).message },
    ]);
  }
  const recipients = message.getEncryptionKeyIDs();
  const rows = await listKeys(deps.db, organisationId);
  const matching = [];
  for (const row of rows) {
    const publicKey = await openpgp.readKey({ armoredKey: row.public_key });
    if (recipients.some((id) => publicKey.getKeys(id).length > 0)) matching.push(row);
  }
  const row = matching[0];
  if (!row) {
    throw new AppError(
      'openpgp.decryption_failed',
      "The message is not encrypted to any of this organisation's keys.",
    );
  }
  const decryptionKeys = await Promise.all(matching.map((r) => unsealPrivateKey(deps, r)));
  try {
    const { data } = await openpgp.decrypt({ message, decryptionKeys, format: 'binary' });
    return { bytes: data, fingerprint: row.fingerprint };
  } catch (error) {
    throw new AppError('openpgp.decryption_failed', 'The message could not be decrypted.', [
      { code: 'decryption', message: (error as Error).message },
    ]);
  }
}
