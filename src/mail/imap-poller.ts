import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { DNSResolver } from './authenticate-message.ts';
import {
  describeImapFailure,
  folderPath,
  type ImapSettings,
  imapClient,
  OAuthRefusal,
} from './imap-connection.ts';
import {
  findImapMailboxForPoll,
  type ImapSeenEntry,
  insertImapSeen,
  listEnabledImapMailboxIds,
  listImapSeen,
  markImapSeenMoved,
  updateImapMailbox,
} from './imap-mailbox.repository.ts';
import type { ImapMailboxRow } from './imap-mailbox.table.ts';
import { imapSignInSettings } from './imap-mailbox.ts';
import type { AccessTokenCache } from './imap-oauth.ts';
import { ingestMessage, MailRejection } from './ingest-message.ts';

/** The inbound use case the poller hands each message to (tests may pass their own). */
export type IngestMessage = typeof ingestMessage;

export type ImapPollerOptions = {
  intervalSeconds: number;
  /** DNS for SPF/DKIM/DMARC; the system resolver when not given. */
  resolver?: DNSResolver;
  ingest?: IngestMessage;
  /** OAuth2 access tokens kept between polls (in memory only); without, each poll gets a new one. */
  tokens?: AccessTokenCache;
};

export type ImapPoller = {
  /** Polls every enabled mailbox once, after any poll already running; resolves when done. */
  pollAll(): Promise<void>;
  /** No new polls; waits for the one running. */
  stop(): Promise<void>;
};

/** What one poll of one mailbox did. */
export type ImapPollResult =
  | { status: 'polled'; ingested: number; duplicates: number; moved: number; failed: number }
  | { status: 'busy' | 'gone' | 'failed' };

/** The largest message taken from a mailbox; larger ones stay where they are, with an error shown. */
export const IMAP_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;
/** New messages downloaded per poll: a full mailbox is worked through over several polls. */
const MESSAGES_PER_POLL = 100;

/**
 * Reads every enabled IMAP mailbox every `intervalSeconds`, one poll at a time in this process;
 * across Haven nodes sharing a PostgreSQL database an advisory lock keeps two from reading the same
 * mailbox at once (an embedded database has one process only).
 */
export function startImapPoller(deps: Deps, options: ImapPollerOptions): ImapPoller {
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tokens: AccessTokenCache = new Map();

  const pollOnce = async () => {
    let ids: string[];
    try {
      ids = await listEnabledImapMailboxIds(deps.db);
    } catch (error) {
      deps.log.warn({ err: error }, 'imap: could not list the mailboxes to poll');
      return;
    }
    for (const id of ids) {
      if (stopped) return;
      try {
        await pollImapMailbox(deps, id, { ...options, tokens });
      } catch (error) {
        deps.log.warn({ err: error, mailbox: id }, 'imap: poll failed');
      }
    }
  };
  const pollAll = () => {
    chain = chain.then(pollOnce);
    return chain;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      pollAll().finally(() => schedule(options.intervalSeconds * 1000));
    }, ms);
    timer.unref();
  };
  schedule(0);
  return {
    pollAll,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
    },
  };
}

/** A stable 64-bit advisory-lock key per mailbox (as a string: int8 travels as text). */
function lockKey(mailboxId: string): string {
  return createHash('sha256').update(`haven:imap-mailbox:${mailboxId}`).digest().readBigInt64BE(0).toString();
}

/**
 * One poll of one mailbox: open the folder, take in every message not dealt with before, and only
 * once `ingestMessage` has committed it move it to the processed folder. A crash between the two
 * leaves the message in the folder; the next poll finds it recorded and only moves it. Never
 * throws for the mailbox's own problems: they are recorded in `last_error` for the owner.
 */
export async function pollImapMailbox(
  deps: Deps,
  mailboxId: string,
  options: Omit<ImapPollerOptions, 'intervalSeconds'> = {},
): Promise<ImapPollResult> {
  if (deps.engine !== 'postgres') return pollLocked(deps, mailboxId, options);
  return deps.db.connection().execute(async (connection) => {
    const key = lockKey(mailboxId);
    const got = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}::bigint) as locked`.execute(
      connection,
    );
    if (!got.rows[0]?.locked) return { status: 'busy' } as const;
    try {
      return await pollLocked(deps, mailboxId, options);
    } finally {
      await sql`select pg_advisory_unlock(${key}::bigint)`.execute(connection);
    }
  });
}

async function pollLocked(
  deps: Deps,
  mailboxId: string,
  options: Omit<ImapPollerOptions, 'intervalSeconds'>,
): Promise<ImapPollResult> {
  const row = await findImapMailboxForPoll(deps.db, mailboxId);
  if (!row) return { status: 'gone' };
  const errors: string[] = [];
  let cursor: { uidvalidity: string; lastUid: number } | undefined;
  const counts = { ingested: 0, duplicates: 0, moved: 0, failed: 0 };
  let settings: ImapSettings | undefined;
  try {
    settings = await imapSignInSettings(deps, row, options.tokens);
  } catch (error) {
    if (!(error instanceof OAuthRefusal)) throw error;
    deps.log.warn({ mailbox: row.id, reason: error.reason }, 'imap: poll failed');
    errors.push(error.message);
  }
  if (settings) cursor = await readMailbox(deps, row, settings, options, errors, counts);
  await updateImapMailbox(deps.db, row.id, {
    last_polled_at: deps.clock.now(),
    last_error: errors.length > 0 ? errors.join(' ').slice(0, 500) : null,
    ...(cursor ? { last_uidvalidity: cursor.uidvalidity, last_uid: cursor.lastUid } : {}),
  });
  if (!cursor) return { status: 'failed' };
  return { status: 'polled', ...counts };
}

/** Signs in, reads the folder and signs out; a failure of the connection goes into `errors` (no cursor then). */
async function readMailbox(
  deps: Deps,
  row: ImapMailboxRow & { organisation_slug: string },
  settings: ImapSettings,
  options: Omit<ImapPollerOptions, 'intervalSeconds'>,
  errors: string[],
  counts: { ingested: number; duplicates: number; moved: number; failed: number },
): Promise<{ uidvalidity: string; lastUid: number } | undefined> {
  let cursor: { uidvalidity: string; lastUid: number } | undefined;
  const client = imapClient(settings, deps.config.imapCaCertificates);
  client.on('error', (error: unknown) =>
    deps.log.warn(
      { mailbox: row.id, reason: describeImapFailure(error, settings).reason },
      'imap: connection error',
    ),
  );
  try {
    await client.connect();
    const lock = await client.getMailboxLock(folderPath(row.folder));
    try {
      cursor = await readFolder(deps, client, row, options, errors, counts);
    } finally {
      lock.release();
    }
    await client.logout();
  } catch (error) {
    const failure = describeImapFailure(error, settings);
    // A token the server no longer takes (revoked before it expired) is not tried again.
    if (failure.reason === 'auth_failed') options.tokens?.delete(row.id);
    deps.log.warn({ err: error, mailbox: row.id, reason: failure.reason }, 'imap: poll failed');
    errors.unshift(failure.message);
  } finally {
    client.close();
  }
  return cursor;
}

/** Works through the open folder; returns the cursor to store (UIDVALIDITY and highest UID taken in). */
async function readFolder(
  deps: Deps,
  client: ImapFlow,
  row: ImapMailboxRow & { organisation_slug: string },
  options: Omit<ImapPollerOptions, 'intervalSeconds'>,
  errors: string[],
  counts: { ingested: number; duplicates: number; moved: number; failed: number },
): Promise<{ uidvalidity: string; lastUid: number }> {
  const ingest = options.ingest ?? ingestMessage;
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error('no folder is open');
  const uidvalidity = String(mailbox.uidValidity);
  let lastUid = Number(row.last_uid);
  if (row.last_uidvalidity !== null && row.last_uidvalidity !== uidvalidity) {
    // The server renumbered the folder: every message is looked at again; the hash of the raw
    // message keeps what was taken in before from becoming a second case.
    deps.log.warn(
      { mailbox: row.id },
      'imap: the folder was renumbered (UIDVALIDITY changed); reading it again',
    );
    lastUid = 0;
  }
  const seen = await listImapSeen(deps.db, row.id, row.folder, uidvalidity);
  const found = await client.search({ all: true }, { uid: true });
  const uids = (found || []).sort((a, b) => a - b);
  const processed = folderPath(row.processed_folder);
  let processedReady = false;
  const moveOut = async (uid: number) => {
    if (!processedReady) {
      await client.mailboxCreate(processed); // answers created: false when it is there already
      processedReady = true;
    }
    await client.messageMove(String(uid), processed, { uid: true });
    await markImapSeenMoved(
      deps.db,
      { mailboxId: row.id, folder: row.folder, uidvalidity, uid },
      deps.clock.now(),
    );
    counts.moved++;
  };
  // Mail addressed to the organisation itself: whatever the To header says, this mailbox is its own.
  const recipient = `${row.organisation_slug}@${new URL(deps.config.publicUrl).hostname}`;
  const source = `${row.id}/${row.folder}`;
  let downloaded = 0;
  for (const uid of uids) {
    const earlier: ImapSeenEntry | undefined = seen.get(uid);
    if (earlier?.outcome === 'rejected') continue; // left in the folder for a person to look at
    if (!earlier) {
      if (downloaded >= MESSAGES_PER_POLL) continue;
      downloaded++;
      let outcome: 'ingested' | 'duplicate' | 'rejected';
      let sha256: Buffer | null = null;
      try {
        const head = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        if (!head) continue; // expunged meanwhile
        if ((head.size ?? 0) > IMAP_MAX_MESSAGE_BYTES) {
          throw new MailRejection(
            552,
            `larger than the ${IMAP_MAX_MESSAGE_BYTES / 1024 / 1024} MB Haven takes`,
          );
        }
        const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        if (message === false || !message.source) continue;
        const raw = message.source;
        sha256 = createHash('sha256').update(raw).digest();
        const outcomes = await ingest(
          deps,
          raw,
          { recipients: [recipient] },
          { kind: 'imap', mailbox: source, uidValidity: uidvalidity, uid: String(uid) },
          options.resolver ? { resolver: options.resolver } : {},
        );
        outcome = outcomes.every((o) => o.duplicate) ? 'duplicate' : 'ingested';
      } catch (error) {
        if (!client.usable) throw error; // the connection is gone: the whole poll failed
        if (!(error instanceof MailRejection)) {
          // Haven's side failed (database, disk): the message stays and the next poll tries again.
          counts.failed++;
          deps.log.error(
            { err: error, mailbox: row.id, uid },
            'imap: could not take in a message; trying again next poll',
          );
          errors.push(`Message UID ${uid} could not be taken in yet; Haven tries again on the next poll.`);
          continue;
        }
        counts.failed++;
        outcome = 'rejected';
        deps.log.warn(
          { mailbox: row.id, uid, code: error.responseCode },
          'imap: message refused; left in the folder',
        );
        errors.push(`Message UID ${uid} was not taken in (${error.message}); it stays in the folder.`);
      }
      await insertImapSeen(deps.db, {
        mailboxId: row.id,
        folder: row.folder,
        uidvalidity,
        uid,
        sha256,
        outcome,
        at: deps.clock.now(),
      });
      if (outcome === 'rejected') continue;
      if (outcome === 'ingested') counts.ingested++;
      else counts.duplicates++;
      lastUid = Math.max(lastUid, uid);
    }
    try {
      await moveOut(uid);
    } catch (error) {
      if (!client.usable) throw error;
      const failure = describeImapFailure(error, row);
      deps.log.warn(
        { mailbox: row.id, uid, reason: failure.reason },
        'imap: could not move a processed message',
      );
      errors.push(`Message UID ${uid} was taken in but could not be moved to ${row.processed_folder}.`);
    }
  }
  return { uidvalidity, lastUid };
}
