import { sql } from 'kysely';
import type { Db, Trx } from '../database.ts';
import type { NewInboundMessageRow } from './inbound-message.table.ts';

type Executor = Db | Trx;

/** The earlier record of this raw message (or this IMAP message) for the organisation, if any. */
export async function findInboundMessage(
  db: Executor,
  organisationId: string,
  sha256: Buffer,
  imap?: { mailbox: string; uidValidity: string; uid: string },
) {
  let query = db.selectFrom('inbound_messages').selectAll().where('organisation_id', '=', organisationId);
  query = imap
    ? query.where((eb) =>
        eb.or([
          eb('sha256', '=', sha256),
          eb.and([
            eb('source_mailbox', '=', imap.mailbox),
            eb('source_uidvalidity', '=', imap.uidValidity),
            eb('source_uid', '=', imap.uid),
          ]),
        ]),
      )
    : query.where('sha256', '=', sha256);
  return query.executeTakeFirst();
}

/** Records the message; a second record of the same message fails (unique), so its transaction rolls back. */
export async function insertInboundMessage(trx: Executor, row: NewInboundMessageRow): Promise<void> {
  await trx.insertInto('inbound_messages').values(row).execute();
}

export async function findInboundMessageOfCase(db: Executor, caseId: string) {
  return db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Slugs of the organisations whose current published policy lists this intake address
 * (`intake.emails` is stored lower-cased).
 */
export async function findOrganisationsByIntakeAddress(db: Executor, address: string): Promise<string[]> {
  const rows = await sql<{ slug: string }>`
    select o.slug from organisations o
    join lateral (
      select settings from policy_versions v where v.organisation_id = o.id order by v.version desc limit 1
    ) p on true
    where p.settings -> 'intake' -> 'emails' @> jsonb_build_array(${address.toLowerCase()}::text)
  `.execute(db);
  return rows.rows.map((r) => r.slug);
}
