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
  OAuthRefusal,
} from './imap-connection.ts';
import {
  deleteImapSeen,
  deleteImapMailbox as deleteMailboxRow,
  findImapMailboxOfOrganisation,
  insertImapMailbox,
  replaceImapRefreshToken,
  updateImapMailbox,
} from './imap-mailbox.repository.ts';
import type { ImapAuthKind, ImapMailboxRow, ImapTlsMode } from './imap-mailbox.table.ts';
import {
  type AccessTokenCache,
  isAllowedTokenUrl,
  type OAuthClient,
  refreshAccessToken,
} from './imap-oauth.ts';

/**
 * An organisation's own mailbox that Haven reads by IMAP. It holds a credential to the
 * organisation's mail system, so only owners see or change it, signed in (never by API token), and
 * the password, refresh token or client secret goes in only: no answer ever carries it back. With
 * `xoauth2` the secret is an OAuth2 refresh token: access tokens last an hour (Microsoft 365, Google),
 * so Haven gets a fresh one from the OAuth2 client's token endpoint before it signs in.
 */

/** Data keys that seal IMAP credentials carry this purpose. */
const DATA_KEY_PURPOSE = 'imap-mailbox-secret';
/** Binds a sealed secret to its row: copied onto another mailbox it does not open. */
const aad = (mailboxId: string) => `imap-mailbox:${mailboxId}`;
const clientSecretAad = (mailboxId: string) => `imap-mailbox-client-secret:${mailboxId}`;

export type ImapOAuthInput = {
  tokenUrl: string;
  clientId: string;
  /** Write-only; left out, the stored one is kept while the token URL and client ID stay the same. */
  clientSecret?: string | undefined;
  scope?: string | undefined;
};

export type ImapMailboxInput = {
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  authKind: ImapAuthKind;
  /** The password or OAuth2 refresh token. Required the first time; left out, the stored one is kept. */
  secret?: string | undefined;
  /** Required with `xoauth2`; ignored with a password. */
  oauth?: ImapOAuthInput | null | undefined;
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
  oauth: { tokenUrl: string; clientId: string; scope: string | null; hasClientSecret: boolean } | null;
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
    oauth:
      row.oauth_token_url !== null && row.oauth_client_id !== null
        ? {
            tokenUrl: row.oauth_token_url,
            clientId: row.oauth_client_id,
            scope: row.oauth_scope,
            hasClientSecret: row.oauth_client_secret_sealed !== null,
          }
        : null,
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
  const oauth = input.authKind === 'xoauth2' ? input.oauth : undefined;
  if (input.authKind === 'xoauth2') {
    if (!oauth)
      throw invalid(
        'oauth',
        'required',
        'Sign-in by OAuth2 needs the OAuth2 client: its token URL and client ID.',
      );
    if (!isAllowedTokenUrl(oauth.tokenUrl))
      throw invalid(
        'oauth.tokenUrl',
        'https_required',
        'The token URL must be https (http only for a loopback host), without user name, password or fragment.',
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
      oauth_token_url: oauth?.tokenUrl ?? null,
      oauth_client_id: oauth?.clientId ?? null,
      oauth_scope: oauth?.scope || null,
      folder: input.folder,
      processed_folder: input.processedFolder,
      enabled: input.enabled,
      updated_at: now,
    };
    if (!existing) {
      if (!input.secret)
        throw invalid(
          'secret',
          'required',
          input.authKind === 'xoauth2' ? 'The refresh token is required.' : 'The password is required.',
        );
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
        oauth_client_secret_sealed: oauth?.clientSecret
          ? seal(dataKey.key, Buffer.from(oauth.clientSecret, 'utf8'), clientSecretAad(id))
          : null,
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
    // Likewise the refresh token and client secret only ever go to the token endpoint and client they were given for.
    const sameClient =
      existing.oauth_token_url === (oauth?.tokenUrl ?? null) &&
      existing.oauth_client_id === (oauth?.clientId ?? null);
    if ((!sameAccount || !sameClient) && !input.secret) {
      throw invalid(
        'secret',
        'required',
        input.authKind === 'xoauth2'
          ? 'A new server, account, sign-in method or OAuth2 client needs the refresh token again.'
          : 'A new server, account or sign-in method needs the password again.',
      );
    }
    const elsewhere =
      existing.host.toLowerCase() !== input.host.toLowerCase() ||
      existing.username !== input.username ||
      existing.folder !== input.folder;
    let secretSealed: Buffer | undefined;
    let clientSecretSealed: Buffer | null = null;
    if (input.secret || oauth?.clientSecret) {
      const key = await openDataKey(trx, deps.keyring, existing.data_key_id);
      if (!key) throw new Error(`data key ${existing.data_key_id} of IMAP mailbox ${existing.id} is missing`);
      if (input.secret) secretSealed = seal(key, Buffer.from(input.secret, 'utf8'), aad(existing.id));
      if (oauth?.clientSecret)
        clientSecretSealed = seal(key, Buffer.from(oauth.clientSecret, 'utf8'), clientSecretAad(existing.id));
    }
    // Not given again: kept for the same client, dropped for another one (then a public client).
    if (!clientSecretSealed && oauth && sameClient) clientSecretSealed = existing.oauth_client_secret_sealed;
    // Another server, account or folder: its UIDs mean nothing here, so the cursor starts over.
    if (elsewhere) await deleteImapSeen(trx, existing.id);
    const updated = await updateImapMailbox(trx, existing.id, {
      ...settings,
      ...(secretSealed ? { secret_sealed: secretSealed } : {}),
      oauth_client_secret_sealed: clientSecretSealed,
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

/**
 * The settings to sign in with, never logged, never returned: the password, or for `xoauth2` an
 * access token got with the stored refresh token. A poller passes its `tokens`, so an access token
 * serves until shortly before it expires; without them every call gets a fresh one. A refresh token
 * the provider rotated is stored at once, sealed: the old one may already be void.
 */
export async function imapSignInSettings(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock' | 'log'>,
  row: ImapMailboxRow,
  tokens?: AccessTokenCache,
): Promise<ImapSettings> {
  const key = await openDataKey(deps.db, deps.keyring, row.data_key_id);
  if (!key) throw new Error(`data key ${row.data_key_id} of IMAP mailbox ${row.id} is missing`);
  const secret = open(key, row.secret_sealed, aad(row.id)).toString('utf8');
  const settings = {
    host: row.host,
    port: row.port,
    tls: row.tls,
    username: row.username,
    authKind: row.auth_kind,
  };
  if (row.auth_kind === 'password') return { ...settings, secret };
  if (row.oauth_token_url === null || row.oauth_client_id === null)
    throw new OAuthRefusal(
      'No OAuth2 client is set up for this mailbox: add its token URL and client ID, and a refresh token.',
    );
  // Saving the settings changes updated_at: a token got with the old ones is not used.
  const basis = String(row.updated_at.getTime());
  const now = deps.clock.now();
  const cached = tokens?.get(row.id);
  if (cached && cached.basis === basis && cached.expiresAt && cached.expiresAt > now)
    return { ...settings, secret: cached.accessToken };
  const client: OAuthClient = {
    tokenUrl: row.oauth_token_url,
    clientId: row.oauth_client_id,
    clientSecret: row.oauth_client_secret_sealed
      ? open(key, row.oauth_client_secret_sealed, clientSecretAad(row.id)).toString('utf8')
      : null,
    scope: row.oauth_scope,
  };
  tokens?.delete(row.id);
  const token = await refreshAccessToken(client, secret, now);
  let rotated = false;
  if (token.refreshToken) {
    const sealed = seal(key, Buffer.from(token.refreshToken, 'utf8'), aad(row.id));
    rotated = await replaceImapRefreshToken(deps.db, row.id, row.secret_sealed, sealed);
    if (!rotated)
      deps.log.warn(
        { mailbox: row.id },
        'imap: a new refresh token was saved meanwhile; the rotated one is not kept',
      );
  }
  deps.log.info({ mailbox: row.id, rotated }, 'imap: got an OAuth2 access token');
  if (tokens && token.expiresAt)
    tokens.set(row.id, { basis, accessToken: token.accessToken, expiresAt: token.expiresAt });
  return { ...settings, secret: token.accessToken };
}

/**
 * Connects, signs in and opens the folder to read, read-only: what the owner needs to know works.
 * With `xoauth2` it always gets a new access token: whether the token endpoint works is part of it.
 */
export async function testImapMailbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'log' | 'clock' | 'config'>,
  access: OrganisationAccess,
): Promise<{ ok: true; messages: number }> {
  requireOwnerSession(access);
  const row = await mailboxOf(deps, access);
  const failed = (error: unknown) => {
    const failure = describeImapFailure(error, { host: row.host, port: row.port, authKind: row.auth_kind });
    deps.log.info({ mailbox: row.id, reason: failure.reason }, 'imap: connection test failed');
    return new AppError('mail.imap_failed', failure.message, [
      { code: failure.reason, message: failure.message },
    ]);
  };
  let settings: ImapSettings;
  try {
    settings = await imapSignInSettings(deps, row);
  } catch (error) {
    if (error instanceof OAuthRefusal) throw failed(error);
    throw error;
  }
  const client = imapClient(settings, deps.config.imapCaCertificates);
  client.on('error', () => {}); // a late socket error after the answer must not crash the process
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(folderPath(row.folder), { readOnly: true });
    await client.logout();
    return { ok: true, messages: mailbox.exists };
  } catch (error) {
    throw failed(error);
  } finally {
    client.close();
  }
}
