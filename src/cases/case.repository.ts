import { sql } from 'kysely';
import type { Db, Trx } from '../database.ts';
import type {
  CaseEventTable,
  CaseRow,
  NewAttachmentRow,
  NewCaseRow,
  ReporterTokenTable,
} from './case.table.ts';

type Executor = Db | Trx;

/** The next number of the organisation's case references in `year` (1, 2, …), taken under a row lock. */
export async function nextCaseNumber(db: Executor, organisationId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('case_counters')
    .values({ organisation_id: organisationId, year, last: 1 })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'year']).doUpdateSet({ last: sql<number>`case_counters.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertCase(trx: Trx, row: NewCaseRow): Promise<void> {
  await trx.insertInto('cases').values(row).execute();
}

export async function insertCaseEvent(
  trx: Trx,
  event: Omit<CaseEventTable, 'id' | 'data'> & { data?: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('case_events')
    .values({ ...event, data: JSON.stringify(event.data ?? {}) })
    .execute();
}

export async function touchCase(trx: Trx, caseId: string, at: Date): Promise<void> {
  await trx.updateTable('cases').set({ updated_at: at }).where('id', '=', caseId).execute();
}

export async function insertMessage(
  trx: Trx,
  row: {
    id: string;
    organisationId: string;
    caseId: string;
    at: Date;
    author: 'reporter' | 'staff';
    authorUserId: string | null;
    body: string;
  },
): Promise<void> {
  await trx
    .insertInto('case_messages')
    .values({
      id: row.id,
      organisation_id: row.organisationId,
      case_id: row.caseId,
      at: row.at,
      author: row.author,
      author_user_id: row.authorUserId,
      body: row.body,
    })
    .execute();
}

export async function insertNote(
  trx: Trx,
  row: { id: string; organisationId: string; caseId: string; at: Date; authorUserId: string; body: string },
): Promise<void> {
  await trx
    .insertInto('case_notes')
    .values({
      id: row.id,
      organisation_id: row.organisationId,
      case_id: row.caseId,
      at: row.at,
      author_user_id: row.authorUserId,
      body: row.body,
    })
    .execute();
}

export async function insertAttachments(trx: Trx, rows: NewAttachmentRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('attachments').values(rows).execute();
}

export async function findCaseById(db: Executor, caseId: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

/** Tenancy: a case is only ever found inside the organisation that asks. */
export async function findCaseByReference(
  db: Executor,
  organisationId: string,
  reference: string,
): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

export async function lockCase(trx: Trx, caseId: string): Promise<CaseRow | undefined> {
  return trx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
}

export type CaseListFilter = { state?: string; q?: string; limit: number; before?: { at: Date; id: string } };

export async function listCases(db: Executor, organisationId: string, filter: CaseListFilter) {
  let query = db
    .selectFrom('cases as c')
    .select([
      'c.id',
      'c.reference',
      'c.title',
      'c.state',
      'c.channel',
      'c.received_at',
      'c.updated_at',
      'c.identity_mode',
      'c.reporter_language',
      (eb) =>
        eb
          .selectFrom('attachments as a')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('a.case_id', '=', 'c.id')
          .as('attachment_count'),
      (eb) =>
        eb
          .selectFrom('case_messages as m')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('m.case_id', '=', 'c.id')
          .as('message_count'),
    ])
    .where('c.organisation_id', '=', organisationId);
  if (filter.state) query = query.where('c.state', '=', filter.state);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('c.title', 'ilike', pattern), eb('c.reference', 'ilike', pattern)]),
    );
  }
  if (filter.before) {
    const { at, id } = filter.before;
    query = query.where((eb) =>
      eb.or([eb('c.received_at', '<', at), eb.and([eb('c.received_at', '=', at), eb('c.id', '<', id)])]),
    );
  }
  return query.orderBy('c.received_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
}

export async function findReportOfCase(db: Executor, caseId: string) {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .limit(1)
    .executeTakeFirst();
}

export async function listEvents(db: Executor, caseId: string, reporterVisibleOnly: boolean) {
  let query = db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.visibility', 'e.actor', 'e.data', 'u.name as actor_name'])
    .where('e.case_id', '=', caseId);
  if (reporterVisibleOnly) query = query.where('e.visibility', '=', 'reporter');
  return query.orderBy('e.id').execute();
}

/** Messages between reporter and team; internal notes live elsewhere and are never read here. */
export async function listMessages(db: Executor, caseId: string) {
  return db
    .selectFrom('case_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .select(['m.id', 'm.at', 'm.author', 'm.body', 'u.name as author_name'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.at')
    .orderBy('m.id')
    .execute();
}

export async function findMessage(db: Executor, messageId: string) {
  return db.selectFrom('case_messages').selectAll().where('id', '=', messageId).executeTakeFirst();
}

export async function listNotes(db: Executor, caseId: string) {
  return db
    .selectFrom('case_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.at', 'n.body', 'u.name as author_name', 'u.email as author_email'])
    .where('n.case_id', '=', caseId)
    .orderBy('n.at')
    .orderBy('n.id')
    .execute();
}

export async function listAttachments(db: Executor, caseId: string) {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(db: Executor, caseId: string, attachmentId: string) {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

export async function insertReporterToken(
  trx: Trx,
  row: Omit<ReporterTokenTable, 'id' | 'used_at' | 'revoked_at'>,
): Promise<void> {
  await trx.insertInto('reporter_tokens').values(row).execute();
}

export async function findReporterToken(db: Executor, tokenHash: Buffer) {
  return db.selectFrom('reporter_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a single-use token used; false when someone else used it first. */
export async function useReporterToken(trx: Trx, id: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('reporter_tokens')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function revokeAccessTokens(trx: Trx, caseId: string, at: Date): Promise<void> {
  await trx
    .updateTable('reporter_tokens')
    .set({ revoked_at: at })
    .where('case_id', '=', caseId)
    .where('purpose', '=', 'access')
    .where('revoked_at', 'is', null)
    .execute();
}

export async function updateCredit(
  trx: Trx,
  caseId: string,
  credit: { wanted: boolean; name: string | null },
  at: Date,
): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ credit_wanted: credit.wanted, credit_name: credit.name, updated_at: at })
    .where('id', '=', caseId)
    .execute();
}

export async function markWithdrawn(trx: Trx, caseId: string, at: Date): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ state: 'withdrawn', withdrawn_at: at, updated_at: at })
    .where('id', '=', caseId)
    .execute();
}

export async function hasEvent(db: Executor, caseId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a locked container unlocked; false when another unlock got there first. */
export async function markAttachmentUnlocked(trx: Trx, attachmentId: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('attachments')
    .set({ unlocked_at: at })
    .where('id', '=', attachmentId)
    .where('unlocked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
