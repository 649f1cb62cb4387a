import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { type OrganisationAccess, requireSession } from '../orgs/organisation-access.ts';
import { open, seal } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { createDataKey, openDataKey } from '../platform/keys.ts';
import {
  describeImapFailure,
  folderPath,
  type ImapSettings,
  imapClient,
  isLoopbackHost,
} from './imap-connection.ts';
import {
  deleteImapSeen,
  deleteImapMailbox as deleteMailboxRow,
  findImapMailboxOfOrganisation,
  insertImapMailbox,
  updateImapMailbox,
} from './imap-mailbox.repository.ts';
import type { ImapAuthKind, ImapMailboxRow, ImapTlsMode } from './imap-mailbox.table.ts';

/**
 * An organisation's own mailbox that Haven reads by IMAP. It holds a credential to the
 * organisation's mail system, so only owners see or change it, signed in (never by API token), and
 * the password or access token goes in only: no answer ever carries it back.
 */

/** Data keys that seal IMAP credentials carry this purpose. */
const DATA_KEY_PURPOSE = 'imap-mailbox-secret';
/** Binds a sealed secret to its row: copied onto another mailbox it does not open. */
const aad = (mailboxId: string) => `imap-mailbox:${mailboxId}`;

export type ImapMailboxInput = {
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  authKind: ImapAuthKind;
  /** Required the first time; left out, the stored one is kept. */
  secret?: string;
  folder: string;
  processedFolder: string;
  enabled: boolean;
};

export type ImapMailboxView = {
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  authKind: ImapAuthKind;
  hasSecret: true;
  folder: string;
  processedFolder: string;
  enabled: boolean;
  lastPolledAt: Date | null;
  lastError: string | null;
  updatedAt: Date;
};

function requireOwnerSession(access: OrganisationAccess): void {
  if (access.role !== 'owner') throw new AppError('auth.forbidden', 'Only owners manage the IMAP mailbox.');
  requireSession(access);
}

function toView(row: ImapMailboxRow): ImapMailboxView {
  return {
    host: row.host,
    port: row.port,
    tls: row.tls,
    username: row.username,
    authKind: row.auth_kind,
    hasSecret: true,
    folder: row.folder,
    processedFolder: row.processed_folder,
    enabled: row.enabled,
    lastPolledAt: row.last_polled_at,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

function invalid(field: string, code: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ field, code, message }]);
}

async function mailboxOf(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<ImapMailboxRow> {
  const row = await findImapMailboxOfOrganisation(deps.db, access.organisation.id);
  if (!row)
    throw new AppError('mail.imap_not_configured', 'No IMAP mailbox is set up for this organisation.');
  return row;
}

export async function getImapMailbox(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
): Promise<ImapMailboxView> {
  requireOwnerSession(access);
  return toView(await mailboxOf(deps, access));
}

/** Creates or replaces the mailbox settings; a new server or account starts reading afresh. */
export async function saveImapMailbox(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  access: OrganisationAccess,
  input: ImapMailboxInput,
): Promise<ImapMailboxView> {
  requireOwnerSession(access);
  if (input.tls === 'none' && !isLoopbackHost(input.host)) {
    throw invalid(
      'tls',
      'tls_required',
      'Without TLS the password would cross the network in clear: only a loopback host may go without.',
    );
  }
  if (folderPath(input.folder).length === 0)
    throw invalid('folder', 'invalid', 'The folder to read is empty.');
  if (folderPath(input.processedFolder).length === 0)
    throw invalid('processedFolder', 'invalid', 'The folder for processed mail is empty.');
  if (folderPath(input.folder).join('/') === folderPath(input.processedFolder).join('/')) {
    throw invalid(
      'processedFolder',
      'same_folder',
      'Processed mail must go to another folder than the one read.',
    );
  }
  const now = deps.clock.now();
  const organisationId = access.organisation.id;
  const row = await deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('imap_mailboxes')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    const settings = {
      host: input.host,
      port: input.port,
      tls: input.tls,
      username: input.username,
      auth_kind: input.authKind,
      folder: input.folder,
      processed_folder: input.processedFolder,
      enabled: input.enabled,
      updated_at: now,
    };
    if (!existing) {
      if (!input.secret) throw invalid('secret', 'required', 'The password or access token is required.');
      const dataKey = await createDataKey(
        trx as unknown as Parameters<typeof createDataKey>[0],
        deps.keyring,
        DATA_KEY_PURPOSE,
      );
      const id = randomUUID();
      return insertImapMailbox(trx, {
        id,
        organisation_id: organisationId,
        ...settings,
        secret_sealed: seal(dataKey.key, Buffer.from(input.secret, 'utf8'), aad(id)),
        data_key_id: dataKey.id,
        last_uidvalidity: null,
        last_polled_at: null,
        last_error: null,
        created_at: now,
      });
    }
    // The stored secret only ever goes back to the server and account it was given for: sent
    // anywhere else, a changed host would hand it to whoever runs that host.
    const sameAccount =
      existing.host.toLowerCase() === input.host.toLowerCase() &&
      existing.port === input.port &&
      existing.tls === input.tls &&
      existing.username === input.username &&
      existing.auth_kind === input.authKind;
    if (!sameAccount && !input.secret) {
      throw invalid(
        'secret',
        'required',
        'A new server, account or sign-in method needs the password or access token again.',
      );
    }
    const elsewhere =
      existing.host.toLowerCase() !== input.host.toLowerCase() ||
      existing.username !== input.username ||
      existing.folder !== input.folder;
    let secretSealed: Buffer | undefined;
    if (input.secret) {
      const key = await openDataKey(trx, deps.keyring, existing.data_key_id);
      if (!key) throw new Error(`data key ${existing.data_key_id} of IMAP mailbox ${existing.id} is missing`);
      secretSealed = seal(key, Buffer.from(input.secret, 'utf8'), aad(existing.id));
    }
    // Another server, account or folder: its UIDs mean nothing here, so the cursor starts over.
    if (elsewhere) await deleteImapSeen(trx, existing.id);
    const updated = await updateImapMailbox(trx, existing.id, {
      ...settings,
      ...(secretSealed ? { secret_sealed: secretSealed } : {}),
      ...(elsewhere ? { last_uidvalidity: null, last_uid: 0 } : {}),
      last_error: null,
    });
    if (!updated) throw new Error('the IMAP mailbox went away while it was being saved');
    return updated;
  });
  return toView(row);
}

export async function deleteImapMailbox(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<void> {
  requireOwnerSession(access);
  const deleted = await deps.db.transaction().execute((trx) => deleteMailboxRow(trx, access.organisation.id));
  if (!deleted)
    throw new AppError('mail.imap_not_configured', 'No IMAP mailbox is set up for this organisation.');
}

/** The settings with the secret unsealed, for a connection; never logged, never returned. */
export async function openImapSettings(
  deps: Pick<Deps, 'db' | 'keyring'>,
  row: ImapMailboxRow,
): Promise<ImapSettings> {
  const key = await openDataKey(deps.db, deps.keyring, row.data_key_id);
  if (!key) throw new Error(`data key ${row.data_key_id} of IMAP mailbox ${row.id} is missing`);
  return {
    host: row.host,
    port: row.port,
    tls: row.tls,
    username: row.username,
    authKind: row.auth_kind,
    secret: open(key, row.secret_sealed, aad(row.id)).toString('utf8'),
  };
}

/** Connects, signs in and opens the folder to read, read-only: what the owner needs to know works. */
export async function testImapMailbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'log'>,
  access: OrganisationAccess,
): Promise<{ ok: true; messages: number }> {
  requireOwnerSession(access);
  const row = await mailboxOf(deps, access);
  const settings = await openImapSettings(deps, row);
  const client = imapClient(settings);
  client.on('error', () => {}); // a late socket error after the answer must not crash the process
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(folderPath(row.folder), { readOnly: true });
    await client.logout();
    return { ok: true, messages: mailbox.exists };
  } catch (error) {
    const failure = describeImapFailure(error, settings);
    deps.log.info({ mailbox: row.id, reason: failure.reason }, 'imap: connection test failed');
    throw new AppError('mail.imap_failed', failure.message, [
      { code: failure.reason, message: failure.message },
    ]);
  } finally {
    client.close();
  }
}
