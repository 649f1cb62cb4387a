import type { Deps } from '../deps.ts';
import { inspectAttachment } from '../intake/attachment-pipeline.ts';
import { unlockDocument } from '../intake/unlock-document.ts';
import { type OrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { getEncrypted } from '../platform/blobs.ts';
import { AppError } from '../platform/errors.ts';
import { getIntakePolicy } from '../policies/policies.ts';
import {
  findAttachment,
  findCaseByReference,
  insertAttachments,
  listAttachments,
  lockCase,
  markAttachmentUnlocked,
  touchCase,
} from './case.repository.ts';
import { recordCaseEvent } from './case-events.ts';
import { openCaseKey } from './case-key.ts';
import { attachmentView } from './staff-cases.ts';
import { discardBlobs, storeAttachments } from './store-attachments.ts';

/**
 * Staff unlock a password-protected ZIP or PDF with the password the reporter sent out of band.
 * The contents become attachments of their own (through the pipeline, stored encrypted, linked to
 * the container, which stays as sent). The password is used here and forgotten: never stored,
 * logged, put in an event or an error.
 */
export async function unlockAttachment(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring' | 'blobs'>,
  access: OrganisationAccess,
  reference: string,
  attachmentId: string,
  password: string,
) {
  requireScope(access, 'cases:write');
  const c = await findCaseByReference(deps.db, access.organisation.id, reference);
  if (!c) throw new AppError('report.not_found', 'No such case.');
  const container = await findAttachment(deps.db, c.id, attachmentId);
  if (!container) throw new AppError('attachment.not_found', 'No such attachment.');
  if (!container.locked || !container.lock_kind)
    throw new AppError('attachment.not_locked', 'This file is not password-protected.');
  if (container.unlocked_at)
    throw new AppError('attachment.already_unlocked', 'This file is already unlocked.');
  // Depth 1: a locked archive found inside an unlocked one stays a file to open locally.
  if (container.unlocked_from) {
    throw new AppError(
      'attachment.cannot_unlock',
      'A locked file inside an unlocked one is kept locked: download it and open it locally.',
    );
  }

  const key = await openCaseKey(deps, c);
  const bytes = await getEncrypted(deps.blobs, container.blob_key, key);
  if (!bytes) throw new AppError('attachment.not_found', 'The file of this attachment is missing.');
  const unlocked = await unlockDocument(container.lock_kind, container.file_name, bytes, password);
  const { rules } = await getIntakePolicy(deps, access.organisation.slug);
  const inspected = [];
  for (const file of unlocked.files) {
    const result = await inspectAttachment(
      { fileName: file.fileName, bytes: file.bytes, proofOfConcept: false },
      rules.attachments,
      'record',
    );
    inspected.push({ ...result, proofOfConcept: false });
  }

  const now = deps.clock.now();
  const stored = await storeAttachments(
    deps,
    {
      organisationId: c.organisation_id,
      caseId: c.id,
      reportId: container.report_id,
      messageId: container.message_id,
      uploadedBy: container.uploaded_by,
      at: now,
      unlockedFrom: container.id,
    },
    key,
    inspected,
  );
  try {
    await deps.db.transaction().execute(async (trx) => {
      await lockCase(trx, c.id);
      if (!(await markAttachmentUnlocked(trx, container.id, now)))
        throw new AppError('attachment.already_unlocked', 'This file is already unlocked.');
      await insertAttachments(trx, stored.rows);
      await recordCaseEvent(
        deps,
        c,
        {
          kind: 'attachment.unlocked',
          visibility: 'internal',
          actor: 'staff',
          actorUserId: access.principal.userId,
          data: {
            attachmentId: container.id,
            fileName: container.file_name,
            lockKind: container.lock_kind,
            files: stored.rows.length,
            skippedSymlinks: unlocked.skipped.symlinks,
          },
        },
        trx,
      );
      await touchCase(trx, c.id, now);
    });
  } catch (error) {
    await discardBlobs(deps, stored.blobKeys);
    throw error;
  }
  const ids = new Set(stored.rows.map((row) => row.id));
  const rows = await listAttachments(deps.db, c.id);
  return {
    container: attachmentView(rows.find((row) => row.id === container.id) ?? container),
    files: rows.filter((row) => ids.has(row.id)).map(attachmentView),
    skippedSymlinks: unlocked.skipped.symlinks,
  };
}
