import type { Deps } from '../deps.ts';
import { organisationSigningKey } from '../openpgp/organisation-signing-key.ts';
import type { OutgoingMail } from '../platform/mailer.ts';
import type { ReporterIdentity } from './case-key.ts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * What `mailer.send` needs to encrypt a mail to the reporter's OpenPGP key, when they gave one: the
 * neutral outer subject, the neutral notice sent instead if their key cannot be used, and the
 * organisation's key to sign with (unsealed only when the mail is actually encrypted).
 */
export function reporterMailEncryption(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'keyring'>,
  t: Translate,
  reporter: Pick<ReporterIdentity, 'openpgpKey'>,
  organisationId: string,
): Pick<OutgoingMail, 'encryptTo' | 'protectedSubject' | 'keyUnusableText' | 'signingKey'> {
  if (!reporter.openpgpKey) return {};
  return {
    encryptTo: reporter.openpgpKey,
    signingKey: () => organisationSigningKey(deps, organisationId),
    protectedSubject: t('mail.encrypted.subject'),
    keyUnusableText: t('mail.encrypted.keyUnusable', {
      recoverUrl: `${deps.config.publicUrl.replace(/\/+$/, '')}/r/recover`,
    }),
  };
}
