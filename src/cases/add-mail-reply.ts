import { randomUUID } from 'node:crypto';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { type IncomingFile, inspectAttachment } from '../intake/attachment-pipeline.ts';
import { findOrganisationById } from '../orgs/organisation.repository.ts';
import { getIntakePolicy } from '../policies/policies.ts';
import { insertAttachments, insertMessage, lockCase, touchCase } from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import { recordCaseEvent } from './case-events.ts';
import { openCaseKey } from './case-key.ts';
import { discardBlobs, storeAttachments } from './store-attachments.ts';

/**
 * The reporter answered by mail, from their own address to the case's reply address: a reporter
 * message like one posted on the case page, but never refused (mail cannot be corrected): files the
 * policy does not accept are kept quarantined. `withinTransaction` writes the channel's own record.
 */
export async function addReporterMailReply(
  deps: Deps,
  found: CaseRow,
  body: string,
  files: IncomingFile[],
  withinTransaction: (trx: Trx, caseKey: Buffer) => Promise<void>,
): Promise<{ messageId: string }> {
  const organisation = await findOrganisationById(deps.db, found.organisation_id);
  if (!organisation) throw new Error('the case has no organisation');
  const { rules } = await getIntakePolicy(deps, organisation.slug);
  const inspected = [];
  for (const file of files) {
    inspected.push({
      ...(await inspectAttachment(file, rules.attachments, 'record')),
      proofOfConcept: false,
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
      const c = (await lockCase(trx, found.id)) ?? found;
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
          data: { messageId: id, channel: 'email' },
        },
        trx,
      );
      await touchCase(trx, c.id, now);
      await withinTransaction(trx, key);
    });
  } catch (error) {
    await discardBlobs(deps, stored.blobKeys);
    throw error;
  }
  return { messageId: id };
}
