import type { Deps } from '../deps.ts';
import type { ReporterIdentity } from './case-key.ts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * What `mailer.send` needs to encrypt a mail to the reporter's OpenPGP key, when they gave one: the
 * neutral outer subject, and the neutral notice sent instead if their key cannot be used.
 */
export function reporterMailEncryption(
  deps: Pick<Deps, 'config'>,
  t: Translate,
  reporter: Pick<ReporterIdentity, 'openpgpKey'>,
): { encryptTo?: string; protectedSubject?: string; keyUnusableText?: string } {
  if (!reporter.openpgpKey) return {};
  return {
    encryptTo: reporter.openpgpKey,
    protectedSubject: t('mail.encrypted.subject'),
    keyUnusableText: t('mail.encrypted.keyUnusable', {
      recoverUrl: `${deps.config.publicUrl.replace(/\/+$/, '')}/r/recover`,
    }),
  };
}
