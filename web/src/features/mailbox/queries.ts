import { queryOptions } from '@tanstack/react-query';
import { api, isApiError, seg } from '../../api.ts';

export const TLS_MODES = ['implicit', 'starttls', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];
export const AUTH_KINDS = ['password', 'xoauth2'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** How Haven fetches an XOAUTH2 access token; the client secret goes in only. */
export type ImapOAuthView = {
  tokenUrl: string;
  clientId: string;
  scope: string | null;
  hasClientSecret: boolean;
};

/** GET /api/v1/orgs/{org}/mailboxes/imap: the settings, never the password or token itself. */
export type ImapMailbox = {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  authKind: AuthKind;
  hasSecret: true;
  /** Absent on a server that does not know OAuth2 refresh yet. */
  oauth?: ImapOAuthView | null;
  folder: string;
  processedFolder: string;
  enabled: boolean;
  lastPolledAt: string | null;
  lastError: string | null;
  updatedAt: string;
};

export type ImapMailboxInput = {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  authKind: AuthKind;
  /** Write-only: left out to keep the stored one. */
  secret?: string;
  oauth?: { tokenUrl: string; clientId: string; clientSecret?: string; scope?: string };
  folder: string;
  processedFolder: string;
  enabled: boolean;
};

export type ImapTestResult = { ok: true; messages: number };

const path = (org: string) => `/api/v1/orgs/${seg(org)}/mailboxes/imap`;

/** The organisation's IMAP mailbox, or null when none is set up. */
export const imapMailboxQuery = (org: string) =>
  queryOptions({
    queryKey: ['org', org, 'mailboxes', 'imap'] as const,
    queryFn: async (): Promise<ImapMailbox | null> => {
      try {
        return await api.get<ImapMailbox>(path(org));
      } catch (error) {
        if (isApiError(error) && error.code === 'mail.imap_not_configured') return null;
        throw error;
      }
    },
  });

export const saveImapMailbox = (org: string, input: ImapMailboxInput) =>
  api.put<ImapMailbox>(path(org), input);

export const deleteImapMailbox = (org: string) => api.delete(path(org));

export const testImapMailbox = (org: string) => api.post<ImapTestResult>(`${path(org)}/test`);

/** GET /api/v1/orgs/{org}/mail-intake: where reports by e-mail reach Haven (smtp null: listener off). */
export type MailIntake = { addresses: string[]; smtp: { port: number; starttls: boolean } | null };

export const mailIntakeQuery = (org: string) =>
  queryOptions({
    queryKey: ['org', org, 'mail-intake'] as const,
    queryFn: () => api.get<MailIntake>(`/api/v1/orgs/${seg(org)}/mail-intake`),
  });
