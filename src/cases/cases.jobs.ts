import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { caseReplyHeaders, caseReturnPath } from '../mail/thread-address.ts';
import { handleJob, jobType } from '../platform/jobs.ts';
import { findMessage } from './case.repository.ts';
import { caseMailThreading } from './case-mail-ids.ts';
import { loadCaseSummary } from './case-summary.ts';
import { issueRecoveryToken, RECOVERY_TTL_MS, reporterCaseUrl } from './reporter-access.ts';
import { reporterMailEncryption } from './reporter-mail-encryption.ts';
import { sendReporterMail } from './send-reporter-mail.ts';

export const notifyReporterJob = jobType('cases.notify-reporter', z.object({ messageId: z.uuid() }));
export const sendRecoveryLinkJob = jobType('cases.send-recovery-link', z.object({ caseId: z.uuid() }));

function recoverUrl(deps: Pick<Deps, 'config'>) {
  return `${deps.config.publicUrl.replace(/\/+$/, '')}/r/recover`;
}

/** The team's message, by e-mail to a reporter who gave an address; the case page has it too. */
export function notifyReporterHandler(deps: () => Deps) {
  return handleJob(notifyReporterJob, async ({ messageId }) => {
    const d = deps();
    const message = await findMessage(d.db, messageId);
    if (message?.author !== 'staff') return;
    const summary = await loadCaseSummary(d, message.case_id);
    const to = summary?.reporter.email;
    if (!summary || !to) return;
    const { caseRow, organisation, reporter } = summary;
    const t = (key: string, values?: Record<string, unknown>) =>
      d.translate(caseRow.reporter_language, key, values);
    await sendReporterMail(d, caseRow, {
      to,
      subject: t('mail.reporterMessage.subject', {
        reference: caseRow.reference,
        organisation: organisation.name,
      }),
      text: [
        t('mail.reporterMessage.intro', { organisation: organisation.name, reference: caseRow.reference }),
        '',
        message.body,
        '',
        t('mail.reporterMessage.reply', { recoverUrl: recoverUrl(d) }),
      ].join('\n'),
      headers: { 'Auto-Submitted': 'auto-generated', ...caseReplyHeaders(d, organisation.slug, caseRow.id) },
      organisationId: organisation.id,
      ...caseReturnPath(d, organisation.slug, caseRow.id),
      ...caseMailThreading(d, caseRow.id),
      ...reporterMailEncryption(d, t, reporter, organisation.id),
    });
  });
}

/** A single-use link (15 minutes) that opens the case again, to the address the reporter gave. */
export function sendRecoveryLinkHandler(deps: () => Deps) {
  return handleJob(sendRecoveryLinkJob, async ({ caseId }) => {
    const d = deps();
    const summary = await loadCaseSummary(d, caseId);
    const to = summary?.reporter.email;
    if (!summary || !to) return;
    const { caseRow, organisation, reporter } = summary;
    const token = await d.db.transaction().execute((trx) => issueRecoveryToken(trx, caseRow, d.clock.now()));
    const t = (key: string, values?: Record<string, unknown>) =>
      d.translate(caseRow.reporter_language, key, values);
    await sendReporterMail(d, caseRow, {
      to,
      subject: t('mail.reporterRecovery.subject', { reference: caseRow.reference }),
      text: t('mail.reporterRecovery.body', {
        reference: caseRow.reference,
        organisation: organisation.name,
        link: reporterCaseUrl(d, token),
        minutes: RECOVERY_TTL_MS / 60_000,
      }),
      headers: { 'Auto-Submitted': 'auto-generated' },
      organisationId: organisation.id,
      ...caseReturnPath(d, organisation.slug, caseRow.id),
      ...caseMailThreading(d, caseRow.id),
      ...reporterMailEncryption(d, t, reporter, organisation.id),
    });
  });
}
