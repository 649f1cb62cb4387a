import type { TFunction } from 'i18next';
import type { FieldErrors } from '../../errors.ts';
import type { AuthKind, ImapMailbox, ImapMailboxInput, TlsMode } from './queries.ts';

/** What the form holds: text as typed, secrets empty unless the owner types a new one. */
export type MailboxForm = {
  host: string;
  port: string;
  tls: TlsMode;
  username: string;
  authKind: AuthKind;
  secret: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  folder: string;
  processedFolder: string;
  enabled: boolean;
};

/** The port each TLS mode usually listens on (IMAPS 993, IMAP 143). */
export const DEFAULT_PORT: Record<TlsMode, number> = { implicit: 993, starttls: 143, none: 143 };

/** The paths of the fields the form shows an API error beside. */
export const MAILBOX_FIELDS = [
  'host',
  'port',
  'tls',
  'username',
  'authKind',
  'secret',
  'oauth',
  'oauth.tokenUrl',
  'oauth.clientId',
  'oauth.clientSecret',
  'oauth.scope',
  'folder',
  'processedFolder',
  'enabled',
] as const;

export function formOf(mailbox: ImapMailbox | null): MailboxForm {
  const oauth = mailbox?.oauth ?? null;
  return {
    host: mailbox?.host ?? '',
    port: String(mailbox?.port ?? DEFAULT_PORT.implicit),
    tls: mailbox?.tls ?? 'implicit',
    username: mailbox?.username ?? '',
    authKind: mailbox?.authKind ?? 'password',
    secret: '',
    tokenUrl: oauth?.tokenUrl ?? '',
    clientId: oauth?.clientId ?? '',
    clientSecret: '',
    scope: oauth?.scope ?? '',
    folder: mailbox?.folder ?? 'INBOX',
    processedFolder: mailbox?.processedFolder ?? 'Haven/Processed',
    enabled: mailbox?.enabled ?? true,
  };
}

/** The body of the PUT: secrets only when typed, `oauth` only for XOAUTH2. */
export function inputOf(form: MailboxForm): ImapMailboxInput {
  const scope = form.scope.trim();
  return {
    host: form.host.trim(),
    port: Number(form.port),
    tls: form.tls,
    username: form.username.trim(),
    authKind: form.authKind,
    ...(form.secret ? { secret: form.secret } : {}),
    ...(form.authKind === 'xoauth2'
      ? {
          oauth: {
            tokenUrl: form.tokenUrl.trim(),
            clientId: form.clientId.trim(),
            ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
            ...(scope ? { scope } : {}),
          },
        }
      : {}),
    folder: form.folder.trim(),
    processedFolder: form.processedFolder.trim(),
    enabled: form.enabled,
  };
}

/** As the server decides: only a loopback host may be read without TLS. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

const folderKey = (folder: string) =>
  folder
    .split('/')
    .map((part) => part.trim())
    .filter(Boolean)
    .join('/');

/** The OAuth2 client the form names is the stored one: its client secret is kept when left empty. */
export function sameClient(form: MailboxForm, mailbox: ImapMailbox): boolean {
  // A server without OAuth2 refresh answers no `oauth` at all: nothing to compare with.
  if (mailbox.oauth === undefined) return true;
  const tokenUrl = form.authKind === 'xoauth2' ? form.tokenUrl.trim() : null;
  const clientId = form.authKind === 'xoauth2' ? form.clientId.trim() : null;
  return (mailbox.oauth?.tokenUrl ?? null) === tokenUrl && (mailbox.oauth?.clientId ?? null) === clientId;
}

/**
 * The stored secret only goes back to the server, account and OAuth2 client it was given for (as
 * the server checks): anything else needs it typed again.
 */
export function keepsStoredSecret(form: MailboxForm, mailbox: ImapMailbox): boolean {
  return (
    form.host.trim().toLowerCase() === mailbox.host.toLowerCase() &&
    Number(form.port) === mailbox.port &&
    form.tls === mailbox.tls &&
    form.username.trim() === mailbox.username &&
    form.authKind === mailbox.authKind &&
    sameClient(form, mailbox)
  );
}

/** https, or http to this machine only, as the server allows for the token URL. */
export function isAllowedTokenUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The mistakes the page can point out before asking the server. */
export function checkForm(t: TFunction, form: MailboxForm, stored: ImapMailbox | null): FieldErrors {
  const found: FieldErrors = {};
  if (!form.host.trim()) found.host = t('fields.required');
  if (!/^\d{1,5}$/.test(form.port.trim()) || Number(form.port) < 1 || Number(form.port) > 65535)
    found.port = t('web.mailbox.portInvalid');
  if (form.tls === 'none' && form.host.trim() && !isLoopbackHost(form.host))
    found.tls = t('web.mailbox.errors.tls_required');
  if (!form.username.trim()) found.username = t('fields.required');
  // The field's hint says why a stored secret cannot be kept for another account.
  if (!form.secret && (!stored || !keepsStoredSecret(form, stored))) found.secret = t('fields.required');
  if (form.authKind === 'xoauth2') {
    const url = form.tokenUrl.trim();
    if (!url) found['oauth.tokenUrl'] = t('fields.required');
    else if (!isAllowedTokenUrl(url)) found['oauth.tokenUrl'] = t('web.mailbox.errors.https_required');
    if (!form.clientId.trim()) found['oauth.clientId'] = t('fields.required');
  }
  if (!folderKey(form.folder)) found.folder = t('fields.required');
  if (!folderKey(form.processedFolder)) found.processedFolder = t('fields.required');
  else if (folderKey(form.folder) === folderKey(form.processedFolder))
    found.processedFolder = t('web.mailbox.errors.same_folder');
  return found;
}
