import { z } from 'zod';
import { recordCaseEvent, wasRecorded } from '../cases/case-events.ts';
import { caseMailThreading } from '../cases/case-mail-ids.ts';
import { loadCaseSummary } from '../cases/case-summary.ts';
import { issueLinkForMail } from '../cases/reporter-access.ts';
import { reporterMailEncryption } from '../cases/reporter-mail-encryption.ts';
import { sendReporterMail } from '../cases/send-reporter-mail.ts';
import type { Deps } from '../deps.ts';
import { planMailReply } from '../mail/reply-to-mail.ts';
import { caseReturnPath } from '../mail/thread-address.ts';
import { handleJob, jobType } from '../platform/jobs.ts';
import { getPublishedPolicy } from '../policies/policies.ts';
import { formatDate } from '../policies/policy-page.ts';
import { promiseSentences } from '../policies/promises.ts';

export const acknowledgeJob = jobType('intake.acknowledge', z.object({ caseId: z.uuid() }));

/**
 * The acknowledgement by e-mail, in the reporter's language, plain text: the reference, a private
 * link (made here: the link exists nowhere but in the mail), what happens next as the policy
 * promises it, and a summary of what arrived, never the report itself. Sent once per case.
 */
export function acknowledgeHandler(deps: () => Deps) {
  return handleJob(acknowledgeJob, async ({ caseId }) => {
    const d = deps();
    const summary = await loadCaseSummary(d, caseId);
    const to = summary?.reporter.email;
    if (!summary || !to) return;
    if (await wasRecorded(d, caseId, 'acknowledgement.sent')) return;
    const { caseRow, organisation, report, attachments, reporter } = summary;
    // A report that came by mail is answered by reply, or not at all (reply-to-mail.ts).
    const reply = caseRow.channel === 'email' ? await planMailReply(d, summary, to) : undefined;
    if (reply && !reply.send) {
      await recordCaseEvent(d, caseRow, {
        kind: 'acknowledgement.withheld',
        visibility: 'internal',
        actor: 'system',
        data: { reason: reply.reason },
      });
      return;
    }
    const quote = reply?.quote ?? true;
    const language = caseRow.reporter_language;
    const t = (key: string, values?: Record<string, unknown>) => d.translate(language, key, values);
    const policy =
      report?.policy_version != null
        ? await getPublishedPolicy(d, organisation.slug, report.policy_version).catch(() => undefined)
        : undefined;
    const promises = policy
      ? promiseSentences(policy.settings, (key, values) => t(`public.${key}`, values))
      : [];
    const link = await issueLinkForMail(d, caseRow);
    const lines = [
      quote && (reporter.name || reporter.alias)
        ? t('mail.acknowledgement.greeting', { name: reporter.name || reporter.alias })
        : t('mail.acknowledgement.greetingPlain'),
      '',
      t('mail.acknowledgement.received', {
        organisation: organisation.name,
        date: formatDate(caseRow.received_at, language, organisation.timezone),
        reference: caseRow.reference,
      }),
      '',
      t('mail.acknowledgement.link'),
      link,
      t('mail.acknowledgement.linkSecret'),
      '',
      t('mail.acknowledgement.next'),
      ...(promises.length > 0
        ? promises.map((p) => `- ${p}`)
        : [`- ${t('mail.acknowledgement.noPromises')}`]),
      '',
      t('mail.acknowledgement.summary'),
      ...(quote ? [`${t('mail.acknowledgement.title')}: ${caseRow.title}`] : []),
      `${t('mail.acknowledgement.assets')}: ${report?.assets.length ?? 0}`,
      `${t('mail.acknowledgement.attachments')}: ${attachments.length === 0 ? '-' : quote ? attachments.map((a) => `${a.file_name} (${a.size} B)`).join(', ') : attachments.length}`,
      ...(report?.policy_version != null
        ? [`${t('mail.acknowledgement.policyVersion')}: ${report.policy_version}`]
        : []),
      ...(reply && reply.missing.length > 0
        ? [
            '',
            t('mail.acknowledgement.missing'),
            ...reply.missing.map((field) => `- ${t(`mail.acknowledgement.missingField.${field}`)}`),
          ]
        : []),
      '',
      t('mail.acknowledgement.closing', { organisation: organisation.name }),
    ];
    const sent = await sendReporterMail(d, caseRow, {
      to,
      subject: reply?.subject ?? t('mail.acknowledgement.subject', { reference: caseRow.reference }),
      text: lines.join('\n'),
      headers: reply?.headers ?? { 'Auto-Submitted': 'auto-generated' },
      organisationId: organisation.id,
      ...caseReturnPath(d, organisation.slug, caseRow.id),
      ...caseMailThreading(d, caseRow.id),
      ...(reply?.send ? { references: reply.references } : {}),
      ...reporterMailEncryption(d, t, reporter, organisation.id),
    });
    if (!sent) return;
    await recordCaseEvent(d, caseRow, {
      kind: 'acknowledgement.sent',
      visibility: 'reporter',
      actor: 'system',
    });
  });
}
