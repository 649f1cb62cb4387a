import fs from 'node:fs';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Deps } from '../deps.ts';
import type { DNSResolver } from './authenticate-message.ts';
import { ingestMessage, MailRejection } from './ingest-message.ts';
import { resolveIntakeAddress } from './resolve-intake-address.ts';

export type InboundSmtpOptions = {
  host: string;
  port: number;
  maxBytes: number;
  /** PEM files: STARTTLS is offered when both are given. */
  tls?: { certFile: string; keyFile: string };
  /** DNS for SPF/DKIM/DMARC; the system resolver when not given. */
  resolver?: DNSResolver;
};

export type InboundSmtp = { port: number; close(): Promise<void> };

const MAX_RECIPIENTS = 20;
/** Connections at once, in all and from one client address: enough for real senders, not for a flood. */
const MAX_CONNECTIONS = 100;
const MAX_CONNECTIONS_PER_CLIENT = 10;

type SmtpError = Error & { responseCode?: number };
const smtpError = (responseCode: number, message: string): SmtpError =>
  Object.assign(new Error(message), { responseCode });

/**
 * Haven's own MX: takes mail for organisations' intake addresses only (550 for anyone else), up to
 * `maxBytes` (552 beyond), and answers 250 only once the mail is committed as a case; a failure
 * on Haven's side is a 451, so the sending server tries again later and nothing is lost.
 */
export async function startInboundSmtp(deps: Deps, options: InboundSmtpOptions): Promise<InboundSmtp> {
  const tls = options.tls
    ? { cert: fs.readFileSync(options.tls.certFile), key: fs.readFileSync(options.tls.keyFile) }
    : undefined;
  const perClient = new Map<string, number>();
  const server = new SMTPServer({
    name: new URL(deps.config.publicUrl).hostname,
    banner: 'Haven report intake',
    size: options.maxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    disableReverseLookup: true,
    logger: false,
    maxClients: MAX_CONNECTIONS,
    onConnect(session, callback) {
      const count = (perClient.get(session.remoteAddress) ?? 0) + 1;
      perClient.set(session.remoteAddress, count);
      callback(
        count > MAX_CONNECTIONS_PER_CLIENT ? smtpError(421, 'Too many connections from your address') : null,
      );
    },
    onClose(session) {
      const count = (perClient.get(session.remoteAddress) ?? 1) - 1;
      if (count > 0) perClient.set(session.remoteAddress, count);
      else perClient.delete(session.remoteAddress);
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        callback(smtpError(452, 'Too many recipients'));
        return;
      }
      resolveIntakeAddress(deps, address.address).then(
        (slugs) =>
          callback(
            slugs.length > 0 ? null : smtpError(550, `No mailbox here by the name ${address.address}`),
          ),
        (error: unknown) => {
          deps.log.warn({ err: error }, 'smtp: could not resolve a recipient');
          callback(smtpError(451, 'Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(smtpError(451, error.message)));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > options.maxBytes) {
          callback(smtpError(552, `Message exceeds the size limit of ${options.maxBytes} bytes`));
          return;
        }
        deliver(deps, Buffer.concat(chunks), session, options.resolver).then(
          (answer) => callback(null, answer),
          (error: unknown) => {
            if (error instanceof MailRejection) {
              callback(smtpError(error.responseCode, error.message));
              return;
            }
            deps.log.error({ err: error }, 'smtp: could not take in a message; the sender will retry');
            callback(smtpError(451, 'Temporary failure, try again later'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => deps.log.warn({ err: error }, 'smtp: connection error'));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  deps.log.info({ port, starttls: Boolean(tls) }, 'smtp intake listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function deliver(
  deps: Deps,
  raw: Buffer,
  session: SMTPServerSession,
  resolver: DNSResolver | undefined,
): Promise<string> {
  const mailFrom = session.envelope.mailFrom;
  const outcomes = await ingestMessage(
    deps,
    raw,
    {
      recipients: session.envelope.rcptTo.map((r) => r.address),
      mailFrom: mailFrom ? mailFrom.address : '',
      clientIp: session.remoteAddress,
      helo: session.hostNameAppearsAs,
    },
    { kind: 'smtp' },
    { resolver },
  );
  const references = outcomes.flatMap((o) => o.reference ?? []);
  if (references.length > 0) return `Received as ${references.join(', ')}`;
  return outcomes.every((o) => o.duplicate)
    ? 'Received (already taken in)'
    : 'Received (automatic mail, no case)';
}
