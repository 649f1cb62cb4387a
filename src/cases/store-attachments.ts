import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { InspectedAttachment } from '../intake/attachment-pipeline.ts';
import { putEncrypted } from '../platform/blobs.ts';
import type { NewAttachmentRow } from './case.table.ts';

export type StoredAttachments = {
  rows: NewAttachmentRow[];
  /** Every blob written: deleted again when the transaction that would record them fails. */
  blobKeys: string[];
};

/**
 * Encrypts inspected files with the case key and writes them to the blob store, before the
 * transaction that records them; the caller discards the blobs when that transaction fails.
 */
export async function storeAttachments(
  deps: Pick<Deps, 'blobs'>,
  target: {
    organisationId: string;
    caseId: string;
    reportId: string | null;
    messageId: string | null;
    uploadedBy: 'reporter' | 'staff';
    at: Date;
    /** The unlocked container the files were taken out of. */
    unlockedFrom?: string;
  },
  caseKey: Buffer,
  files: (InspectedAttachment & { proofOfConcept: boolean })[],
): Promise<StoredAttachments> {
  const stored: StoredAttachments = { rows: [], blobKeys: [] };
  try {
    for (const file of files) {
      const id = randomUUID();
      const blobKey = `cases/${target.caseId}/${id}`;
      stored.blobKeys.push(blobKey);
      const main = await putEncrypted(deps.blobs, blobKey, caseKey, file.stored);
      let original: { sha256: string; size: number } | undefined;
      const originalKey = file.original ? `${blobKey}-original` : null;
      if (file.original && originalKey) {
        stored.blobKeys.push(originalKey);
        original = await putEncrypted(deps.blobs, originalKey, caseKey, file.original);
      }
      stored.rows.push({
        id,
        organisation_id: target.organisationId,
        case_id: target.caseId,
        report_id: target.reportId,
        message_id: target.messageId,
        file_name: file.fileName,
        media_type: file.mediaType,
        kind: file.kind,
        size: main.size,
        sha256: main.sha256,
        blob_key: blobKey,
        original_blob_key: originalKey,
        original_size: original?.size ?? null,
        original_sha256: original?.sha256 ?? null,
        reencoded: file.reencoded,
        quarantined: file.quarantined,
        proof_of_concept: file.proofOfConcept,
        deviation: file.deviation ?? null,
        uploaded_by: target.uploadedBy,
        created_at: target.at,
        locked: file.locked,
        lock_kind: file.lockKind ?? null,
        unlocked_from: target.unlockedFrom ?? null,
        unlocked_at: null,
      });
    }
  } catch (error) {
    await discardBlobs(deps, stored.blobKeys);
    throw error;
  }
  return stored;
}

/** Removes blobs whose records never committed; a failure here leaves only unreadable ciphertext. */
export async function discardBlobs(deps: Pick<Deps, 'blobs'>, keys: string[]) {
  await Promise.all(keys.map((key) => deps.blobs.delete(key).catch(() => undefined)));
}
