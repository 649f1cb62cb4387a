import { z } from 'zod';
import { isLoopbackHost, OAuthRefusal } from './imap-connection.ts';

/** The OAuth2 client Haven uses to turn the stored refresh token into an access token. */
export type OAuthClient = {
  tokenUrl: string;
  clientId: string;
  /** Absent for a public client. */
  clientSecret: string | null;
  scope: string | null;
};

/** An access token, kept in memory only; `expiresAt` already allows for the margin below. */
export type AccessToken = { accessToken: string; expiresAt: Date | null };

/** Access tokens per mailbox, kept by one poller between polls; `basis` tells a stale entry. */
export type AccessTokenCache = Map<string, AccessToken & { basis: string }>;

const TOKEN_TIMEOUT_MS = 15_000;
/** A token is renewed this long before it runs out: a poll may start just before that. */
const EXPIRY_MARGIN_SECONDS = 120;

/** https, or http to this machine only: the refresh token and client secret cross the network in the body. */
export function isAllowedTokenUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** What RFC 6749 section 5.1 says a token response holds; anything else in it is ignored. */
const tokenResponse = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.coerce
    .number()
    .int()
    .positive()
    .max(366 * 86_400)
    .optional(),
  refresh_token: z.string().min(1).max(16_384).optional(),
});
const errorResponse = z.object({ error: z.string().regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,60}$/) });

/**
 * Gets an access token with the refresh token (grant_type=refresh_token, RFC 6749 section 6),
 * client credentials in the body as Microsoft 365 and Google take them. Returns the new refresh
 * token when the provider rotated it. Throws `OAuthRefusal` with a message of Haven's own: the
 * endpoint's text could echo what was sent.
 */
export async function refreshAccessToken(
  client: OAuthClient,
  refreshToken: string,
  now: Date,
): Promise<AccessToken & { refreshToken: string | undefined }> {
  const host = URL.canParse(client.tokenUrl) ? new URL(client.tokenUrl).host : 'the token endpoint';
  if (!isAllowedTokenUrl(client.tokenUrl))
    throw new OAuthRefusal(
      `The token endpoint ${host} is not https: Haven does not send the refresh token there.`,
    );
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: client.clientId,
  });
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
  if (client.scope) body.set('scope', client.scope);
  let response: Response;
  try {
    response = await fetch(client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      // A redirect would carry the refresh token to wherever it points: not followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new OAuthRefusal(`The token endpoint at ${host} did not answer in time.`);
    const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
    throw new OAuthRefusal(
      `Could not reach the token endpoint at ${host}${/^[A-Z_0-9]{1,40}$/.test(code) ? ` (${code})` : ''}.`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new OAuthRefusal(
      `The token endpoint at ${host} answered with a redirect, which Haven does not follow: use the URL it points to.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readCapped(response, MAX_ANSWER_BYTES));
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const refused = errorResponse.safeParse(json);
    const why = refused.success ? refused.data.error : `HTTP ${response.status}`;
    throw new OAuthRefusal(
      `The token endpoint at ${host} refused to renew the access token (${why}): check the client ID and secret, or sign in to the mail provider again and store a new refresh token.`,
    );
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success)
    throw new OAuthRefusal(`The token endpoint at ${host} did not answer with a bearer access token.`);
  const { access_token, expires_in, refresh_token } = parsed.data;
  const usableFor = expires_in === undefined ? 0 : expires_in - EXPIRY_MARGIN_SECONDS;
  return {
    accessToken: access_token,
    // Without a lifetime, or one shorter than the margin, the token is used once and not kept.
    expiresAt: usableFor > 0 ? new Date(now.getTime() + usableFor * 1000) : null,
    refreshToken: refresh_token !== undefined && refresh_token !== refreshToken ? refresh_token : undefined,
  };
}

/** A token answer is a few hundred bytes; more is not read (an endpoint must not fill Haven's memory). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The body as text, at most `max` bytes; beyond that the stream is cancelled and an error thrown. */
async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new Error('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
