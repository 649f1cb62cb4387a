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
 * Someone invited who already has a password gets a notice with the sign-in address instead.
 */
export function sendLinkHandler(deps: () => Deps) {
  return handleJob(sendLinkJob, async (payload) => {
    const d = deps();
    const user = await findUserById(d.db, payload.userId);
    if (!user || user.disabled_at) return;
    const organisation = payload.organisationId
      ? await findOrganisationById(d.db, payload.organisationId)
      : undefined;
    if (payload.organisationId && !organisation) return;
    const role = organisation ? await findRole(d.db, organisation.id, user.id) : undefined;
    // Removed from the organisation before the mail went out: no invitation.
    if (payload.purpose === 'invitation' && !role) return;
    const inviter = payload.invitedBy ? await findUserById(d.db, payload.invitedBy) : undefined;
    const t = (key: string, values?: Record<string, unknown>) =>
      d.translate(user.language ?? organisation?.default_language ?? 'en', key, values);
    const newLink = () =>
      d.db.transaction().execute((trx) =>
        issueLink(d, trx, {
          purpose: payload.purpose,
          userId: user.id,
          organisationId: organisation?.id ?? null,
        }),
      );
    const invitation = {
      inviter: inviter?.name || inviter?.email || 'Haven',
      organisation: organisation?.name ?? 'Haven',
      role: t(`roles.${role}`),
    };
    let mail: { subject: string; text: string };
    if (payload.purpose === 'password_reset') {
      const link = await newLink();
      mail = {
        subject: t('mail.passwordReset.subject'),
        text: t('mail.passwordReset.body', { link: link.url, minutes: LINK_TTL_MS.password_reset / 60_000 }),
      };
    } else if (user.password_hash) {
      mail = {
        subject: t('mail.added.subject', invitation),
        text: t('mail.added.body', { ...invitation, link: `${d.config.publicUrl}/sign-in` }),
      };
    } else {
      const link = await newLink();
      mail = {
        subject: t('mail.invitation.subject', invitation),
        text: t('mail.invitation.body', {
          ...invitation,
          link: link.url,
          hours: LINK_TTL_MS.invitation / 3600_000,
        }),
      };
    }
    await d.mailer.send({
      to: user.email,
      subject: mail.subject,
      text: mail.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  });
}
