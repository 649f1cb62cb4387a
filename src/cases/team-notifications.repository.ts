import type { Db, Trx } from '../database.ts';

type Executor = Db | Trx;

/** The members a notice already went to. */
export async function listNoticeRecipients(db: Executor, noticeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_notices_sent')
    .select('user_id')
    .where('notice_id', '=', noticeId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function recordNoticeSent(
  db: Executor,
  row: { noticeId: string; userId: string; organisationId: string; caseId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('team_notices_sent')
    .values({
      notice_id: row.noticeId,
      user_id: row.userId,
      organisation_id: row.organisationId,
      case_id: row.caseId,
      sent_at: row.at,
    })
    .onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing())
    .execute();
}

/** Forgets deliveries older than `before`: by then their job can no longer be retried. */
export async function pruneNoticesSent(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('team_notices_sent').where('sent_at', '<', before).execute();
}
