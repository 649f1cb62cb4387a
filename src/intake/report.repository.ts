import { sql } from 'kysely';
import type { Db, Trx } from '../database.ts';
import type { IntakeIdempotencyTable, NewReportRow } from './report.table.ts';

type Executor = Db | Trx;

export async function insertReport(trx: Trx, row: NewReportRow): Promise<void> {
  await trx.insertInto('reports').values(row).execute();
}

export async function findIdempotentSubmission(
  db: Executor,
  organisationId: string,
  keyHash: Buffer,
  now: Date,
) {
  return db
    .selectFrom('intake_idempotency as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['i.case_id', 'i.request_hash', 'i.token_sealed', 'c.reference', 'c.data_key_id'])
    .where('i.organisation_id', '=', organisationId)
    .where('i.key_hash', '=', keyHash)
    .where('i.expires_at', '>', now)
    .executeTakeFirst();
}

export async function insertIdempotentSubmission(trx: Trx, row: IntakeIdempotencyTable): Promise<void> {
  await trx.insertInto('intake_idempotency').values(row).execute();
}

/** Records a proof-of-work solution as used; false when it already was. */
export async function spendProof(trx: Trx, id: Buffer, expiresAt: Date): Promise<boolean> {
  const row = await trx
    .insertInto('spent_proofs')
    .values({ id, expires_at: expiresAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Idempotency answers and spent proofs are kept only as long as they mean something: a bounded batch
 * of expired ones goes, skipping rows another cleanup holds, so concurrent cleanups never wait.
 */
export async function deleteExpiredIntakeRecords(db: Executor, now: Date): Promise<void> {
  await sql`
    delete from intake_idempotency where ctid in (
      select ctid from intake_idempotency where expires_at <= ${now} limit 100 for update skip locked)
  `.execute(db);
  await db
    .deleteFrom('spent_proofs')
    .where(
      'id',
      'in',
      db
        .selectFrom('spent_proofs')
        .select('id')
        .where('expires_at', '<=', now)
        .limit(100)
        .forUpdate()
        .skipLocked(),
    )
    .execute();
}
