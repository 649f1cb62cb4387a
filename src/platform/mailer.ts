import fs from 'node:fs';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { randomToken } from './crypto.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
  messageId?: string;
  /** The organisation the mail is about: the dev mailbox shows each organisation only its own. */
  organisationId?: string;
};

/** Outbox files only: which organisation a message belongs to (never sent over SMTP). */
export const OUTBOX_ORGANISATION_HEADER = 'X-Haven-Organisation';

export type Mailer = {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
  /** Where mail lands when there is no SMTP relay (the embedded default), else undefined. */
  outboxDir: string | undefined;
};

/**
 * Outgoing mail goes through `SMTP_URL` when set, otherwise into `.eml` files in the outbox directory
 * (written whole, then renamed into place, so a reader never sees half a message).
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  outboxDir: string;
  from: string;
}): Mailer {
  const transport: Transporter = options.smtpUrl
    ? createTransport(options.smtpUrl)
    : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  if (!options.smtpUrl) fs.mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 });
  return {
    outboxDir: options.smtpUrl ? undefined : options.outboxDir,
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers:
          !options.smtpUrl && mail.organisationId
            ? { ...mail.headers, [OUTBOX_ORGANISATION_HEADER]: mail.organisationId }
            : mail.headers,
        messageId: mail.messageId,
      });
      const messageId = String(info.messageId);
      if (!options.smtpUrl) {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomToken(6)}.eml`;
        const tmp = path.join(options.outboxDir, `.${name}.tmp`);
        fs.writeFileSync(tmp, (info as unknown as { message: Buffer }).message, { mode: 0o600 });
        fs.renameSync(tmp, path.join(options.outboxDir, name));
      }
      return { messageId };
    },
    close() {
      transport.close();
    },
  };
}
