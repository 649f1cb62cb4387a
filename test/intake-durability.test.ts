import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/database.ts';
import { openDatabase } from '../src/platform/db.ts';
import { engines, eventually, outboxMessages } from './harness.ts';
import { type LiveHaven, type LiveStore, liveStore, provisionOrganisation } from './live-haven.ts';

/**
 * "Nothing they send may ever be lost": the real `haven start` on storage that outlives it is
 * killed (SIGKILL, no shutdown) the moment a submission's 201 arrives, and started again.
 */

type Receipt = { reference: string; token: string; caseUrl: string };
type Sent = { key: string; body: ReturnType<typeof report>; receipt: Receipt };

const SEQUENTIAL_ROUNDS = 2;
const CONCURRENT = 4;

function report(n: string) {
  return {
    title: `Stored XSS in the search box (${n})`,
    assets: ['https://shop.acme.test/search'],
    steps:
      'Type a script element into the search box and submit it. The search term is shown on the results page without escaping, so the script runs in the browser of everyone who opens a shared results link.',
    impact: 'Session theft for anyone who opens a crafted link.',
    reporter: { identity: 'named', name: 'Rita Reporter', email: `rita+${n}@reporter.test` },
    language: 'en',
    acceptedPolicyVersion: 1,
  };
}

/** Runs `work` on the store's database while no Haven runs on it (PGlite allows one process). */
async function withStoppedDatabase<T>(
  store: LiveStore,
  work: (db: Awaited<ReturnType<typeof openDatabase<Database>>>['db']) => Promise<T>,
): Promise<T> {
  const config = loadConfig(store.env);
  const handle = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/**
 * On PostgreSQL a job the killed node had claimed is retried once its 30-second heartbeat is missed
 * and pg-boss's supervisor (every 60 s) notices. Rather than wait that minute, this moves the claims
 * of the dead process back by their expiry: what the clock would do. Counts them. (Embedded, Haven
 * itself retries them at start: the data-dir lock proves their process is gone. Not done there.)
 */
async function expireClaimsOfTheDead(store: LiveStore, engine: string): Promise<number> {
  if (engine !== 'postgres') return 0;
  return withStoppedDatabase(store, async (db) => {
    const result = await sql`
      update pgboss.job set started_on = started_on - make_interval(secs => expire_seconds),
        heartbeat_on = heartbeat_on - interval '1 hour'
      where name = 'intake.acknowledge' and state = 'active'
        and started_on > now() - make_interval(secs => expire_seconds)`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });
}

for (const engine of engines()) {
  describe(`intake durability on ${engine}`, () => {
    let store: LiveStore;
    let apiToken: string;
    let running: LiveHaven | undefined;

    before(async () => {
      store = await liveStore(engine, 'haven-intake-durability-');
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

    const submit = (body: unknown, key: string) =>
      fetch(`${store.base}/api/v1/orgs/acme/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const staff = async (path: string) => {
      const response = await fetch(`${store.base}/api/v1/orgs/acme${path}`, {
        headers: { authorization: `Bearer ${apiToken}` },
      });
      assert.equal(response.status, 200, await response.clone().text());
      return response.json();
    };
    const staffReferences = async () =>
      ((await staff('/cases?limit=200')) as { cases: { reference: string }[] }).cases
        .map((c) => c.reference)
        .sort();

    /** The case the 201 promised: the team sees it, the reporter's token opens it, a retry changes nothing. */
    async function assertSurvived(sent: Sent) {
      const { reference, token } = sent.receipt;
      assert.equal((await staff(`/cases/${reference}`)).reference, reference);
      const mine = await fetch(`${store.base}/api/v1/reporter/case`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(mine.status, 200, `the reporter's token opens ${reference}`);
      assert.equal(((await mine.json()) as { reference: string }).reference, reference);
      const retry = await submit(sent.body, sent.key);
      assert.equal(retry.status, 201);
      assert.deepEqual(await retry.json(), sent.receipt, 'the retry answers with the first receipt');
    }

    test('a report answered 201 is there after SIGKILL and restart; its Idempotency-Key replays it', async (t) => {
      const sent: Sent[] = [];
      const inFlightAtKill: number[] = [];
      running = await store.start();
      for (let round = 1; round <= SEQUENTIAL_ROUNDS; round += 1) {
        const body = report(`${engine}-${round}`);
        const key = `durability-${randomUUID()}`;
        const response = await submit(body, key);
        const text = await response.text();
        await running.kill(); // the moment the answer is in: nothing gets to drain or flush
        running = undefined;
        assert.equal(response.status, 201, text);
        sent.push({ key, body, receipt: JSON.parse(text) as Receipt });
        inFlightAtKill.push(await expireClaimsOfTheDead(store, engine));

        running = await store.start();
        const last = sent.at(-1);
        assert.ok(last);
        await assertSurvived(last);
        assert.deepEqual(
          await staffReferences(),
          sent.map((s) => s.receipt.reference).sort(),
          'one case per report: neither the kill nor the retry made a second one',
        );
      }

      // Several reports in flight at once; the process dies as the first answer arrives.
      const batch = Array.from({ length: CONCURRENT }, (_, i) => ({
        key: `durability-${randomUUID()}`,
        body: report(`${engine}-concurrent-${i}`),
      }));
      const live = running;
      let killed: Promise<void> | undefined;
      const answered = await Promise.all(
        batch.map(async ({ key, body }) => {
          try {
            const response = await submit(body, key);
            const text = await response.text();
            const first = killed === undefined;
            killed ??= live.kill();
            return response.status === 201 && first ? (JSON.parse(text) as Receipt) : undefined;
          } catch {
            return undefined; // the connection died with the process: the reporter would retry
          }
        }),
      );
      await killed;
      running = undefined;
      assert.equal(answered.filter((r) => r !== undefined).length, 1, 'an answer arrived before the kill');
      inFlightAtKill.push(await expireClaimsOfTheDead(store, engine));

      running = await store.start();
      for (const [i, item] of batch.entries()) {
        const earlier = answered[i];
        if (earlier) {
          await assertSurvived({ ...item, receipt: earlier });
          sent.push({ ...item, receipt: earlier });
          continue;
        }
        // No answer, or one after the kill: the reporter retries; committed or not, one case results.
        const retry = await submit(item.body, item.key);
        assert.equal(retry.status, 201);
        const receipt = (await retry.json()) as Receipt;
        await assertSurvived({ ...item, receipt });
        sent.push({ ...item, receipt });
      }
      const references = sent.map((s) => s.receipt.reference).sort();
      assert.equal(new Set(references).size, SEQUENTIAL_ROUNDS + CONCURRENT);
      assert.deepEqual(await staffReferences(), references, 'one case per Idempotency-Key');

      // The acknowledgement job was committed with each case: every reporter gets it, however it died.
      const acknowledgements = (reference: string) =>
        outboxMessages(store.outbox).filter((m) => m.includes(`Subject: Report ${reference} received`));
      await eventually(() => references.every((r) => acknowledgements(r).length >= 1) || undefined, 120_000);
      assert.equal(await running.stop(), 0, 'the last run shuts down cleanly');
      running = undefined;
      const counts = references.map((r) => acknowledgements(r).length);
      t.diagnostic(
        `${engine}: acknowledgement jobs claimed by the process at each kill: ${inFlightAtKill.join(', ')}; ` +
          `acknowledgement mails per case: ${counts.join(', ')}`,
      );
      for (const [i, reference] of references.entries()) {
        assert.ok((counts[i] ?? 0) >= 1, `${reference} is acknowledged`);
      }
      const jobs = await withStoppedDatabase(store, async (db) => {
        const rows = await sql<{ reference: string; jobs: number }>`
          select c.reference, count(j.id)::int as jobs from cases c
          left join pgboss.job j on j.name = 'intake.acknowledge' and j.data->>'caseId' = c.id::text
          group by c.reference order by c.reference`.execute(db);
        return rows.rows;
      });
      assert.deepEqual(
        jobs,
        references.map((reference) => ({ reference, jobs: 1 })),
        'one acknowledgement job per case: a replayed submission enqueues none',
      );
    });
  });
}
