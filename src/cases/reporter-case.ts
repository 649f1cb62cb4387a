import { randomUUID } from 'node:crypto';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { iso } from '../http.ts';
import { type IncomingFile, inspectAttachment } from '../intake/attachment-pipeline.ts';
import { findOrganisationById } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { getIntakePolicy, getPublishedPolicy } from '../policies/policies.ts';
import { promiseSentences } from '../policies/promises.ts';
import {
  findCaseByReference,
  findReportOfCase,
  insertAttachments,
  insertMessage,
  listAttachments,
  listEvents,
  listMessages,
  lockCase,
  markWithdrawn,
  touchCase,
  updateCredit,
} from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import { recordCaseEvent } from './case-events.ts';
import { openCaseKey, openReporter } from './case-key.ts';
import type { ReporterCaseView, ReporterMessageView } from './case-views.ts';
import { sendRecoveryLinkJob } from './cases.jobs.ts';
import { discardBlobs, storeAttachments } from './store-attachments.ts';
import { enqueueTeamNotice } from './team-notifications.ts';

/**
 * The reporter's side of a case, reached through their link: what they may see (status, their
 * timeline, messages, promises) and what they may do (reply, credit, withdraw). Internal notes and
 * internal events are never read here.
 */

export async function getReporterCase(deps: Deps, c: CaseRow): Promise<ReporterCaseView> {
  const organisation = await findOrganisationById(deps.db, c.organisation_id);
  if (!organisation) throw new AppError('report.not_found', 'No such case.');
  const [report, events, messages, attachments] = await Promise.all([
    findReportOfCase(deps.db, c.id),
    listEvents(deps.db, c.id, true),
    reporterMessages(deps, c),
    listAttachments(deps.db, c.id),
  ]);
  const policy =
    report?.policy_version != null
      ? await getPublishedPolicy(deps, organisation.slug, report.policy_version).catch(() => undefined)
      : undefined;
  const t = (key: string, values?: Record<string, unknown>) =>
    deps.translate(c.reporter_language, `public.${key}`, values);
  return {
    reference: c.reference,
    organisation: { slug: organisation.slug, name: organisation.name },
    title: c.title,
    state: c.state,
    receivedAt: iso(c.received_at),
    withdrawn: c.withdrawn_at !== null,
    language: c.reporter_language,
    identity: c.identity_mode,
    recoverable: c.reporter_has_email,
    credit: { wanted: c.credit_wanted, name: c.credit_name },
    policyVersion: report?.policy_version ?? null,
    promises: policy ? promiseSentences(policy.settings, t) : [],
    timeline: events.map((e) => ({ at: iso(e.at), kind: e.kind })),
    attachments: attachments
      .filter((a) => a.uploaded_by === 'reporter' && a.message_id === null)
      .map((a) => ({ id: a.id, fileName: a.file_name, size: a.size })),
    messages,
  };
}

export async function reporterMessages(deps: Pick<Deps, 'db'>, c: CaseRow): Promise<ReporterMessageView[]> {
  const [messages, attachments] = await Promise.all([
    listMessages(deps.db, c.id),
    listAttachments(deps.db, c.id),
  ]);
  return messages.map((m) => ({
    id: m.id,
    at: iso(m.at),
    from: m.author === 'reporter' ? ('you' as const) : ('team' as const),
    body: m.body,
    attachments: attachments
      .filter((a) => a.message_id === m.id)
      .map((a) => ({ id: a.id, fileName: a.file_name, size: a.size })),
  }));
}

function refuseWhenWithdrawn(c: CaseRow) {
  if (c.withdrawn_at) throw new AppError('report.withdrawn', 'This report was withdrawn.');
}

/** The reporter answers on the case page or API: refused when withdrawn or against the policy. */
export async function postReporterMessage(
  deps: Deps,
  found: CaseRow,
  body: string,
  files: IncomingFile[],
): Promise<ReporterMessageView> {
  refuseWhenWithdrawn(found);
  return recordReporterMessage(deps, found, body, files, { mode: 'enforce' });
}

/**
 * A reporter message with its files, through the same pipeline as the report. In mode `enforce`
 * (case page, API) the policy and a withdrawal refuse it; in mode `record` (mail, which cannot be
 * corrected) nothing is refused: files the policy does not accept are kept quarantined.
 * `withinTransaction` lets a channel write its own record in the same transaction.
 */
export async function recordReporterMessage(
  deps: Deps,
  found: CaseRow,
  body: string,
  files: IncomingFile[],
  options: {
    mode: 'enforce' | 'record';
    channel?: 'email';
    withinTransaction?: (trx: Trx, caseKey: Buffer) => Promise<void>;
  },
): Promise<ReporterMessageView> {
  const enforce = options.mode === 'enforce';
  const organisation = await findOrganisationById(deps.db, found.organisation_id);
  if (!organisation) throw new AppError('report.not_found', 'No such case.');
  const { rules } = await getIntakePolicy(deps, organisation.slug);
  if (enforce && files.length > rules.attachments.maxFiles) {
    throw new AppError('attachment.too_many', `At most ${rules.attachments.maxFiles} files.`, [
      { field: 'attachments', code: 'too_many', message: String(rules.attachments.maxFiles) },
    ]);
  }
  const inspected = [];
  for (const file of files) {
    inspected.push({
      ...(await inspectAttachment(file, rules.attachments, options.mode)),
      proofOfConcept: file.proofOfConcept,
    });
  }
  const now = deps.clock.now();
  const id = randomUUID();
  const key = await openCaseKey(deps, found);
  const stored = await storeAttachments(
    deps,
    {
      organisationId: found.organisation_id,
      caseId: found.id,
      reportId: null,
      messageId: id,
      uploadedBy: 'reporter',
      at: now,
    },
    key,
    inspected,
  );
  try {
    await deps.db.transaction().execute(async (trx) => {
      const c = await lockCase(trx, found.id);
      if (!c) throw new AppError('report.not_found', 'No such case.');
      if (enforce) refuseWhenWithdrawn(c);
      await insertMessage(trx, {
        id,
        organisationId: c.organisation_id,
        caseId: c.id,
        at: now,
        author: 'reporter',
        authorUserId: null,
        body,
      });
      await insertAttachments(trx, stored.rows);
      await recordCaseEvent(
        deps,
        c,
        {
          kind: 'message.reporter',
          visibility: 'reporter',
          actor: 'reporter',
          data: options.channel ? { messageId: id, channel: options.channel } : { messageId: id },
        },
        trx,
      );
      await touchCase(trx, c.id, now);
      await enqueueTeamNotice(deps, trx, { caseId: c.id, event: 'message.reporter' });
      await options.withinTransaction?.(trx, key);
    });
  } catch (error) {
    await discardBlobs(deps, stored.blobKeys);
    throw error;
  }
  return {
    id,
    at: iso(now),
    from: 'you',
    body,
    attachments: stored.rows.map((a) => ({ id: String(a.id), fileName: a.file_name, size: a.size })),
  };
}

export async function changeCredit(
  deps: Pick<Deps, 'db' | 'clock'>,
  c: CaseRow,
  credit: { wanted: boolean; name?: string },
) {
  refuseWhenWithdrawn(c);
  const now = deps.clock.now();
  const name = credit.wanted ? credit.name?.trim() || null : null;
  await deps.db.transaction().execute(async (trx) => {
    await updateCredit(trx, c.id, { wanted: credit.wanted, name }, now);
    await recordCaseEvent(
      deps,
      c,
      { kind: 'credit.changed', visibility: 'reporter', actor: 'reporter', data: { wanted: credit.wanted } },
      trx,
    );
  });
  return { wanted: credit.wanted, name };
}

/** The reporter takes the report back: the case closes as withdrawn, and stays readable to both. */
export async function withdrawReport(
  deps: Pick<Deps, 'db' | 'clock' | 'jobs'>,
  found: CaseRow,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, found.id);
    if (!c) throw new AppError('report.not_found', 'No such case.');
    refuseWhenWithdrawn(c);
    await markWithdrawn(trx, c.id, now);
    await recordCaseEvent(
      deps,
      c,
      { kind: 'case.withdrawn', visibility: 'reporter', actor: 'reporter' },
      trx,
    );
    await enqueueTeamNotice(deps, trx, { caseId: c.id, event: 'case.withdrawn' });
  });
}

/**
 * A lost link: when the reference and the address belong together, a single-use link goes to that
 * address. The caller answers the same either way, so this tells nobody whether they matched.
 */
export async function requestRecovery(
  deps: Deps,
  input: { organisationSlug?: string; reference: string; email: string },
): Promise<void> {
  const reference = input.reference.trim().toUpperCase();
  const slug = reference.replace(/-\d{4}-\d{4,}$/, '').toLowerCase();
  const organisation = await getIntakePolicy(deps, slug)
    .then((p) => p.organisation)
    .catch(() => undefined);
  if (!organisation) return;
  const c = await findCaseByReference(deps.db, organisation.id, reference);
  if (!c?.reporter_has_email) return;
  const reporter = openReporter(await openCaseKey(deps, c), c);
  if (reporter.email?.toLowerCase() !== input.email.trim().toLowerCase()) return;
  if (!deps.limits.mailsPerAccount.consume(`recovery:${c.id}`, Date.now()).allowed) return;
  await deps.db.transaction().execute((trx) => deps.jobs.enqueue(trx, sendRecoveryLinkJob, { caseId: c.id }));
}
