import { createHash, randomUUID } from 'node:crypto';
import type { CaseChannel } from '../cases/case.table.ts';
import { openCaseKey, sealJson } from '../cases/case-key.ts';
import { allocateCaseReference, openCase } from '../cases/open-case.ts';
import { issueAccessToken, reporterCaseUrl } from '../cases/reporter-access.ts';
import { discardBlobs, storeAttachments } from '../cases/store-attachments.ts';
import { enqueueTeamNotice } from '../cases/team-notifications.ts';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { open, seal } from '../platform/crypto.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import { newDataKey } from '../platform/keys.ts';
import { getIntakePolicy } from '../policies/policies.ts';
import type { PolicySettings } from '../policies/policy-settings.ts';
import {
  ATTACHMENT_HARD_LIMITS,
  type IncomingFile,
  type InspectedAttachment,
  inspectAttachment,
} from './attachment-pipeline.ts';
import { detectLanguage } from './detect-language.ts';
import { acknowledgeJob } from './intake.jobs.ts';
import {
  findIdempotentSubmission,
  insertIdempotentSubmission,
  insertReport,
  spendProof,
} from './report.repository.ts';
import type { Deviation } from './report.table.ts';
import type { ReportSubmission } from './report-submission.ts';

export type SubmissionResult = { reference: string; token: string; caseUrl: string };

export type SubmissionContext = {
  channel: CaseChannel;
  /**
   * `enforce` (web form, API: the reporter can correct) answers 422; `record` (mail, import: they
   * cannot) never refuses over policy, and records each deviation on the report instead.
   */
  mode: 'enforce' | 'record';
  files: IncomingFile[];
  /** `Idempotency-Key` (API) or form nonce (web): a retry within 24 hours returns the first answer. */
  idempotencyKey?: string;
  /** Import: when the report first came in, and from where. */
  receivedAt?: Date;
  /** An import is history, not news: the team gets no notice of it (whatever its channel). */
  imported?: boolean;
  source?: string;
  /** Whether to send the acknowledgement (always for live channels; imports choose). */
  acknowledge: boolean;
  /** Record mode: deviations the channel itself found (mail: no subject, undecryptable content). */
  deviations?: Deviation[];
  /**
   * Written in the submission's transaction, before the acknowledgement is queued: what the channel
   * keeps beside the case (mail: its record of the raw message, which the acknowledgement replies to).
   */
  withinTransaction?: (trx: Trx, created: { caseId: string; caseKey: Buffer }) => Promise<void>;
};

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/**
 * Takes in one report, whatever the channel: checks it against the organisation's policy (refusing
 * on the web and API, recording deviations for mail and import), stores attachments encrypted, and
 * in one transaction writes the case, the report, the first timeline event, the reporter's link and
 * the acknowledgement job. What is acknowledged is stored; a retry makes nothing twice.
 */
export async function submitReport(
  deps: Deps,
  slug: string,
  submission: ReportSubmission,
  context: SubmissionContext,
): Promise<SubmissionResult> {
  const enforce = context.mode === 'enforce';
  const { organisation, policy, rules } = await getIntakePolicy(deps, slug, context.receivedAt);
  const requestHash = hashSubmission(submission, context.files);
  const keyHash = context.idempotencyKey
    ? createHash('sha256').update(`${organisation.id}:${context.idempotencyKey}`).digest()
    : undefined;
  if (keyHash) {
    const earlier = await replay(deps, organisation.id, keyHash, requestHash);
    if (earlier) return earlier;
  }

  // Check: everything that can refuse the report happens before anything is written.
  if (submission.website) {
    throw new AppError('request.invalid', 'Some fields need attention.', [
      { field: 'website', code: 'invalid', message: 'Leave this field empty.' },
    ]);
  }
  const deviations = [
    ...(enforce ? [] : (context.deviations ?? [])),
    ...policyDeviations(submission, rules, enforce ? policy?.version : undefined),
  ];
  if (enforce) refuseDeviations(deviations);
  const detected =
    rules.languages.length > 0 ? detectLanguage(proseOf(submission), rules.languages) : undefined;
  if (detected && !rules.languages.includes(detected.language)) {
    const deviation = { code: 'language_not_accepted', field: 'steps', detail: detected.language };
    if (enforce) {
      throw new AppError(
        'report.language_not_accepted',
        `The report seems to be written in ${detected.name}; this organisation accepts reports in ${rules.languages.join(', ')}.`,
        [{ field: 'steps', code: 'language_not_accepted', message: detected.language }],
      );
    }
    deviations.push(deviation);
  }
  const maxFiles = Math.min(rules.attachments.maxFiles, ATTACHMENT_HARD_LIMITS.maxFiles);
  if (
    context.files.length > ATTACHMENT_HARD_LIMITS.maxFiles ||
    (enforce && context.files.length > maxFiles)
  ) {
    throw new AppError('attachment.too_many', `At most ${maxFiles} files.`, [
      { field: 'attachments', code: 'too_many', message: String(maxFiles) },
    ]);
  }
  if (context.files.length > maxFiles) deviations.push({ code: 'too_many_files', field: 'attachments' });
  const proof =
    enforce && needsProofOfWork(context.channel, submission) ? await checkProof(deps, submission) : undefined;
  const inspected: (InspectedAttachment & { proofOfConcept: boolean })[] = [];
  for (const file of context.files) {
    const result = await inspectAttachment(file, rules.attachments, enforce ? 'enforce' : 'record');
    if (result.deviation)
      deviations.push({
        code: `attachment_${result.deviation}`,
        field: 'attachments',
        detail: result.fileName,
      });
    inspected.push({ ...result, proofOfConcept: file.proofOfConcept });
  }

  // Act: files first (encrypted with the new case key), then one transaction for every record.
  const now = deps.clock.now();
  const caseId = randomUUID();
  const reportId = randomUUID();
  const caseKey = newDataKey();
  const stored = await storeAttachments(
    deps,
    { organisationId: organisation.id, caseId, reportId, messageId: null, uploadedBy: 'reporter', at: now },
    caseKey.key,
    inspected,
  );
  let receipt: SubmissionResult;
  try {
    const reference = await allocateCaseReference(deps, organisation, context.receivedAt ?? now);
    receipt = await deps.db.transaction().execute(async (trx) => {
      if (proof) await spendProofOrRefuse(trx, proof);
      const opened = await openCase(deps, trx, {
        caseId,
        reference,
        caseKey,
        organisation,
        channel: context.channel,
        title: submission.title,
        receivedAt: context.receivedAt ?? now,
        now,
        language: submission.language,
        reporter: submission.reporter,
        credit: submission.credit,
      });
      await insertReport(trx, {
        id: reportId,
        organisation_id: organisation.id,
        case_id: caseId,
        channel: context.channel,
        source: context.source ?? null,
        received_at: context.receivedAt ?? now,
        created_at: now,
        title: submission.title,
        assets: JSON.stringify(submission.assets),
        ip_addresses_sealed:
          submission.ipAddresses.length > 0
            ? sealJson(caseKey.key, `report-ips:${reportId}`, submission.ipAddresses)
            : null,
        objects: submission.objects,
        steps: submission.steps,
        impact: submission.impact,
        proof_of_concept: submission.proofOfConcept,
        cwe: submission.cwe ?? null,
        language: submission.language,
        detected_language: detected?.language ?? null,
        policy_version: policy?.version ?? null,
        policy_acceptance: policy ? (enforce ? 'explicit' : 'implicit') : null,
        deviations: JSON.stringify(deviations),
      });
      await opened.addAttachments(stored.rows);
      const token = await issueAccessToken(trx, { organisationId: organisation.id, caseId }, now);
      if (keyHash) {
        await insertIdempotentSubmission(trx, {
          organisation_id: organisation.id,
          key_hash: keyHash,
          request_hash: requestHash,
          case_id: caseId,
          token_sealed: seal(caseKey.key, Buffer.from(token), `idempotency:${caseId}`),
          created_at: now,
          expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        });
      }
      if (context.withinTransaction) await context.withinTransaction(trx, { caseId, caseKey: caseKey.key });
      if (context.acknowledge) await deps.jobs.enqueue(trx, acknowledgeJob, { caseId });
      if (!context.imported) await enqueueTeamNotice(deps, trx, { caseId, event: 'case.opened' });
      return { reference: opened.reference, token, caseUrl: reporterCaseUrl(deps, token) };
    });
  } catch (error) {
    await discardBlobs(deps, stored.blobKeys);
    // Two retries with one key at once: the second finds the first one's answer.
    if (keyHash && isUniqueViolation(error)) {
      const earlier = await replay(deps, organisation.id, keyHash, requestHash);
      if (earlier) return earlier;
    }
    throw error;
  }
  return receipt;
}

/** The first answer to this idempotency key, or a conflict when the key came with another report. */
async function replay(
  deps: Deps,
  organisationId: string,
  keyHash: Buffer,
  requestHash: Buffer,
): Promise<SubmissionResult | undefined> {
  const earlier = await findIdempotentSubmission(deps.db, organisationId, keyHash, deps.clock.now());
  if (!earlier) return undefined;
  if (!earlier.request_hash.equals(requestHash)) {
    throw new AppError(
      'report.idempotency_conflict',
      'This Idempotency-Key was used for a different report; use a new key for a new report.',
    );
  }
  const key = await openCaseKey(deps, earlier);
  const token = open(key, earlier.token_sealed, `idempotency:${earlier.case_id}`).toString('utf8');
  return { reference: earlier.reference, token, caseUrl: reporterCaseUrl(deps, token) };
}

/**
 * Ways the report falls short of the policy, as deviations: refused or recorded by channel. `version`
 * is the version the reporter must have accepted explicitly (web and API only).
 */
function policyDeviations(
  submission: ReportSubmission,
  rules: PolicySettings['intake'],
  version: number | undefined,
): Deviation[] {
  const deviations: Deviation[] = [];
  if (!rules.identities.includes(submission.reporter.identity)) {
    deviations.push({
      code: 'identity_not_allowed',
      field: 'reporter.identity',
      detail: submission.reporter.identity,
    });
  }
  // "Unless you report anonymously, include at least your …": the policy page's promise.
  const anonymous = submission.reporter.identity === 'anonymous' && rules.identities.includes('anonymous');
  for (const field of anonymous ? [] : rules.requiredContact) {
    if (!submission.reporter[field]) deviations.push({ code: 'contact_required', field: `contact.${field}` });
  }
  if (version !== undefined && submission.acceptedPolicyVersion !== version) {
    deviations.push({
      code: 'policy_not_accepted',
      field: 'acceptedPolicyVersion',
      detail: String(version),
    });
  }
  return deviations;
}

function refuseDeviations(deviations: Deviation[]): void {
  const identity = deviations.find((d) => d.code === 'identity_not_allowed');
  if (identity) {
    throw new AppError('policy.identity_not_allowed', 'The policy does not accept reports made this way.', [
      { field: 'reporter.identity', code: 'not_allowed', message: identity.detail ?? '' },
    ]);
  }
  const contact = deviations.filter((d) => d.code === 'contact_required');
  if (contact.length > 0) {
    throw new AppError(
      'policy.contact_required',
      `The policy asks for ${contact.map((d) => d.field).join(' and ')}.`,
      contact.map(
        (d): ErrorDetail => ({ field: d.field, code: 'required', message: 'The policy asks for this.' }),
      ),
    );
  }
  const acceptance = deviations.find((d) => d.code === 'policy_not_accepted');
  if (acceptance) {
    throw new AppError('request.invalid', 'Read and accept the current policy.', [
      {
        field: 'acceptedPolicyVersion',
        code: 'policy_not_accepted',
        message: `Accept version ${acceptance.detail} of the policy.`,
      },
    ]);
  }
}

/** Anonymous API reports and everything from the web form cost a proof-of-work. */
function needsProofOfWork(channel: CaseChannel, submission: ReportSubmission): boolean {
  return channel === 'web' || submission.reporter.identity === 'anonymous';
}

async function checkProof(deps: Deps, submission: ReportSubmission) {
  if (!deps.proofOfWork) return undefined;
  if (!submission.altcha) {
    throw new AppError('report.proof_of_work_required', 'Solve the proof-of-work challenge first.', [
      { field: 'altcha', code: 'required', message: 'GET …/reports/challenge and solve it with ALTCHA.' },
    ]);
  }
  return deps.proofOfWork.verify(submission.altcha);
}

async function spendProofOrRefuse(trx: Trx, proof: { id: Buffer; expiresAt: Date }) {
  if (!(await spendProof(trx, proof.id, proof.expiresAt))) {
    throw new AppError('report.proof_of_work_invalid', 'This proof-of-work was already used.', [
      { field: 'altcha', code: 'used', message: 'Solve a new challenge.' },
    ]);
  }
}

/** The prose a reporter wrote: what language detection looks at (never code or URLs fields). */
function proseOf(submission: ReportSubmission): string[] {
  return [submission.title, submission.steps, submission.impact].filter((t) => t.length > 0);
}

/** Two submissions are the same when their content and files are (the proof-of-work aside). */
function hashSubmission(submission: ReportSubmission, files: IncomingFile[]): Buffer {
  const { altcha: _altcha, ...content } = submission;
  const hash = createHash('sha256').update(JSON.stringify(content));
  for (const file of files) {
    hash.update(`\0${file.fileName}\0${file.proofOfConcept}\0`);
    hash.update(createHash('sha256').update(file.bytes).digest());
  }
  return hash.digest();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
