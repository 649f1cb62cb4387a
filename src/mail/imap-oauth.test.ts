import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { OAuthRefusal } from './imap-connection.ts';
import { isAllowedTokenUrl, refreshAccessToken } from './imap-oauth.ts';

let answer: (form: URLSearchParams, response: http.ServerResponse) => void;
let base: string;
const server = http.createServer((request, response) => {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    text += chunk;
  });
  request.on('end', () => answer(new URLSearchParams(text), response));
});
const json = (response: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => ({ tokenUrl: `${base}/token`, clientId: 'haven', clientSecret: null, scope: null });
const now = new Date('2026-12-06T10:00:00Z');
const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof OAuthRefusal && error.reason === 'oauth_failed' && pattern.test(error.message);

test('the token URL: https anywhere, http only to this machine, never with credentials or a fragment', () => {
  assert.equal(isAllowedTokenUrl('https://login.microsoftonline.com/common/oauth2/v2.0/token'), true);
  assert.equal(isAllowedTokenUrl('http://127.0.0.1:8080/token'), true);
  assert.equal(isAllowedTokenUrl('http://[::1]/token'), true);
  assert.equal(isAllowedTokenUrl('http://oauth2.googleapis.com/token'), false);
  assert.equal(isAllowedTokenUrl('https://client:secret@oauth2.googleapis.com/token'), false);
  assert.equal(isAllowedTokenUrl('https://oauth2.googleapis.com/token#x'), false);
  assert.equal(isAllowedTokenUrl('file:///etc/passwd'), false);
  assert.equal(isAllowedTokenUrl('token'), false);
});

test('a token answer: kept until two minutes before it expires; a rotated refresh token is handed back', async () => {
  let sent: URLSearchParams | undefined;
  answer = (form, response) => {
    sent = form;
    json(response, 200, {
      access_token: 'at-1',
      token_type: 'bearer',
      expires_in: '3600',
      refresh_token: 'rt-2',
    });
  };
  const token = await refreshAccessToken({ ...client(), clientSecret: 'cs', scope: 'a b' }, 'rt-1', now);
  assert.deepEqual(token, {
    accessToken: 'at-1',
    expiresAt: new Date(now.getTime() + 3480_000),
    refreshToken: 'rt-2',
  });
  assert.deepEqual(Object.fromEntries(sent ?? []), {
    grant_type: 'refresh_token',
    refresh_token: 'rt-1',
    client_id: 'haven',
    client_secret: 'cs',
    scope: 'a b',
  });

  answer = (_form, response) =>
    json(response, 200, { access_token: 'at-2', token_type: 'Bearer', refresh_token: 'rt-1' });
  assert.deepEqual(await refreshAccessToken(client(), 'rt-1', now), {
    accessToken: 'at-2',
    expiresAt: null, // no lifetime given: used once, not kept
    refreshToken: undefined, // the same one again is no rotation
  });
});

test('refusals carry Haven\u2019s words: the error code, never the description or what was sent', async () => {
  answer = (_form, response) =>
    json(response, 400, { error: 'invalid_grant', error_description: 'token rt-secret expired' });
  await assert.rejects(
    refreshAccessToken(client(), 'rt-secret', now),
    (error: unknown) =>
      refused(/refused to renew the access token \(invalid_grant\)/)(error) &&
      !String((error as Error).message).includes('rt-secret'),
  );
  answer = (_form, response) => {
    response.writeHead(502);
    response.end('<html>bad gateway</html>');
  };
  await assert.rejects(refreshAccessToken(client(), 'rt', now), refused(/\(HTTP 502\)/));
  answer = (_form, response) => json(response, 200, { access_token: 'at', token_type: 'mac' });
  await assert.rejects(
    refreshAccessToken(client(), 'rt', now),
    refused(/did not answer with a bearer access token/),
  );
  answer = (_form, response) => json(response, 307, {}, { location: 'https://elsewhere.example/token' });
  await assert.rejects(
    refreshAccessToken(client(), 'rt', now),
    refused(/redirect, which Haven does not follow/),
  );
  await assert.rejects(
    refreshAccessToken({ ...client(), tokenUrl: 'http://login.example.org/token' }, 'rt', now),
    refused(/is not https/),
  );
});

test('an endpoint that answers without end is cut off after 64 KiB, not read into memory', async () => {
  let written = 0;
  answer = (_form, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const more = () => {
      // Stops on its own once the client has gone: a few MiB at the most.
      while (written < 8 * 1024 * 1024 && !response.destroyed) {
        written += chunk.length;
        if (!response.write(chunk)) return response.once('drain', more);
      }
      response.end();
    };
    more();
  };
  await assert.rejects(
    refreshAccessToken(client(), 'rt', now),
    refused(/did not answer with a bearer access token/),
  );
  assert.ok(written < 8 * 1024 * 1024, `the endpoint was stopped after ${written} bytes`);
});
