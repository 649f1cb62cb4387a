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
 * Deletes a bounded batch of expired idempotency answers and spent proofs, skipping rows another
 * cleanup holds so concurrent cleanups never wait; returns how many went.
 */
export async function deleteExpiredIntakeRecords(db: Executor, now: Date): Promise<number> {
  const answers = await sql`
    delete from intake_idempotency where ctid in (
      select ctid from intake_idempotency where expires_at <= ${now} limit 500 for update skip locked)
  `.execute(db);
  const proofs = await sql`
    delete from spent_proofs where ctid in (
      select ctid from spent_proofs where expires_at <= ${now} limit 500 for update skip locked)
  `.execute(db);
  return Number(answers.numAffectedRows ?? 0n) + Number(proofs.numAffectedRows ?? 0n);
}
