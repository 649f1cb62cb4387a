import type { Db, Trx } from '../database.ts';
import type {
  ImapMailboxRow,
  ImapMailboxUpdate,
  ImapSeenOutcome,
  NewImapMailboxRow,
} from './imap-mailbox.table.ts';

type Executor = Db | Trx;

export async function findImapMailboxOfOrganisation(
  db: Executor,
  organisationId: string,
): Promise<ImapMailboxRow | undefined> {
  return db
    .selectFrom('imap_mailboxes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** A mailbox with the slug of its organisation: the poller addresses the mail it reads to that organisation. */
export async function findImapMailboxForPoll(
  db: Executor,
  id: string,
): Promise<(ImapMailboxRow & { organisation_slug: string }) | undefined> {
  return db
    .selectFrom('imap_mailboxes as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .selectAll('m')
    .select('o.slug as organisation_slug')
    .where('m.id', '=', id)
    .where('m.enabled', '=', true)
    .executeTakeFirst();
}

export async function listEnabledImapMailboxIds(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('imap_mailboxes')
    .select('id')
    .where('enabled', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertImapMailbox(trx: Trx, row: NewImapMailboxRow): Promise<ImapMailboxRow> {
  return trx.insertInto('imap_mailboxes').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateImapMailbox(
  db: Executor,
  id: string,
  update: ImapMailboxUpdate,
): Promise<ImapMailboxRow | undefined> {
  return db.updateTable('imap_mailboxes').set(update).where('id', '=', id).returningAll().executeTakeFirst();
}

/**
 * Stores the refresh token the provider rotated, unless the stored one changed meanwhile (the owner
 * saved a new one): theirs wins. Answers whether it was stored.
 */
export async function replaceImapRefreshToken(
  db: Executor,
  id: string,
  previous: Buffer,
  next: Buffer,
): Promise<boolean> {
  const updated = await db
    .updateTable('imap_mailboxes')
    .set({ secret_sealed: next })
    .where('id', '=', id)
    .where('secret_sealed', '=', previous)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Removes the mailbox and the data key its secret was sealed with: the secret is gone for good. */
export async function deleteImapMailbox(trx: Trx, organisationId: string): Promise<boolean> {
  const deleted = await trx
    .deleteFrom('imap_mailboxes')
    .where('organisation_id', '=', organisationId)
    .returning('data_key_id')
    .executeTakeFirst();
  if (!deleted) return false;
  await trx.deleteFrom('data_keys').where('id', '=', deleted.data_key_id).execute();
  return true;
}

export async function deleteImapSeen(db: Executor, mailboxId: string): Promise<void> {
  await db.deleteFrom('imap_seen').where('mailbox_id', '=', mailboxId).execute();
}

export type ImapSeenEntry = { uid: number; outcome: ImapSeenOutcome; moved: boolean };

/** What the poller already did with the messages of one folder generation (UIDVALIDITY). */
export async function listImapSeen(
  db: Executor,
  mailboxId: string,
  folder: string,
  uidvalidity: string,
): Promise<Map<number, ImapSeenEntry>> {
  const rows = await db
    .selectFrom('imap_seen')
    .select(['uid', 'outcome', 'moved_at'])
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .where('uidvalidity', '=', uidvalidity)
    .execute();
  return new Map(
    rows.map((r) => [Number(r.uid), { uid: Number(r.uid), outcome: r.outcome, moved: r.moved_at !== null }]),
  );
}

export async function insertImapSeen(
  db: Executor,
  row: {
    mailboxId: string;
    folder: string;
    uidvalidity: string;
    uid: number;
    sha256: Buffer | null;
    outcome: ImapSeenOutcome;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('imap_seen')
    .values({
      mailbox_id: row.mailboxId,
      folder: row.folder,
      uidvalidity: row.uidvalidity,
      uid: row.uid,
      sha256: row.sha256,
      outcome: row.outcome,
      seen_at: row.at,
      moved_at: null,
    })
    .onConflict((oc) => oc.columns(['mailbox_id', 'folder', 'uidvalidity', 'uid']).doNothing())
    .execute();
}

export async function markImapSeenMoved(
  db: Executor,
  key: { mailboxId: string; folder: string; uidvalidity: string; uid: number },
  at: Date,
): Promise<void> {
  await db
    .updateTable('imap_seen')
    .set({ moved_at: at })
    .where('mailbox_id', '=', key.mailboxId)
    .where('folder', '=', key.folder)
    .where('uidvalidity', '=', key.uidvalidity)
    .where('uid', '=', String(key.uid))
    .execute();
}
