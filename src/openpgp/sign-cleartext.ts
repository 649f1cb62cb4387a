import * as openpgp from 'openpgp';
import type { Deps } from '../deps.ts';
import { unsealPrivateKey } from './organisation-key-material.ts';
import { currentKeyRow } from './organisation-public-key.ts';

/**
 * Signs `text` with the organisation's current key as an OpenPGP cleartext-signed message
 * (RFC 9580 §7: dash-escaped, trailing whitespace not signed), which `gpg --verify` checks.
 * Lines end in LF throughout: OpenPGP.js writes the text with CRLF and its framing with LF, and
 * line endings are not part of what is signed (they are canonicalised to CRLF before hashing).
 */
export async function signCleartext(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  organisationId: string,
  text: string,
): Promise<{ signed: string; fingerprint: string }> {
  const row = await currentKeyRow(deps, organisationId);
  const signingKey = await unsealPrivateKey(deps, row);
  const signed = await openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys: signingKey,
    date: deps.clock.now(),
  });
  return { signed: signed.replace(/\r\n/g, '\n'), fingerprint: row.fingerprint };
}
