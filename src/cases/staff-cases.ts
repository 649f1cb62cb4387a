import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { iso, isoOrNull } from '../http.ts';
import type { Deviation } from '../intake/report.table.ts';
import { type OrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { getEncrypted } from '../platform/blobs.ts';
import { AppError } from '../platform/errors.ts';
import {
  type CaseListFilter,
  findAttachment,
  findCaseByReference,
  findReportOfCase,
  insertMessage,
  insertNote,
  listAttachments,
  listCases,
  listEvents,
  listMessages,
  listNotes,
  lockCase,
  touchCase,
} from './case.repository.ts';
import type { AttachmentRow, CaseRow } from './case.table.ts';
import { recordCaseEvent } from './case-events.ts';
import { openCaseKey, openJson, openReporter } from './case-key.ts';
import type { StaffCaseView } from './case-views.ts';
import { notifyReporterJob } from './cases.jobs.ts';

/**
 * The team's side of a case: list, read, answer the reporter, write internal notes, open files.
 * Every call goes through the organisation gate and its scopes first.
 */

async function requireCase(deps: Pick<Deps, 'db'>, access: OrganisationAccess, reference: string) {
  const found = await findCaseByReference(deps.db, access.organisation.id, reference);
  if (!found) throw new AppError('report.not_found', 'No such case.');
  return found;
}

export function attachmentView(a: AttachmentRow) {
  return {
    id: a.id,
    fileName: a.file_name,
    mediaType: a.media_type,
    kind: a.kind,
    size: a.size,
    sha256: a.sha256,
    quarantined: a.quarantined,
    reencoded: a.reencoded,
    proofOfConcept: a.proof_of_concept,
    hasOriginal: a.original_blob_key !== null,
    deviation: a.deviation,
    uploadedBy: a.uploaded_by,
    messageId: a.message_id,
    createdAt: iso(a.created_at),
    locked: a.locked,
    lockKind: a.lock_kind,
    unlockedFrom: a.unlocked_from,
    unlockedAt: isoOrNull(a.unlocked_at),
  };
}

/** Newest first; `cursor` continues after the last case of the previous page. */
export async function listStaffCases(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
  query: { state?: string; q?: string; limit?: number; cursor?: string },
) {
  requireScope(access, 'cases:read');
  const limit = query.limit ?? 50;
  const filter: CaseListFilter = { state: query.state, q: query.q, limit: limit + 1 };
  if (query.cursor) {
    const [at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    const date = new Date(at ?? '');
    if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new AppError('request.invalid', 'The cursor is not valid.', [
        { field: 'query.cursor', code: 'invalid', message: 'use nextCursor as given' },
      ]);
    }
    filter.before = { at: date, id };
  }
  const rows = await listCases(deps.db, access.organisation.id, filter);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    cases: page.map((c) => ({
      reference: c.reference,
      title: c.title,
      state: c.state,
      channel: c.channel,
      receivedAt: iso(c.received_at),
      updatedAt: iso(c.updated_at),
      identity: c.identity_mode,
      language: c.reporter_language,
      attachmentCount: Number(c.attachment_count ?? 0),
      messageCount: Number(c.message_count ?? 0),
    })),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(`${last.received_at.toISOString()}|${last.id}`).toString('base64url')
        : null,
  };
}

export async function getStaffCase(
  deps: Pick<Deps, 'db' | 'keyring'>,
  access: OrganisationAccess,
  reference: string,
): Promise<StaffCaseView> {
  requireScope(access, 'cases:read');
  const c = await requireCase(deps, access, reference);
  const [key, report, attachments, messages, notes, events] = await Promise.all([
    openCaseKey(deps, c),
    findReportOfCase(deps.db, c.id),
    listAttachments(deps.db, c.id),
    listMessages(deps.db, c.id),
    listNotes(deps.db, c.id),
    listEvents(deps.db, c.id, false),
  ]);
  const reporter = openReporter(key, c);
  return {
    reference: c.reference,
    title: c.title,
    state: c.state,
    channel: c.channel,
    receivedAt: iso(c.received_at),
    updatedAt: iso(c.updated_at),
    withdrawnAt: isoOrNull(c.withdrawn_at),
    language: c.reporter_language,
    reporter: {
      identity: c.identity_mode,
      name: reporter.name ?? null,
      alias: reporter.alias ?? null,
      email: reporter.email ?? null,
      phone: reporter.phone ?? null,
      openpgpKey: reporter.openpgpKey ?? null,
    },
    credit: { wanted: c.credit_wanted, name: c.credit_name },
    report: report
      ? {
          source: report.source,
          assets: report.assets,
          ipAddresses: report.ip_addresses_sealed
            ? openJson<string[]>(key, `report-ips:${report.id}`, report.ip_addresses_sealed)
            : [],
          objects: report.objects,
          steps: report.steps,
          impact: report.impact,
          proofOfConcept: report.proof_of_concept,
          cwe: report.cwe,
          detectedLanguage: report.detected_language,
          policyVersion: report.policy_version,
          policyAcceptance: report.policy_acceptance,
          deviations: report.deviations as Deviation[],
        }
      : null,
    attachments: attachments.map(attachmentView),
    messages: messages.map((m) => ({
      id: m.id,
      at: iso(m.at),
      author: m.author,
      authorName: m.author_name ?? null,
      body: m.body,
    })),
    notes: notes.map((n) => ({
      id: n.id,
      at: iso(n.at),
      authorName: n.author_name ?? n.author_email ?? null,
      body: n.body,
    })),
    timeline: events.map((e) => ({
      id: String(e.id),
      at: iso(e.at),
      kind: e.kind,
      visibility: e.visibility,
      actor: e.actor,
      actorName: e.actor_name ?? null,
      data: e.data,
    })),
  };
}

/** A message the reporter sees on their case page and receives by e-mail when they gave an address. */
export async function replyToReporter(
  deps: Pick<Deps, 'db' | 'clock' | 'jobs'>,
  access: OrganisationAccess,
  reference: string,
  body: string,
) {
  requireScope(access, 'cases:write');
  const found = await requireCase(deps, access, reference);
  const now = deps.clock.now();
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, found.id);
    if (!c) throw new AppError('report.not_found', 'No such case.');
    await insertMessage(trx, {
      id,
      organisationId: c.organisation_id,
      caseId: c.id,
      at: now,
      author: 'staff',
      authorUserId: access.principal.userId,
      body,
    });
    await recordCaseEvent(
      deps,
      c,
      {
        kind: 'message.staff',
        visibility: 'reporter',
        actor: 'staff',
        actorUserId: access.principal.userId,
        data: { messageId: id },
      },
      trx,
    );
    await touchCase(trx, c.id, now);
    await deps.jobs.enqueue(trx, notifyReporterJob, { messageId: id });
  });
  return { id, at: iso(now), author: 'staff' as const, authorName: null, body };
}

/** An internal note: never shown to the reporter, never mailed. */
export async function addNote(
  deps: Pick<Deps, 'db' | 'clock'>,
  access: OrganisationAccess,
  reference: string,
  body: string,
) {
  requireScope(access, 'cases:write');
  const c = await requireCase(deps, access, reference);
  const now = deps.clock.now();
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertNote(trx, {
      id,
      organisationId: c.organisation_id,
      caseId: c.id,
      at: now,
      authorUserId: access.principal.userId,
      body,
    });
    await recordCaseEvent(
      deps,
      c,
      {
        kind: 'note.added',
        visibility: 'internal',
        actor: 'staff',
        actorUserId: access.principal.userId,
        data: { noteId: id },
      },
      trx,
    );
    await touchCase(trx, c.id, now);
  });
  return { id, at: iso(now), authorName: null, body };
}

/** A file of the case, decrypted, for download by staff; `original` is the evidence copy of an image. */
export async function openStaffAttachment(
  deps: Pick<Deps, 'db' | 'keyring' | 'blobs'>,
  access: OrganisationAccess,
  reference: string,
  attachmentId: string,
  variant: 'stored' | 'original',
) {
  requireScope(access, 'cases:read');
  const c = await requireCase(deps, access, reference);
  return openAttachment(deps, c, attachmentId, variant);
}

export async function openAttachment(
  deps: Pick<Deps, 'db' | 'keyring' | 'blobs'>,
  c: CaseRow,
  attachmentId: string,
  variant: 'stored' | 'original',
) {
  const a = await findAttachment(deps.db, c.id, attachmentId);
  const blobKey = a && (variant === 'original' ? a.original_blob_key : a.blob_key);
  if (!a || !blobKey) throw new AppError('attachment.not_found', 'No such attachment.');
  const key = await openCaseKey(deps, c);
  const bytes = await getEncrypted(deps.blobs, blobKey, key);
  if (!bytes) throw new AppError('attachment.not_found', 'The file of this attachment is missing.');
  return {
    fileName: a.file_name,
    // The evidence copy's type is unknown past "bytes": it is never opened here.
    mediaType: variant === 'original' ? 'application/octet-stream' : a.media_type,
    quarantined: variant === 'original' || a.quarantined,
    bytes,
  };
}
