import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { findMembership, findOrganisationById } from '../orgs/organisation.repository.ts';
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
 * An invitation links to choosing a password, or, for someone who has one, to accepting it.
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
    const membership = organisation ? await findMembership(d.db, organisation.id, user.id) : undefined;
    // Withdrawn or already accepted before the mail went out: nothing to send.
    if (payload.purpose === 'invitation' && (!membership || membership.accepted_at)) return;
    const inviter = payload.invitedBy ? await findUserById(d.db, payload.invitedBy) : undefined;
    const t = (key: string, values?: Record<string, unknown>) =>
      d.translate(user.language ?? organisation?.default_language ?? 'en', key, values);
    const hasPassword = Boolean(user.password_hash);
    const link = await d.db.transaction().execute((trx) =>
      issueLink(d, trx, {
        purpose: payload.purpose,
        userId: user.id,
        organisationId: organisation?.id ?? null,
        hasPassword,
      }),
    );
    const invitation = {
      inviter: inviter?.name || inviter?.email || 'Haven',
      organisation: organisation?.name ?? 'Haven',
      role: t(`roles.${membership?.role ?? 'viewer'}`),
      link: link.url,
      hours: LINK_TTL_MS.invitation / 3600_000,
    };
    const template =
      payload.purpose === 'password_reset'
        ? 'mail.passwordReset'
        : hasPassword
          ? 'mail.invitationExistingAccount'
          : 'mail.invitation';
    const values =
      payload.purpose === 'password_reset'
        ? { link: link.url, minutes: LINK_TTL_MS.password_reset / 60_000 }
        : invitation;
    await d.mailer.send({
      to: user.email,
      subject: t(`${template}.subject`, values),
      text: t(`${template}.body`, values),
      headers: { 'Auto-Submitted': 'auto-generated' },
      // An invitation belongs to its organisation's dev mailbox; a password reset to nobody's.
      organisationId: payload.purpose === 'invitation' ? organisation?.id : undefined,
    });
  });
}
