import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { engines, eventually, mailText, outboxMessages } from './harness.ts';
import { type LiveHaven, type LiveStore, liveStore, provisionOrganisation } from './live-haven.ts';

/**
 * A whole reporter and staff journey against the real `haven start`, behind a proxy that names the
 * client (HAVEN_TRUST_PROXY=1, X-Forwarded-For), so Haven does know a client address. Everything the
 * process writes is read afterwards: it must hold no token, no client address and none of the
 * reporter's personal data, and every request must have its access-log line.
 */

const CLIENT_ADDRESS = '203.0.113.77';
const EMAIL = 'rita.reporter@example.net';
const PHONE = '+31 6 48151623';
const NAMED_ADDRESSES = ['198.51.100.23', '2001:db8::4242'];
const COOKIE = '__Secure-haven_reporter';
const STEPS =
  'Open the login page and add a redirect parameter that points to another site. After signing in, the browser is sent to that site without any check, so a phishing link can start on the real login page.';

type Logged = { requestId: string; method: string; route: string; status: number };

for (const engine of engines()) {
  describe(`intake logs on ${engine}`, () => {
    let store: LiveStore;
    let apiToken: string;
    let running: LiveHaven | undefined;

    before(async () => {
      store = await liveStore(engine, 'haven-intake-logging-');
      ({ apiToken } = await provisionOrganisation(store, {
        slug: 'acme',
        name: 'Acme',
        preset: 'reconi',
        owner: 'olga@acme.test',
      }));
    });
    after(async () => {
      await running?.kill();
      await store?.drop();
    });

    test('the logs of a whole reporter and staff journey hold no token, client address or personal data', async () => {
      running = await store.start({ HAVEN_TRUST_PROXY: '1' });
      const expected: Logged[] = [];
      const tokens = new Set<string>();
      const keep = (text: string) => {
        for (const token of text.match(/havenr_[A-Za-z0-9_-]{43}/g) ?? []) tokens.add(token);
      };

      /** One request as the reporter's or the team's client sends it, through the proxy. */
      async function call(
        method: string,
        path: string,
        route: string,
        status: number,
        init: { headers?: Record<string, string>; json?: unknown; form?: FormData } = {},
      ): Promise<Response> {
        const response = await fetch(`${store.base}${path}`, {
          method,
          redirect: 'manual',
          headers: {
            'x-forwarded-for': CLIENT_ADDRESS,
            ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...init.headers,
          },
          body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
        });
        const body = await response.clone().text();
        assert.equal(response.status, status, `${method} ${route}: ${body.slice(0, 300)}`);
        keep(body);
        keep(response.headers.get('set-cookie') ?? '');
        keep(response.headers.get('location') ?? '');
        const requestId = response.headers.get('x-request-id');
        assert.ok(requestId, `${method} ${route} answers with a request id`);
        expected.push({ requestId, method, route, status });
        return response;
      }
      const staff = { authorization: `Bearer ${apiToken}` };
      const as = (token: string) => ({ authorization: `Bearer ${token}` });

      // The reporter finds the form and reports: once named (JSON), once anonymously with a screenshot.
      await call('GET', '/o/acme/report', '/o/:org/report', 200);
      const challenge = await (
        await call('GET', '/api/v1/orgs/acme/reports/challenge', '/api/v1/orgs/:org/reports/challenge', 200)
      ).json();
      const { solveChallenge } = await import('altcha-lib');
      const { deriveKey } = await import('altcha-lib/algorithms/sha');
      const solution = await solveChallenge({ challenge, deriveKey });
      assert.ok(solution);
      const altcha = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
      const report = {
        title: 'Open redirect on the login page',
        assets: ['https://login.acme.test/?redirect=https://evil.test'],
        ipAddresses: NAMED_ADDRESSES,
        steps: STEPS,
        impact: 'Phishing that starts on a trusted address.',
        language: 'en',
        acceptedPolicyVersion: 1,
      };
      const named = (await (
        await call('POST', '/api/v1/orgs/acme/reports', '/api/v1/orgs/:org/reports', 201, {
          headers: { 'idempotency-key': 'logging-journey-0001' },
          json: {
            ...report,
            reporter: { identity: 'named', name: 'Rita Reporter', email: EMAIL, phone: PHONE },
          },
        })
      ).json()) as { reference: string; token: string };
      const form = new FormData();
      form.append('report', JSON.stringify({ ...report, reporter: { identity: 'anonymous' }, altcha }));
      const png = await sharp({
        create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 90, b: 200 } },
      })
        .png()
        .toBuffer();
      form.append('attachments', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'screenshot.png');
      const anonymous = (await (
        await call('POST', '/api/v1/orgs/acme/reports', '/api/v1/orgs/:org/reports', 201, { form })
      ).json()) as { reference: string; token: string };

      // The reporter reads the case; the team lists, reads and answers it, with an internal note.
      await call('GET', '/api/v1/reporter/case', '/api/v1/reporter/case', 200, { headers: as(named.token) });
      await call('GET', '/api/v1/reporter/case', '/api/v1/reporter/case', 200, {
        headers: as(anonymous.token),
      });
      await call('GET', '/api/v1/orgs/acme/cases', '/api/v1/orgs/:org/cases', 200, { headers: staff });
      const caseRoute = '/api/v1/orgs/:org/cases/:reference';
      await call('GET', `/api/v1/orgs/acme/cases/${named.reference}`, caseRoute, 200, { headers: staff });
      await call(
        'POST',
        `/api/v1/orgs/acme/cases/${named.reference}/messages`,
        `${caseRoute}/messages`,
        201,
        {
          headers: staff,
          json: { body: 'Thank you, we are looking into it.' },
        },
      );
      await call('POST', `/api/v1/orgs/acme/cases/${named.reference}/notes`, `${caseRoute}/notes`, 201, {
        headers: staff,
        json: { body: 'Reproduced on staging.' },
      });

      // The reporter answers, renews the link, loses it, and recovers access by e-mail.
      const messages = '/api/v1/reporter/case/messages';
      await call('GET', messages, messages, 200, { headers: as(named.token) });
      await call('POST', messages, messages, 201, {
        headers: as(named.token),
        json: { body: 'Glad to help; it also works on the mobile login.' },
      });
      const renewed = (await (
        await call('POST', '/api/v1/reporter/case/link', '/api/v1/reporter/case/link', 201, {
          headers: as(named.token),
        })
      ).json()) as { token: string };
      await call('GET', '/api/v1/reporter/case', '/api/v1/reporter/case', 404, { headers: as(named.token) });
      await call('GET', '/api/v1/reporter/case', '/api/v1/reporter/case', 200, {
        headers: as(renewed.token),
      });
      await call('POST', '/api/v1/reporter/recover', '/api/v1/reporter/recover', 202, {
        json: { reference: named.reference, email: EMAIL },
      });

      // Mail: the acknowledgement, the team's answer and the recovery link, each with a link token.
      const mails = () => outboxMessages(store.outbox).map(mailText);
      const recovery = await eventually(() => {
        const all = mails();
        const ack = all.some((m) => m.includes(named.reference) && m.includes('/r/havenr_'));
        return ack ? all.find((m) => /works once/.test(m)) : undefined;
      }, 30_000);
      for (const mail of mails()) keep(mail);
      const recoveryToken = /havenr_[A-Za-z0-9_-]{43}/.exec(recovery)?.[0];
      assert.ok(recoveryToken, 'the recovery mail holds a link');

      // The reporter's pages: a link from a mail is exchanged for a cookie, then the case page.
      const opened = await call('GET', `/r/${recoveryToken}`, '/r/:token', 303);
      const cookie = opened.headers.get('set-cookie')?.match(new RegExp(`${COOKIE}=[^;]+`))?.[0];
      assert.ok(cookie, 'the link becomes a cookie');
      await call('GET', '/r/case', '/r/case', 200, { headers: { cookie } });
      await call('GET', `/r/${renewed.token}`, '/r/:token', 303);
      await call('GET', `/r/${named.token}`, '/r/:token', 404); // revoked by the renewal

      assert.equal(await running.stop(), 0, 'a clean shutdown: every log line is written');
      const output = running.output();
      running = undefined;

      const lines = output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const want of expected) {
        const line = lines.find((l) => l.msg === 'request' && l.requestId === want.requestId);
        assert.ok(line, `an access-log line for ${want.method} ${want.route}`);
        assert.deepEqual(
          { method: line.method, route: line.route, status: line.status },
          { method: want.method, route: want.route, status: want.status },
        );
      }

      assert.ok(tokens.size >= 6, `the journey handed out link tokens (${tokens.size})`);
      const secrets = [
        ...tokens,
        ...[...tokens].map((t) => t.slice('havenr_'.length)),
        'havenr_',
        apiToken,
        apiToken.slice('haven_'.length),
        CLIENT_ADDRESS,
        EMAIL,
        PHONE,
        PHONE.replace(/\D/g, ''),
        ...NAMED_ADDRESSES,
        'olga@acme.test',
      ];
      for (const secret of secrets) {
        assert.equal(output.includes(secret), false, `the log holds ${secret.slice(0, 14)}…`);
      }
    });
  });
}
