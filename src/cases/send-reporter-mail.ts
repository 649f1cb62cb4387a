import type { Deps } from '../deps.ts';
import { maskAddresses } from '../mail/parse-message.ts';
import { type OutgoingMail, recipientRefused, type SentMail } from '../platform/mailer.ts';
import type { CaseRow } from './case.table.ts';
import { recordCaseEvent } from './case-events.ts';
import { enqueueTeamNotice } from './team-notifications.ts';

/**
 * Sends a mail to a case's reporter. A relay that refuses the recipient for good (RCPT TO answered
 * 5xx: no such mailbox) is a bounce like any other: recorded on the case for the team, and not retried,
 * which would only repeat the refusal. Anything else (sign-in or sender refused, no connection,
 * 4xx) is thrown: the job retries.
 * Undefined when the mail was refused.
 */
export async function sendReporterMail(
  deps: Pick<Deps, 'db' | 'clock' | 'mailer' | 'log' | 'jobs'>,
  caseRow: Pick<CaseRow, 'id' | 'organisation_id'>,
  mail: OutgoingMail,
): Promise<SentMail | undefined> {
  try {
    return await deps.mailer.send(mail);
  } catch (error) {
    if (!recipientRefused(error)) throw error;
    const code = (error as { responseCode: number }).responseCode;
    const reply = (error as { response?: unknown }).response;
    deps.log.warn({ case: caseRow.id, responseCode: code }, 'mail: the relay refused a mail to the reporter');
    await deps.db.transaction().execute(async (trx) => {
      await recordCaseEvent(
        deps,
        caseRow,
        {
          kind: 'mail.bounced',
          visibility: 'internal',
          actor: 'system',
          data: {
            action: 'failed',
            status: String(code),
            diagnostic: maskAddresses(typeof reply === 'string' ? reply : (error as Error).message).slice(
              0,
              500,
            ),
            reportingMta: 'relay (SMTP_URL)',
            verified: true,
          },
        },
        trx,
      );
      await enqueueTeamNotice(deps, trx, { caseId: caseRow.id, event: 'mail.bounced' });
    });
    return undefined;
  }
}
