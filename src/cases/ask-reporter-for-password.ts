import type { Deps } from '../deps.ts';
import { iso } from '../http.ts';
import { type OrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { AppError } from '../platform/errors.ts';
import { findCaseByReference, listAttachments } from './case.repository.ts';
import { recordCaseEvent } from './case-events.ts';
import { openCaseKey, openReporter } from './case-key.ts';

const MAX_NAMES_LENGTH = 120;

/**
 * Texts the reporter, in their language, to send the password of their locked file(s) by text
 * message or phone: the way the 9292 policy promises, and never by e-mail alongside the file.
 */
export async function askReporterForPassword(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring' | 'notifier' | 'translate' | 'log' | 'limits'>,
  access: OrganisationAccess,
  reference: string,
) {
  requireScope(access, 'cases:write');
  const c = await findCaseByReference(deps.db, access.organisation.id, reference);
  if (!c) throw new AppError('report.not_found', 'No such case.');
  const locked = (await listAttachments(deps.db, c.id)).filter(
    (a) => a.locked && a.unlocked_at === null && a.unlocked_from === null,
  );
  if (locked.length === 0)
    throw new AppError('attachment.not_locked', 'This case has no locked file to unlock.');
  const phone = openReporter(await openCaseKey(deps, c), c).phone;
  if (!phone) throw new AppError('reporter.no_phone', 'The reporter gave no phone number.');

  // A reporter's phone is not the team's to ring endlessly: a few texts per case per day.
  const verdict = deps.limits.textsPerCase.consume(c.id, deps.clock.now().getTime());
  if (!verdict.allowed) {
    throw new AppError('request.rate_limited', 'The reporter was texted recently; try again later.', [
      { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
    ]);
  }
  const names = locked.map((a) => a.file_name).join(', ');
  const text = deps.translate(c.reporter_language, 'sms.askPassword', {
    organisation: access.organisation.name,
    reference: c.reference,
    files: names.length > MAX_NAMES_LENGTH ? `${names.slice(0, MAX_NAMES_LENGTH - 1)}…` : names,
  });
  try {
    await deps.notifier.sendText(phone, text);
  } catch (error) {
    // Neither the number nor the text goes into the log.
    deps.log.warn(
      { case: c.reference, reason: error instanceof Error ? error.message : 'unknown' },
      'text message not sent',
    );
    throw new AppError('service.unavailable', 'The text message could not be sent; try again later.');
  }
  const at = deps.clock.now();
  await recordCaseEvent(deps, c, {
    kind: 'password.requested',
    visibility: 'internal',
    actor: 'staff',
    actorUserId: access.principal.userId,
    data: { channel: 'sms', attachmentIds: locked.map((a) => a.id) },
  });
  return { sentAt: iso(at), files: locked.length };
}
