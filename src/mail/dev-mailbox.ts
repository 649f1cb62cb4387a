import fs from 'node:fs/promises';
import path from 'node:path';
import type { Deps } from '../deps.ts';
import { type OrganisationAccess, requireSession } from '../orgs/organisation-access.ts';
import { AppError } from '../platform/errors.ts';
import { OUTBOX_ORGANISATION_HEADER } from '../platform/mailer.ts';
import { decodeHeader, type MailHeaders, messageText, splitMessage } from './eml.ts';

/**
 * The dev mailbox: the outbox's `.eml` files about one organisation, for its owners, while there is
 * no SMTP relay. It shows reporters' private links, so owners only, signed in, never by API token.
 */

/** An outbox file name as the mailer writes it (timestamp, random part): the only ids accepted. */
export const DEV_MAIL_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[A-Za-z0-9_-]{1,64}\.eml$/;

export const DEV_MAILBOX_LIMIT = 200;
/** Newest files looked at per listing, so a huge outbox still answers quickly. */
const SCAN_LIMIT = 20_000;
/** Headers are read from the start of a file; nodemailer's are a few hundred bytes. */
const HEAD_BYTES = 64 * 1024;

export type DevMailSummary = {
  id: string;
  date: string | null;
  from: string;
  to: string;
  subject: string;
};
export type DevMail = DevMailSummary & { text: string };

function requireDevMailbox(deps: Pick<Deps, 'mailer'>, access: OrganisationAccess): string {
  if (access.role !== 'owner') {
    throw new AppError('auth.forbidden', 'Only owners can open the dev mailbox.');
  }
  requireSession(access);
  const dir = deps.mailer.outboxDir;
  if (!dir) throw new AppError('request.not_found', 'Mail goes out through SMTP: there is no dev mailbox.');
  return dir;
}

function summary(id: string, headers: MailHeaders): DevMailSummary {
  const date = new Date(headers.get('date') ?? '');
  return {
    id,
    date: Number.isNaN(date.getTime()) ? null : date.toISOString(),
    from: decodeHeader(headers.get('from') ?? ''),
    to: decodeHeader(headers.get('to') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
  };
}

const belongsTo = (headers: MailHeaders, access: OrganisationAccess) =>
  headers.get(OUTBOX_ORGANISATION_HEADER.toLowerCase()) === access.organisation.id;

async function readHead(file: string): Promise<Buffer | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    // Removed between listing and reading (someone cleaned the outbox): not there.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    await handle?.close();
  }
}

/** The organisation's outgoing mail, newest first (file names start with the time written). */
export async function listDevMailbox(
  deps: Pick<Deps, 'mailer'>,
  access: OrganisationAccess,
): Promise<{ messages: DevMailSummary[]; truncated: boolean }> {
  const dir = requireDevMailbox(deps, access);
  const names = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((name) => DEV_MAIL_ID.test(name))
    .sort()
    .reverse()
    .slice(0, SCAN_LIMIT);
  const messages: DevMailSummary[] = [];
  const batch = 32;
  for (let i = 0; i < names.length && messages.length <= DEV_MAILBOX_LIMIT; i += batch) {
    const chunk = names.slice(i, i + batch);
    const heads = await Promise.all(chunk.map((name) => readHead(path.join(dir, name))));
    chunk.forEach((name, n) => {
      const head = heads[n];
      if (!head) return;
      const { headers } = splitMessage(head);
      if (belongsTo(headers, access)) messages.push(summary(name, headers));
    });
  }
  return {
    messages: messages.slice(0, DEV_MAILBOX_LIMIT),
    truncated: messages.length > DEV_MAILBOX_LIMIT,
  };
}

/** One message with its decoded text; another organisation's mail is as absent as a missing file. */
export async function readDevMail(
  deps: Pick<Deps, 'mailer'>,
  access: OrganisationAccess,
  id: string,
): Promise<DevMail> {
  const dir = requireDevMailbox(deps, access);
  const notFound = new AppError('request.not_found', 'No such message in the dev mailbox.');
  if (!DEV_MAIL_ID.test(id)) throw notFound;
  const raw = await fs.readFile(path.join(dir, id)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!raw) throw notFound;
  const { headers, body } = splitMessage(raw);
  if (!belongsTo(headers, access)) throw notFound;
  return { ...summary(id, headers), text: messageText(headers, body) };
}
