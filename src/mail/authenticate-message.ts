import { authenticate, type DNSResolver } from 'mailauth';

/** What SPF, DKIM and DMARC said about a mail: informative, shown to the team, never a reason to drop it. */
export type MailAuthentication = {
  spf?: string;
  dkim: { domain: string; result: string; aligned: boolean }[];
  dmarc?: string;
  /** The From address is vouched for by a DMARC pass (SPF- or DKIM-aligned). */
  fromVerified: boolean;
  error?: string;
};

export type { DNSResolver };

/** Runs mailauth over the raw message with the given DNS resolver (injected: tests have no network). */
export async function authenticateMessage(
  raw: Buffer,
  envelope: { mailFrom?: string; clientIp?: string; helo?: string },
  options: { resolver: DNSResolver; mta: string },
): Promise<MailAuthentication> {
  try {
    const result = await authenticate(raw, {
      ip: envelope.clientIp,
      helo: envelope.helo,
      sender: envelope.mailFrom || undefined,
      mta: options.mta,
      resolver: options.resolver,
      disableArc: true,
      disableBimi: true,
    });
    const dmarc = result.dmarc ? result.dmarc.status.result : undefined;
    return {
      spf: result.spf ? result.spf.status.result : undefined,
      dkim: (result.dkim.results ?? []).slice(0, 10).map((r) => ({
        domain: String(r.signingDomain ?? ''),
        result: String(r.status.result),
        aligned: Boolean(r.status.aligned),
      })),
      dmarc,
      fromVerified: dmarc === 'pass',
    };
  } catch (error) {
    return { dkim: [], fromVerified: false, error: (error as Error).message.slice(0, 500) };
  }
}
