import fs from 'node:fs';
import path from 'node:path';
import { randomToken } from './crypto.ts';

/** Text messages (SMS) to a phone number, e.g. to ask a reporter for the password of a locked file. */
export type Notifier = {
  sendText(to: string, text: string): Promise<void>;
  /** Where texts land when no provider is configured (the development outbox), else undefined. */
  outboxDir: string | undefined;
};

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Texts go as JSON `{ to, text }` to `webhookUrl` (any SMS gateway behind a small webhook), with an
 * optional bearer token; without a webhook they are written to `outboxDir` as `.txt` files.
 */
export function createNotifier(options: {
  webhookUrl: string | undefined;
  webhookToken: string | undefined;
  outboxDir: string;
}): Notifier {
  if (options.webhookUrl) return webhookNotifier(options.webhookUrl, options.webhookToken);
  return outboxNotifier(options.outboxDir);
}

function webhookNotifier(url: string, token: string | undefined): Notifier {
  return {
    outboxDir: undefined,
    async sendText(to, text) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ to, text }),
        redirect: 'error',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // The body may echo the number or the text: only the status is reported.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new Error(`the SMS webhook answered ${response.status}`);
    },
  };
}

function outboxNotifier(dir: string): Notifier {
  return {
    outboxDir: dir,
    async sendText(to, text) {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomToken(6)}.txt`;
      const tmp = path.join(dir, `.${name}.tmp`);
      // Written whole, then renamed into place: a reader never sees half a message.
      await fs.promises.writeFile(tmp, `To: ${to}\n\n${text}\n`, { mode: 0o600 });
      await fs.promises.rename(tmp, path.join(dir, name));
    },
  };
}
