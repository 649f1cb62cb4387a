import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { membersNotifiedByEmail } from '../orgs/members.ts';
import { findOrganisationById } from '../orgs/organisation.repository.ts';
import { handleJob, jobType } from '../platform/jobs.ts';
import { recipientRefused } from '../platform/mailer.ts';
import { findCaseById } from './case.repository.ts';
import type { CaseChannel } from './case.table.ts';
import { caseMailThreading } from './case-mail-ids.ts';
import { listNoticeRecipients, pruneNoticesSent, recordNoticeSent } from './team-notifications.repository.ts';

/** What the team is told about by e-mail. */
export const TEAM_NOTICE_EVENTS = [
  'case.opened',
  'message.reporter',
  'message.unverified',
  'case.withdrawn',
  'mail.bounced',
] as const;
export type TeamNoticeEvent = (typeof TEAM_NOTICE_EVENTS)[number];

export const notifyTeamJob = jobType(
  'cases.notify-team',
  z.object({
    /** One notice, however often its job runs: deliveries are recorded under it. */
    noticeId: z.uuid(),
    caseId: z.uuid(),
    event: z.enum(TEAM_NOTICE_EVENTS),
    /** The staff member whose action this was: never told about it. */
    actorUserId: z.uuid().optional(),
  }),
);

/** pg-boss gives up on a job within hours and deletes it after 7 days; deliveries are kept longer. */
const KEEP_DELIVERIES_MS = 14 * 24 * 3600_000;

const OPENED_KEY: Record<CaseChannel, string> = {
  web: 'mail.teamNotice.openedWeb',
  api: 'mail.teamNotice.openedApi',
  email: 'mail.teamNotice.openedEmail',
  import: 'mail.teamNotice.openedImport',
};

const EVENT_KEY: Record<Exclude<TeamNoticeEvent, 'case.opened'>, string> = {
  'message.reporter': 'mail.teamNotice.reporterMessage',
  'message.unverified': 'mail.teamNotice.unverifiedReply',
  'case.withdrawn': 'mail.teamNotice.reporterWithdrew',
  'mail.bounced': 'mail.teamNotice.bounced',
};

/** Forgets deliveries older than any job that could still retry them; run by housekeeping, off the job path. */
export async function removeOldTeamNoticeDeliveries(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  await pruneNoticesSent(deps.db, new Date(deps.clock.now().getTime() - KEEP_DELIVERIES_MS));
}

/** Queues the team's notice in the caller's transaction: it exists if and only if the event does. */
export async function enqueueTeamNotice(
  deps: Pick<Deps, 'jobs'>,
  trx: Trx,
  notice: { caseId: string; event: TeamNoticeEvent; actorUserId?: string },
): Promise<void> {
  await deps.jobs.enqueue(trx, notifyTeamJob, { noticeId: randomUUID(), ...notice });
}

/** The case in the console, as an absolute link (web/src/routes/tree.tsx: /console/$org/cases/$reference). */
export function consoleCaseUrl(deps: Pick<Deps, 'config'>, slug: string, reference: string): string {
  return `${deps.config.publicUrl.replace(/\/+$/, '')}/console/${encodeURIComponent(slug)}/cases/${encodeURIComponent(reference)}`;
}

/**
 * Tells each member who wants it, in their language, that something happened on a case: the
 * organisation, the reference, what happened and a link to the console. Never any report content or
 * anything about the reporter: team mailboxes are forwarded, archived and searched. Recipients are
 * looked up now, so a member who opted out or left since gets nothing; each delivery is recorded,
 * so a retry mails only those a failed attempt did not reach.
 */
export function notifyTeamHandler(deps: () => Deps) {
  return handleJob(notifyTeamJob, async ({ noticeId, caseId, event, actorUserId }) => {
    const d = deps();
    const caseRow = await findCaseById(d.db, caseId);
    if (!caseRow) return;
    const organisation = await findOrganisationById(d.db, caseRow.organisation_id);
    if (!organisation) return;
    const reached = new Set(await listNoticeRecipients(d.db, noticeId));
    const members = (await membersNotifiedByEmail(d, organisation.id)).filter(
      (m) => m.userId !== actorUserId && !reached.has(m.userId),
    );
    const values = {
      organisation: organisation.name,
      reference: caseRow.reference,
      link: consoleCaseUrl(d, organisation.slug, caseRow.reference),
      membersUrl: `${d.config.publicUrl.replace(/\/+$/, '')}/console/${encodeURIComponent(organisation.slug)}/members`,
    };
    const happened = event === 'case.opened' ? OPENED_KEY[caseRow.channel] : EVENT_KEY[event];
    let failed = 0;
    for (const member of members) {
      const t = (key: string) => d.translate(member.language ?? organisation.default_language, key, values);
      try {
        await d.mailer.send({
          to: member.email,
          // One subject per case: mail clients that also thread on the subject keep the case together.
          subject: t('mail.teamNotice.subject'),
          text: [
            t(happened),
            '',
            t('mail.teamNotice.open'),
            values.link,
            '',
            t('mail.teamNotice.noContent'),
            '',
            '-- ',
            t('mail.teamNotice.why'),
          ].join('\n'),
          headers: { 'Auto-Submitted': 'auto-generated' },
          organisationId: organisation.id,
          ...caseMailThreading(d, caseRow.id),
        });
      } catch (error) {
        const refused = recipientRefused(error);
        d.log.warn({ err: error, job: noticeId, userId: member.userId }, 'team notice not sent');
        // Refused for good (no such mailbox): trying again only repeats the refusal.
        if (!refused) {
          failed += 1;
          continue;
        }
      }
      await recordNoticeSent(d.db, {
        noticeId,
        userId: member.userId,
        organisationId: organisation.id,
        caseId: caseRow.id,
        at: d.clock.now(),
      });
    }
    if (failed > 0) throw new Error(`${failed} of ${members.length} team notices not sent; retrying those`);
  });
}
