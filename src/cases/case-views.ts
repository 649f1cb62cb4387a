import { z } from 'zod';

/**
 * What leaves Haven about a case, as allow-lists: the team's view and the reporter's view are
 * different schemas, and the reporter's has no place for notes, staff names or internal events.
 */

export const attachmentView = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    mediaType: z.string(),
    kind: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    quarantined: z.boolean(),
    reencoded: z.boolean(),
    proofOfConcept: z.boolean(),
    hasOriginal: z.boolean(),
    deviation: z.string().nullable(),
    uploadedBy: z.enum(['reporter', 'staff']),
    messageId: z.uuid().nullable(),
    createdAt: z.string(),
    /** Password-protected and kept as sent; staff may unlock a ZIP or PDF with the password. */
    locked: z.boolean(),
    lockKind: z.enum(['zip', 'pdf', '7z', 'office']).nullable(),
    /** For a file taken out of an unlocked document: the container's id. */
    unlockedFrom: z.uuid().nullable(),
    unlockedAt: z.string().nullable(),
  })
  .meta({ id: 'Attachment' });

export const caseSummaryView = z
  .object({
    reference: z.string(),
    title: z.string(),
    state: z.string(),
    channel: z.enum(['web', 'api', 'email', 'import']),
    receivedAt: z.string(),
    updatedAt: z.string(),
    identity: z.enum(['named', 'alias', 'anonymous']),
    language: z.enum(['nl', 'en']),
    attachmentCount: z.number().int(),
    messageCount: z.number().int(),
  })
  .meta({ id: 'CaseSummary' });

export const caseListView = z
  .object({ cases: z.array(caseSummaryView), nextCursor: z.string().nullable() })
  .meta({ id: 'CaseList' });

const messageView = z
  .object({
    id: z.uuid(),
    at: z.string(),
    author: z.enum(['reporter', 'staff']),
    authorName: z.string().nullable(),
    body: z.string(),
  })
  .meta({ id: 'CaseMessage' });

export const noteView = z
  .object({ id: z.uuid(), at: z.string(), authorName: z.string().nullable(), body: z.string() })
  .meta({ id: 'CaseNote' });

const eventView = z
  .object({
    id: z.string(),
    at: z.string(),
    kind: z.string(),
    visibility: z.enum(['reporter', 'internal']),
    actor: z.enum(['reporter', 'staff', 'system']),
    actorName: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CaseEvent' });

const deviationView = z.object({
  code: z.string(),
  field: z.string().optional(),
  detail: z.string().optional(),
});

export const staffCaseView = z
  .object({
    reference: z.string(),
    title: z.string(),
    state: z.string(),
    channel: z.enum(['web', 'api', 'email', 'import']),
    receivedAt: z.string(),
    updatedAt: z.string(),
    withdrawnAt: z.string().nullable(),
    language: z.enum(['nl', 'en']),
    reporter: z.object({
      identity: z.enum(['named', 'alias', 'anonymous']),
      name: z.string().nullable(),
      alias: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      openpgpKey: z.string().nullable(),
    }),
    credit: z.object({ wanted: z.boolean(), name: z.string().nullable() }),
    report: z
      .object({
        source: z.string().nullable(),
        assets: z.array(z.string()),
        ipAddresses: z.array(z.string()),
        objects: z.string(),
        steps: z.string(),
        impact: z.string(),
        proofOfConcept: z.string(),
        cwe: z.string().nullable(),
        detectedLanguage: z.string().nullable(),
        policyVersion: z.number().int().nullable(),
        policyAcceptance: z.enum(['explicit', 'implicit']).nullable(),
        deviations: z.array(deviationView),
      })
      .nullable(),
    attachments: z.array(attachmentView),
    messages: z.array(messageView),
    notes: z.array(noteView),
    timeline: z.array(eventView),
  })
  .meta({ id: 'StaffCase' });
export type StaffCaseView = z.infer<typeof staffCaseView>;

export const reporterMessageView = z
  .object({
    id: z.uuid(),
    at: z.string(),
    /** `you` wrote it, or the organisation's `team`: staff names stay inside. */
    from: z.enum(['you', 'team']),
    body: z.string(),
    attachments: z.array(z.object({ id: z.uuid(), fileName: z.string(), size: z.number().int() })),
  })
  .meta({ id: 'ReporterMessage' });
export type ReporterMessageView = z.infer<typeof reporterMessageView>;

export const reporterCaseView = z
  .object({
    reference: z.string(),
    organisation: z.object({ slug: z.string(), name: z.string() }),
    title: z.string(),
    state: z.string(),
    receivedAt: z.string(),
    withdrawn: z.boolean(),
    language: z.enum(['nl', 'en']),
    identity: z.enum(['named', 'alias', 'anonymous']),
    /** Whether a lost link can be recovered by e-mail. */
    recoverable: z.boolean(),
    credit: z.object({ wanted: z.boolean(), name: z.string().nullable() }),
    policyVersion: z.number().int().nullable(),
    /** The promises of the policy the reporter accepted, as sentences in their language. */
    promises: z.array(z.string()),
    timeline: z.array(z.object({ at: z.string(), kind: z.string() })),
    attachments: z.array(z.object({ id: z.uuid(), fileName: z.string(), size: z.number().int() })),
    messages: z.array(reporterMessageView),
  })
  .meta({ id: 'ReporterCase' });
export type ReporterCaseView = z.infer<typeof reporterCaseView>;
