import type { Deps } from '../deps.ts';
import { randomToken } from '../platform/crypto.ts';

/** Message-IDs carry the host of `HAVEN_PUBLIC_URL`: Haven names its own messages. */
function mailHost(deps: Pick<Deps, 'config'>): string {
  return new URL(deps.config.publicUrl).hostname;
}

/** The root every mail about a case refers to; no message has it, so clients thread on it alone. */
export function caseThreadId(deps: Pick<Deps, 'config'>, caseId: string): string {
  return `<case.${caseId}@${mailHost(deps)}>`;
}

/** A new Message-ID for one mail about the case: `<case.{caseId}.{random}@{host}>`. */
export function caseMessageId(deps: Pick<Deps, 'config'>, caseId: string): string {
  return `<case.${caseId}.${randomToken(12)}@${mailHost(deps)}>`;
}

/** The threading headers of a mail about the case, as `mailer.send` takes them. */
export function caseMailThreading(
  deps: Pick<Deps, 'config'>,
  caseId: string,
): { messageId: string; references: string } {
  return { messageId: caseMessageId(deps, caseId), references: caseThreadId(deps, caseId) };
}
