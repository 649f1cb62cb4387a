import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import type { OrganisationRow } from '../orgs/organisation.table.ts';
import { type DataKey, storeDataKey } from '../platform/keys.ts';
import { insertAttachments, insertCase, insertCaseEvent, nextCaseNumber } from './case.repository.ts';
import type { CaseChannel, IdentityMode, NewAttachmentRow } from './case.table.ts';
import { CASE_KEY_PURPOSE, type ReporterIdentity, sealReporter } from './case-key.ts';

export type OpenCaseInput = {
  caseId: string;
  /** From allocateCaseReference, taken before the transaction. */
  reference: string;
  /** Made before the transaction, so that files could be encrypted with it first. */
  caseKey: DataKey;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'timezone'>;
  channel: CaseChannel;
  title: string;
  receivedAt: Date;
  now: Date;
  language: 'nl' | 'en';
  reporter: ReporterIdentity & { identity: IdentityMode };
  credit: { wanted: boolean; name?: string };
};

/**
 * The next case reference, SLUG-YEAR-NNNN, numbered per organisation and year in the organisation's
 * time zone. Taken in a statement of its own before the case's transaction: inside it, the counter's
 * row lock would make every submission to one organisation wait for the one before to commit. The
 * price is a gap in the numbers when a transaction fails after this; the numbers stay unique.
 */
export async function allocateCaseReference(
  deps: Pick<Deps, 'db'>,
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'timezone'>,
  receivedAt: Date,
): Promise<string> {
  const year = yearIn(receivedAt, organisation.timezone);
  const number = await nextCaseNumber(deps.db, organisation.id, year);
  return `${organisation.slug.toUpperCase()}-${year}-${String(number).padStart(4, '0')}`;
}

/**
 * Opens a case in state `received` inside the caller's transaction: its key, the sealed reporter
 * identity, and the first timeline event.
 */
export async function openCase(deps: Pick<Deps, 'keyring'>, trx: Trx, input: OpenCaseInput) {
  const { organisation, caseId, reference } = input;
  await storeDataKey(trx, deps.keyring, CASE_KEY_PURPOSE, input.caseKey);
  const { identity, ...contact } = input.reporter;
  const sealed = Object.values(contact).some(Boolean)
    ? sealReporter(input.caseKey.key, caseId, contact)
    : null;
  await insertCase(trx, {
    id: caseId,
    organisation_id: organisation.id,
    reference,
    state: 'received',
    title: input.title,
    channel: input.channel,
    received_at: input.receivedAt,
    created_at: input.now,
    updated_at: input.now,
    data_key_id: input.caseKey.id,
    reporter_language: input.language,
    identity_mode: identity,
    reporter_sealed: sealed,
    reporter_has_email: Boolean(contact.email),
    credit_wanted: input.credit.wanted,
    credit_name: input.credit.wanted ? input.credit.name || null : null,
  });
  await insertCaseEvent(trx, {
    organisation_id: organisation.id,
    case_id: caseId,
    at: input.receivedAt,
    kind: 'case.received',
    visibility: 'reporter',
    actor: 'reporter',
    actor_user_id: null,
    data: { channel: input.channel },
  });
  return {
    reference,
    addAttachments: (rows: NewAttachmentRow[]) => insertAttachments(trx, rows),
  };
}

function yearIn(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}
