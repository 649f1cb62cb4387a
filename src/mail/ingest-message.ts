import { createHash, randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { z } from 'zod';
import { type CaseEventInput, recordCaseEvent } from '../cases/case-events.ts';
import { openCaseKey } from '../cases/case-key.ts';
import { type CaseSummary, loadCaseSummary } from '../cases/case-summary.ts';
import { recordReporterMessage } from '../cases/reporter-case.ts';
import { discardBlobs } from '../cases/store-attachments.ts';
import { enqueueTeamNotice } from '../cases/team-notifications.ts';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { ATTACHMENT_HARD_LIMITS, type IncomingFile } from '../intake/attachment-pipeline.ts';
import { detectLanguage } from '../intake/detect-language.ts';
import type { Deviation } from '../intake/report.table.ts';
import type { ReportSubmission } from '../intake/report-submission.ts';
import { submitReport } from '../intake/submit-report.ts';
import { decryptForOrganisation } from '../openpgp/decrypt-for-organisation.ts';
import { putEncrypted } from '../platform/blobs.ts';
import { hmac } from '../platform/crypto.ts';
import { getIntakePolicy, type IntakePolicy } from '../policies/policies.ts';
import { authenticateMessage, type DNSResolver, type MailAuthentication } from './authenticate-message.ts';
import { findInboundMessage, insertInboundMessage } from './inbound-message.repository.ts';
import type { AcknowledgementMode } from './inbound-message.table.ts';
import { adoptableKey, checkSignature, type OfferedKey, type SignatureCheck } from './mail-signature.ts';
import { looksLikeMail, type ParsedMessage, parseMessage } from './parse-message.ts';
import { resolveIntakeAddress } from './resolve-intake-address.ts';
import { type CaseAddress, caseOfMessageId, readCaseAddress } from './thread-address.ts';

export type MailEnvelope = { recipients: string[]; mailFrom?: string; clientIp?: string; helo?: string };
export type MailSource =
  | { kind: 'smtp' }
  | { kind: 'imap'; mailbox: string; uidValidity: string; uid: string };
export type IngestOptions = { resolver?: DNSResolver };

/** One organisation's answer to a mail: the case it opened, or the case an earlier delivery opened. */
export type IngestOutcome = { organisation: string; reference: string | undefined; duplicate: boolean };

/** A mail Haven will not take; `responseCode` is what SMTP answers (550 no such recipient, 554 not mail). */
export class MailRejection extends Error {
  readonly responseCode: number;
  constructor(responseCode: number, message: string) {
    super(message);
    this.name = 'MailRejection';
    this.responseCode = responseCode;
  }
}

const TITLE_MAX = 200;
/** How far a signer's clock may be behind Haven's. */
const SIGNATURE_CLOCK_SKEW_MS = 24 * 3600_000;
const STEPS_MAX = 100_000;
const email = z.email().max(254);
/** Senders no person reads: an acknowledgement to them is noise or a mail loop. */
const MACHINE_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|.*noreply.*)([+-].*)?$/i;

/**
 * Takes in one mail, from the SMTP listener or (later) an IMAP poller: for every organisation it
 * is addressed to, a case through the same intake use case as the web form (channel `email`, mode
 * `record`: never refused over policy, each deviation recorded), the raw message kept encrypted with
 * the case key as evidence. A second delivery of the same bytes opens nothing. Returns when
 * everything is committed: only then may the sender be told the mail was accepted.
 */
export async function ingestMessage(
  deps: Deps,
  raw: Buffer,
  envelope: MailEnvelope,
  source: MailSource,
  options: IngestOptions = {},
): Promise<IngestOutcome[]> {
  if (raw.length === 0 || !looksLikeMail(raw)) throw new MailRejection(554, 'This is not an e-mail message.');
  const slugs = new Set<string>();
  for (const recipient of envelope.recipients) {
    for (const slug of await resolveIntakeAddress(deps, recipient)) slugs.add(slug);
  }
  if (slugs.size === 0) throw new MailRejection(550, 'No such intake address here.');

  const sha256 = createHash('sha256').update(raw).digest();
  const imap = source.kind === 'imap' ? source : undefined;
  const mta = new URL(deps.config.publicUrl).hostname;
  const auth = await authenticateMessage(raw, envelope, {
    resolver: options.resolver ?? (dns.resolve as unknown as DNSResolver),
    mta,
  });
  const outcomes: IngestOutcome[] = [];
  for (const slug of slugs) {
    const intake = await getIntakePolicy(deps, slug);
    const { organisation } = intake;
    const earlier = await findInboundMessage(deps.db, organisation.id, sha256, imap);
    if (earlier) {
      outcomes.push({ organisation: slug, reference: undefined, duplicate: true });
      continue;
    }
    const deviations: Deviation[] = [];
    let parsed: ParsedMessage | undefined;
    try {
      parsed = await parseMessage(raw, (armored) => decryptForOrganisation(deps, organisation.id, armored));
    } catch (error) {
      deviations.push({ code: 'message_unreadable', detail: (error as Error).message.slice(0, 200) });
    }
    if (parsed?.decryptionFailure) {
      deviations.push({ code: 'decryption_failed', detail: parsed.decryptionFailure.slice(0, 200) });
    }
    const files = mailFiles(parsed, deviations);
    const acknowledgement = acknowledgementFor(deps, intake, parsed, envelope, auth);
    /** The record of this mail: on a case (its raw bytes kept under `blobKey`), or set aside without one. */
    const inboundRow = (
      caseId: string | null,
      blobKey: string | null,
      outcome: string,
      mode: AcknowledgementMode,
    ) => ({
      organisation_id: organisation.id,
      case_id: caseId,
      sha256,
      message_id: parsed?.messageId ?? null,
      from_hash:
        caseId && parsed?.from.address
          ? hmac(deps.keyring.purposeKey('mail-sender'), parsed.from.address.toLowerCase())
          : null,
      received_at: deps.clock.now(),
      source_kind: source.kind,
      source_mailbox: imap?.mailbox ?? null,
      source_uidvalidity: imap?.uidValidity ?? null,
      source_uid: imap?.uid ?? null,
      auth: JSON.stringify(auth),
      blob_key: blobKey,
      size: raw.length,
      outcome,
      acknowledgement: mode,
    });
    // Raw messages written for a transaction that then failed are removed again (below).
    const written: string[] = [];
    const record: RecordMessage = (caseId, outcome, mode) => async (trx, caseKey) => {
      // One key per attempt: a concurrent delivery of the same mail that loses the race removes only its own copy.
      const blobKey = `mail/${organisation.id}/${caseId}/${sha256.toString('hex')}-${randomBytes(6).toString('hex')}`;
      written.push(blobKey);
      await putEncrypted(deps.blobs, blobKey, caseKey, raw);
      await insertInboundMessage(trx, inboundRow(caseId, blobKey, outcome, mode));
    };

    const thread = parsed
      ? await findThread(deps, organisation.id, slug, envelope.recipients, parsed)
      : undefined;
    const sender = parsed?.from.address;
    const reporterKey = thread?.summary.reporter.openpgpKey;
    const signature = await signatureOf(deps, parsed, [
      ...(reporterKey ? [{ armored: reporterKey, source: 'reporter' as const }] : []),
      ...(parsed?.offeredKeys ?? []),
    ]);
    const received = (extra: Record<string, unknown>) => ({
      kind: 'mail.received',
      visibility: 'internal' as const,
      actor: 'system' as const,
      data: {
        spf: auth.spf ?? null,
        dkim: auth.dkim,
        dmarc: auth.dmarc ?? null,
        fromVerified: auth.fromVerified,
        encryption: parsed?.encryption ?? null,
        decryptedWith: parsed?.decryptedWith ?? null,
        signature,
        ...extra,
      },
    });
    if (parsed && thread) {
      await answerOnCase(deps, thread, parsed, files, acknowledgement, signature, record, received).catch(
        discardingWritten(deps, written),
      );
      outcomes.push({ organisation: slug, reference: thread.summary.caseRow.reference, duplicate: false });
      continue;
    }
    // Bounces and automatic answers open no case: one whose case is gone (or that names none, such
    // as an out-of-office reply to mail the team sent from a polled mailbox) is noted and goes no further.
    const toBounceAddress = envelope.recipients.some((r) => readCaseAddress(deps, r)?.purpose === 'bounce');
    const setAside =
      toBounceAddress || parsed?.deliveryStatus
        ? 'bounce_unmatched'
        : parsed?.autoReply
          ? 'automatic_unmatched'
          : undefined;
    if (setAside) {
      await insertInboundMessage(deps.db, inboundRow(null, null, setAside, 'none'));
      deps.log.info(
        { organisation: slug, outcome: setAside },
        'mail: automatic mail that names no case was set aside',
      );
      outcomes.push({ organisation: slug, reference: undefined, duplicate: false });
      continue;
    }

    // A key the sender offers that names them becomes the reporter's key: Haven's answers go encrypted.
    const offered = await adoptableKey(parsed?.offeredKeys ?? [], sender, deps.clock.now());
    const submission = buildSubmission(deps, intake, parsed, deviations, offered);
    const receipt = await submitReport(deps, slug, submission, {
      channel: 'email',
      mode: 'record',
      files,
      idempotencyKey: `mail:${sha256.toString('hex')}${imap ? `:${imap.mailbox}:${imap.uidValidity}:${imap.uid}` : ''}`,
      acknowledge: acknowledgement.mode !== 'none',
      deviations,
      withinTransaction: async (trx, { caseId, caseKey }) => {
        await record(caseId, 'case_opened', acknowledgement.mode)(trx, caseKey);
        await recordCaseEvent(
          deps,
          { id: caseId, organisation_id: organisation.id },
          received({
            acknowledgement: acknowledgement.mode,
            ...(acknowledgement.reason ? { acknowledgementWithheld: acknowledgement.reason } : {}),
            keyAdopted: Boolean(offered),
          }),
          trx,
        );
      },
    }).catch(discardingWritten(deps, written));
    outcomes.push({ organisation: slug, reference: receipt.reference, duplicate: false });
  }
  return outcomes;
}

/** Rethrows after removing the raw messages a failed transaction had written. */
function discardingWritten(deps: Pick<Deps, 'blobs'>, written: string[]) {
  return async (error: unknown): Promise<never> => {
    await discardBlobs(deps, written);
    throw error;
  };
}

type RecordMessage = (
  caseId: string,
  outcome: string,
  mode: AcknowledgementMode,
) => (trx: Trx, caseKey: Buffer) => Promise<void>;

/**
 * A mail that answers a case: from the reporter to the case's own reply address (or signed with
 * the reporter's key), a reporter message; bounces of Haven's mail to the case's bounce address,
 * automatic mail (out-of-office) and replies Haven cannot vouch for are shown to the team on the
 * case and change nothing there. None of them opens a case.
 */
async function answerOnCase(
  deps: Deps,
  thread: CaseThread,
  parsed: ParsedMessage,
  files: IncomingFile[],
  acknowledgement: { mode: AcknowledgementMode; reason?: string },
  signature: SignatureCheck,
  record: RecordMessage,
  received: (extra: Record<string, unknown>) => CaseEventInput,
): Promise<void> {
  const { summary, tagVerified } = thread;
  const caseRow = summary.caseRow;
  const sender = parsed.from.address?.toLowerCase();
  const fromReporter = Boolean(sender) && sender === summary.reporter.email?.toLowerCase();
  // Only a signature over the whole text, made since the case began, vouches for a reply.
  const signedByReporter =
    signature.status === 'valid' &&
    signature.keySource === 'reporter' &&
    signature.partial !== true &&
    signature.signedAt !== undefined &&
    Date.parse(signature.signedAt) >= caseRow.received_at.getTime() - SIGNATURE_CLOCK_SKEW_MS;
  // A delivery status notification; other mail to the bounce address (an out-of-office reply to
  // the envelope sender) is automatic mail, and nothing sent there is ever the reporter's message.
  const bounce = parsed.deliveryStatus !== undefined;
  if (
    !bounce &&
    thread.purpose === 'case' &&
    acknowledgement.mode !== 'none' &&
    fromReporter &&
    (tagVerified || signedByReporter)
  ) {
    await recordReporterMessage(deps, caseRow, steps(deps, parsed, caseRow.reporter_language), files, {
      mode: 'record',
      channel: 'email',
      withinTransaction: async (trx, key) => {
        await record(caseRow.id, 'reporter_message', 'none')(trx, key);
        await recordCaseEvent(deps, caseRow, received({ reply: true, tagVerified }), trx);
      },
    });
    return;
  }
  const event: CaseEventInput = bounce
    ? {
        kind: 'mail.bounced',
        visibility: 'internal',
        actor: 'system',
        // Whether the bounce came to the case's own bounce address; the recipient is never stored here.
        data: { ...parsed.deliveryStatus, verified: thread.purpose === 'bounce' && tagVerified },
      }
    : acknowledgement.mode === 'none'
      ? {
          kind: 'mail.automatic',
          visibility: 'internal',
          actor: 'system',
          data: { reason: acknowledgement.reason ?? null, subject: parsed.subject },
        }
      : {
          kind: 'mail.reply_unverified',
          visibility: 'internal',
          actor: 'system',
          data: {
            subject: parsed.subject,
            text: parsed.text.slice(0, 20_000),
            tagVerified,
            senderIsReporter: fromReporter,
            filesInMessage: parsed.attachments.length,
            signature,
          },
        };
  const outcome = bounce
    ? 'bounce'
    : acknowledgement.mode === 'none'
      ? 'automatic_reply'
      : 'unverified_reply';
  // The team hears of a reply it must look at and of a bounce to the case's own address; not of out-of-office mail.
  const notice =
    outcome === 'unverified_reply' &&
    deps.limits.unverifiedNoticesPerCase.consume(caseRow.id, deps.clock.now().getTime()).allowed
      ? ('message.unverified' as const)
      : outcome === 'bounce' && event.data?.verified === true
        ? ('mail.bounced' as const)
        : undefined;
  const key = await openCaseKey(deps, caseRow);
  await deps.db.transaction().execute(async (trx) => {
    await record(caseRow.id, outcome, 'none')(trx, key);
    await recordCaseEvent(deps, caseRow, event, trx);
    if (notice) await enqueueTeamNotice(deps, trx, { caseId: caseRow.id, event: notice });
  });
}

/** The signature check of a mail, against the keys Haven may try; never throws. */
async function signatureOf(
  deps: Pick<Deps, 'clock'>,
  parsed: ParsedMessage | undefined,
  keys: OfferedKey[],
): Promise<SignatureCheck> {
  if (parsed?.signatureFailure) return { status: 'unreadable' };
  return checkSignature(parsed?.signed, keys, parsed?.from.address, deps.clock.now());
}

/** The report as the web form would have sent it, from what a mail has; every repair is a deviation. */
function buildSubmission(
  deps: Deps,
  { organisation, policy }: IntakePolicy,
  parsed: ParsedMessage | undefined,
  deviations: Deviation[],
  openpgpKey: string | undefined,
): ReportSubmission {
  const subject = parsed?.subject ?? '';
  const body = parsed?.text ?? '';
  const detected = detectLanguage([subject, body].filter((t) => t.length > 0))?.language;
  const language = detected === 'nl' || detected === 'en' ? detected : organisation.default_language;
  const t = (key: string) => deps.translate(language, key);

  let title = subject;
  if (title.length < 3) {
    deviations.push({ code: 'subject_missing', field: 'title' });
    title = subject ? `${t('mail.intake.noSubject')}: ${subject}` : t('mail.intake.noSubject');
  } else if (title.length > TITLE_MAX) {
    deviations.push({ code: 'subject_shortened', field: 'title' });
    title = `${[...title].slice(0, TITLE_MAX - 1).join('')}…`;
  }
  let steps = body;
  if (steps.length < 10) {
    deviations.push({ code: 'text_missing', field: 'steps' });
    steps = [steps, t(parsed ? 'mail.intake.noText' : 'mail.intake.unreadable')].filter(Boolean).join('\n\n');
  } else if (steps.length > STEPS_MAX) {
    // The whole text stays in the kept raw message.
    deviations.push({ code: 'text_shortened', field: 'steps' });
    steps = steps.slice(0, STEPS_MAX).toWellFormed();
  }
  const address = parsed?.from.address;
  const validAddress = address && email.safeParse(address).success ? address : undefined;
  if (!validAddress) deviations.push({ code: 'sender_address_missing', field: 'contact.email' });
  const name = parsed?.from.name ? [...parsed.from.name].slice(0, 200).join('') : undefined;
  return {
    title,
    assets: [],
    ipAddresses: [],
    objects: '',
    steps,
    impact: '',
    proofOfConcept: '',
    cwe: null,
    reporter: {
      identity: 'named',
      ...(name ? { name } : {}),
      ...(validAddress ? { email: validAddress } : {}),
      ...(openpgpKey && validAddress ? { openpgpKey } : {}),
    },
    credit: { wanted: false },
    language,
    acceptedPolicyVersion: policy?.version ?? null,
  };
}

/** The mail's files for the attachment pipeline; what even record mode cannot store stays in the raw message. */
function mailFiles(parsed: ParsedMessage | undefined, deviations: Deviation[]): IncomingFile[] {
  const files: IncomingFile[] = [];
  for (const attachment of parsed?.attachments ?? []) {
    if (
      files.length >= ATTACHMENT_HARD_LIMITS.maxFiles ||
      attachment.content.length > ATTACHMENT_HARD_LIMITS.maxBytes
    ) {
      deviations.push({
        code: 'attachment_kept_in_message',
        field: 'attachments',
        detail: attachment.fileName,
      });
      continue;
    }
    files.push({ fileName: attachment.fileName, bytes: attachment.content, proofOfConcept: false });
  }
  return files;
}

/**
 * Whether and how to acknowledge (RFC 3834): never to automatic mail, lists, bulk, machines, bounces
 * or Haven itself; without any report text unless DMARC vouches for the From address, so a forged
 * From cannot make Haven mail attacker text to someone else.
 */
function acknowledgementFor(
  deps: Deps,
  { rules }: IntakePolicy,
  parsed: ParsedMessage | undefined,
  envelope: MailEnvelope,
  auth: MailAuthentication,
): { mode: AcknowledgementMode; reason?: string } {
  const none = (reason: string) => ({ mode: 'none' as const, reason });
  if (!parsed) return none('unreadable');
  const from = parsed.from.address?.toLowerCase();
  if (!from) return none('no_sender');
  if (parsed.autoSubmitted && parsed.autoSubmitted !== 'no') return none('auto_submitted');
  if (parsed.fromList || parsed.listId) return none('mailing_list');
  if (parsed.precedence && /^(bulk|junk|list)$/.test(parsed.precedence)) return none('bulk');
  if (
    envelope.mailFrom === '' ||
    envelope.mailFrom === '<>' ||
    parsed.returnPath?.replace(/\s/g, '') === '<>'
  )
    return none('bounce');
  if (MACHINE_SENDER.test(from.split('@')[0] ?? '')) return none('machine_sender');
  const publicHost = new URL(deps.config.publicUrl).hostname.toLowerCase();
  const own = [
    deps.config.mailFrom.toLowerCase(),
    ...rules.emails,
    ...envelope.recipients.map((r) => r.toLowerCase()),
  ];
  if (own.includes(from) || from.endsWith(`@${publicHost}`)) return none('own_address');
  return { mode: auth.fromVerified ? 'quote' : 'no_quote' };
}

type CaseThread = { summary: CaseSummary; tagVerified: boolean; purpose: CaseAddress['purpose'] };

/**
 * The case a mail answers, when it answers one of this organisation's: by the per-case reply or
 * bounce address it was sent to (whose tag may verify), else by a Haven Message-ID it refers to
 * (never verified: anyone can copy a Message-ID).
 */
async function findThread(
  deps: Deps,
  organisationId: string,
  slug: string,
  recipients: string[],
  parsed: ParsedMessage,
): Promise<CaseThread | undefined> {
  const candidates: { caseId: string; verified: boolean; purpose: CaseAddress['purpose'] }[] = [];
  for (const recipient of recipients) {
    const address = readCaseAddress(deps, recipient);
    if (address && address.slug === slug) candidates.push(address);
  }
  for (const id of [parsed.inReplyTo ?? [], parsed.references].flat()) {
    const caseId = caseOfMessageId(deps, id);
    if (caseId) candidates.push({ caseId, verified: false, purpose: 'case' });
  }
  candidates.sort((a, b) => Number(b.verified) - Number(a.verified));
  for (const candidate of candidates) {
    const summary = await loadCaseSummary(deps, candidate.caseId);
    if (summary && summary.caseRow.organisation_id === organisationId)
      return { summary, tagVerified: candidate.verified, purpose: candidate.purpose };
  }
  return undefined;
}

/** A reply's text as a reporter message: never empty, never beyond what a message holds. */
function steps(deps: Deps, parsed: ParsedMessage, language: 'nl' | 'en'): string {
  const text = parsed.text.length > STEPS_MAX ? parsed.text.slice(0, STEPS_MAX).toWellFormed() : parsed.text;
  return text || deps.translate(language, 'mail.intake.noText');
}
