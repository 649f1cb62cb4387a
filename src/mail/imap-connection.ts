import net from 'node:net';
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import type { ImapAuthKind, ImapTlsMode } from './imap-mailbox.table.ts';

/** Where and how to sign in; `secret` is the password or a fresh OAuth2 access token, in memory only. */
export type ImapSettings = {
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  authKind: ImapAuthKind;
  secret: string;
};

/** Why an IMAP conversation failed, in words that carry no secret and no message content. */
export type ImapFailureReason =
  | 'auth_failed'
  | 'connect_failed'
  | 'tls_failed'
  | 'timeout'
  | 'folder_missing'
  | 'oauth_failed'
  | 'protocol';

/** The OAuth2 token endpoint would not give an access token; the message is Haven's, never the endpoint's. */
export class OAuthRefusal extends Error {
  readonly reason = 'oauth_failed';
  constructor(message: string) {
    super(message);
    this.name = 'OAuthRefusal';
  }
}

const TIMEOUT_MS = 30_000;

/** Loopback only: the one place where a mailbox may be read without TLS. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}

/**
 * A client for one poll or test; nothing it logs reaches Haven's log (it would show folder names and
 * more). The server's certificate is always checked: against Node's roots, plus `caCertificates`
 * (HAVEN_IMAP_CA_FILE) for organisations whose mail server has a certificate from a private CA.
 */
export function imapClient(settings: ImapSettings, caCertificates?: readonly string[]): ImapFlow {
  return new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'implicit',
    doSTARTTLS: settings.tls === 'starttls' ? true : settings.tls === 'none' ? false : undefined,
    auth:
      settings.authKind === 'xoauth2'
        ? { user: settings.username, accessToken: settings.secret }
        : { user: settings.username, pass: settings.secret },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 5 * 60_000,
    clientInfo: { name: 'Haven' },
    tls: {
      minVersion: 'TLSv1.2',
      ...(caCertificates ? { ca: [...tls.getCACertificates('default'), ...caCertificates] } : {}),
    },
  });
}

/** `Haven/Processed` → `['Haven', 'Processed']`: imapflow joins levels with the server's delimiter. */
export function folderPath(folder: string): string[] {
  return folder
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

type ImapErrorLike = {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  serverResponseCode?: string;
};

/** Sorts any error of a connection into a reason and a message of Haven's own (never the server's text). */
export function describeImapFailure(
  error: unknown,
  settings: Pick<ImapSettings, 'host' | 'port'> & { authKind?: ImapAuthKind },
): { reason: ImapFailureReason; message: string } {
  if (error instanceof OAuthRefusal) return { reason: 'oauth_failed', message: error.message };
  const e = (error ?? {}) as ImapErrorLike;
  const code = e.code ?? '';
  const where = `${settings.host}:${settings.port}`;
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED')
    return {
      reason: 'auth_failed',
      message:
        settings.authKind === 'xoauth2'
          ? `The server at ${where} refused the sign-in with the OAuth2 access token: check the user name and that the OAuth2 client may read mail by IMAP (scope).`
          : `The server at ${where} refused the sign-in: check the user name and the password.`,
    };
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT')
    return { reason: 'folder_missing', message: 'The folder to read does not exist on the server.' };
  if (/^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT|HOSTNAME_MISMATCH)/.test(code))
    return {
      reason: 'tls_failed',
      message: `The certificate of the server at ${where} is not trusted (${code}): check the host name; a certificate from a private CA needs that CA in HAVEN_IMAP_CA_FILE.`,
    };
  if (e.tlsFailed && code === '')
    return {
      reason: 'tls_failed',
      message: `The server at ${where} did not offer STARTTLS: check the port and the TLS mode.`,
    };
  if (e.tlsFailed || /^(ERR_SSL|ERR_TLS)/.test(code) || code === 'ClosedAfterConnectTLS')
    return {
      reason: 'tls_failed',
      message: `TLS with ${where} failed${/^[A-Za-z_0-9]{1,60}$/.test(code) ? ` (${code})` : ''}: check the port and the TLS mode.`,
    };
  if (/TIMEOUT/i.test(code))
    return { reason: 'timeout', message: `The server at ${where} did not answer in time.` };
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code))
    return { reason: 'connect_failed', message: `Could not connect to ${where} (${code}).` };
  if (code === 'NoConnection' || code === 'ClosedAfterConnectText' || code === 'EConnectionClosed')
    return { reason: 'connect_failed', message: `The server at ${where} closed the connection.` };
  return {
    reason: 'protocol',
    message: `The IMAP conversation with ${where} failed${/^[A-Za-z_0-9]{1,40}$/.test(code) ? ` (${code})` : ''}.`,
  };
}
