import * as openpgp from 'openpgp';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import { listKeys } from './organisation-key.repository.ts';
import { unsealPrivateKey } from './organisation-key-material.ts';

/** One signature's outcome, as openpgp.js reports it. */
export type Verification = Awaited<ReturnType<openpgp.CleartextMessage['verify']>>[number];

/** The plain bytes, the organisation key that opened them, and any signatures inside. */
export type DecryptedMessage = {
  bytes: Uint8Array;
  fingerprint: string;
  /** Key IDs of signatures inside the encryption (RFC 3156 §6.2 combined form); empty when unsigned. */
  signingKeyIds: openpgp.KeyID[];
  verify(keys: openpgp.PublicKey[]): Promise<Verification[]>;
};

/**
 * Decrypts an ASCII-armored OpenPGP message sent to the organisation, with whichever of its keys
 * (current or retired) it was encrypted to. Says which key that was.
 */
export async function decryptForOrganisation(
  deps: Pick<Deps, 'db' | 'keyring'>,
  organisationId: string,
  armoredMessage: string,
): Promise<DecryptedMessage> {
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
    const decrypted = (await message.decrypt(decryptionKeys)) as openpgp.Message<Uint8Array>;
    const bytes = decrypted.getLiteralData();
    if (!(bytes instanceof Uint8Array)) throw new Error('no literal data in the message');
    return {
      bytes,
      fingerprint: row.fingerprint,
      signingKeyIds: decrypted.getSigningKeyIDs(),
      verify: (keys) => decrypted.verify(keys),
    };
  } catch (error) {
    throw new AppError('openpgp.decryption_failed', 'The message could not be decrypted.', [
      { code: 'decryption', message: (error as Error).message },
    ]);
  }
}
