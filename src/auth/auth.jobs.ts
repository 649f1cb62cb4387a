import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { findOrganisationById, findRole } from '../orgs/organisation.repository.ts';
import { handleJob, jobType } from '../platform/jobs.ts';
import { findUserById } from './auth.repository.ts';
import { issueLink, LINK_TTL_MS } from './links.ts';

export const sendLinkJob = jobType(
  'auth.send-link',
  z.object({
    purpose: z.enum(['invitation', 'password_reset']),
    userId: z.uuid(),
    organisationId: z.uuid().optional(),
    invitedBy: z.uuid().optional(),
  }),
);

/**
 * Sends an invitation or password-reset link. The link's secret is made here, not by whoever
 * enqueued the job: job payloads hold ids only, and the secret exists nowhere but in the e-mail.
 */
export function sendLinkHandler(deps: () => Deps) {
  return handleJob(sendLinkJob, async (payload) => {
    const d = deps();
    const user = await findUserById(d.db, payload.userId);
    if (!user || user.disabled_at) return;
    // An invitation for someone who has set a password since needs no link any more.
    if (payload.purpose === 'invitation' && user.password_hash) return;
    const organisation = payload.organisationId
      ? await findOrganisationById(d.db, payload.organisationId)
      : undefined;
    if (payload.organisationId && !organisation) return;
    const role = organisation ? await findRole(d.db, organisation.id, user.id) : undefined;
    // Removed from the organisation before the mail went out: no invitation.
    if (payload.purpose === 'invitation' && !role) return;
    const inviter = payload.invitedBy ? await findUserById(d.db, payload.invitedBy) : undefined;
    const language = user.language ?? organisation?.default_language ?? 'en';
    const link = await d.db.transaction().execute((trx) =>
      issueLink(d, trx, {
        purpose: payload.purpose,
        userId: user.id,
        organisationId: organisation?.id ?? null,
      }),
    );
    const t = (key: string, values?: Record<string, unknown>) => d.translate(language, key, values);
    const mail =
      payload.purpose === 'invitation'
        ? {
            subject: t('mail.invitation.subject', { organisation: organisation?.name ?? 'Haven' }),
            text: t('mail.invitation.body', {
              inviter: inviter?.name || inviter?.email || 'Haven',
              organisation: organisation?.name ?? 'Haven',
              role: t(`roles.${role}`),
              link: link.url,
              hours: LINK_TTL_MS.invitation / 3600_000,
            }),
          }
        : {
            subject: t('mail.passwordReset.subject'),
            text: t('mail.passwordReset.body', {
              link: link.url,
              minutes: LINK_TTL_MS.password_reset / 60_000,
            }),
          };
    await d.mailer.send({
      to: user.email,
      subject: mail.subject,
      text: mail.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  });
}
