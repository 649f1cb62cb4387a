import { caseThreadId } from '../cases/case-mail-ids.ts';
import type { CaseSummary } from '../cases/case-summary.ts';
import type { Deps } from '../deps.ts';
import { findInboundMessageOfCase } from './inbound-message.repository.ts';
import { caseReplyHeaders } from './thread-address.ts';

/**
 * How the acknowledgement of a case that came in by mail goes out: as a reply (RFC 3834
 * `Auto-Submitted: auto-replied`, threaded on the reporter's Message-ID), quoting the report only
 * when DMARC vouched for the sender, at most a few per address and hour; or not at all.
 */
export type MailReply =
  | { send: false; reason: string }
  | {
      send: true;
      /** Whether the reply may echo report text (title, subject, file names, the sender's name). */
      quote: boolean;
      /** `Re: <subject>` when quoting; otherwise the acknowledgement keeps its own subject. */
      subject: string | undefined;
      headers: Record<string, string>;
      /** Contact details the policy asks for and the mail lacked: the reply asks for them. */
      missing: string[];
      /** The reporter's Message-ID, then the case's thread root (RFC 5322 §3.6.4). */
      references: string;
    };

export async function planMailReply(
  deps: Pick<Deps, 'db' | 'clock' | 'limits' | 'keyring' | 'config'>,
  summary: CaseSummary,
  to: string,
): Promise<MailReply> {
  const inbound = await findInboundMessageOfCase(deps.db, summary.caseRow.id);
  if (!inbound) return { send: false, reason: 'no_message' };
  if (inbound.acknowledgement === 'none') return { send: false, reason: 'withheld' };
  const limited = deps.limits.mailsPerAccount.consume(
    `mail-reply:${to.toLowerCase()}`,
    deps.clock.now().getTime(),
  );
  if (!limited.allowed) return { send: false, reason: 'rate_limited' };
  const quote = inbound.acknowledgement === 'quote';
  const headers: Record<string, string> = {
    'Auto-Submitted': 'auto-replied',
    ...caseReplyHeaders(deps, summary.organisation.slug, summary.caseRow.id),
  };
  if (inbound.message_id) headers['In-Reply-To'] = inbound.message_id;
  const title = summary.caseRow.title;
  const missing = (summary.report?.deviations ?? []).flatMap((d) =>
    d.code === 'contact_required' && d.field ? [d.field.replace(/^contact\./, '')] : [],
  );
  return {
    send: true,
    quote,
    subject: quote ? (/^re:/i.test(title) ? title : `Re: ${title}`) : undefined,
    headers,
    missing,
    references: [inbound.message_id, caseThreadId(deps, summary.caseRow.id)].filter(Boolean).join(' '),
  };
}
