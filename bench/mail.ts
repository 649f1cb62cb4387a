/**
 * Mail intake under sustained load: messages per second from SMTP to a committed case. Haven's
 * inbound SMTP listener answers 250 only once the mail is a case, so the figure is end to end.
 * Two kinds of mail to `acme@haven.test` (an organisation on the `reconi` preset): (a) ~2 KB plain
 * text, (b) ~100 KB PGP/MIME (RFC 3156) encrypted with openpgp to the organisation's key, drawn from
 * a pool built before measuring. Every message has its own Message-ID, so the idempotency hash over
 * the raw message never dedupes one. nodemailer sends over a pool of SMTP connections, one message
 * in flight per connection, from this process (the load shares the event loop with Haven). SPF/DKIM/
 * DMARC run against a fake resolver: no network. Rate limits and proof-of-work are off, the job
 * workers run (each case gets its acknowledgement). A non-250 answer counts as an error; after the
 * run the number of cases must equal the number of accepted messages.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import * as openpgp from 'openpgp';
import { ensureUser } from '../src/auth/ensure-user.ts';
import type { RateLimits } from '../src/deps.ts';
import { type InboundSmtp, startInboundSmtp } from '../src/mail/inbound-smtp.ts';
import { organisationPublicKey } from '../src/openpgp/organisation-public-key.ts';
import { createOrganisation } from '../src/orgs/create-organisation.ts';
import { noRateLimit } from '../src/platform/rate-limiter.ts';
import { publishPresetForNewOrganisation } from '../src/policies/policies.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import {
  type Benchmark,
  benchDatabaseUrl,
  benchStore,
  freePort,
  ms,
  type Row,
  runAlone,
  say,
  sleep,
  stats,
} from './lib/common.ts';

const CONNECTIONS = 4;
const DURATION_MS = 10_000;
const WARMUP_MS = 2_000;
const PAUSE_MS = 1_000;
const ORG = 'acme';
const HOST = 'haven.test';
const TO = `${ORG}@${HOST}`;
const FROM = 'femke@researcher.test';
const MAX_BYTES = 1024 * 1024;
const PGP_POOL = 50;
const PGP_TARGET_BYTES = 100 * 1024;

const NO_LIMITS: Partial<RateLimits> = {
  signInPerAccount: noRateLimit,
  signInPerClient: noRateLimit,
  mailRequestsPerClient: noRateLimit,
  mailsPerAccount: noRateLimit,
  submissionsPerClient: noRateLimit,
  reporterMessagesPerCase: noRateLimit,
  http: false,
};

/** No DNS records at all: SPF/DKIM/DMARC come out `none`, without touching the network. */
async function fakeResolver(name: string): Promise<string[][]> {
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

const PARAGRAPH =
  'The password reset form at https://mijn.reconi.test/account/reset accepts a return address in the ' +
  'parameter "next" and sends the browser there after the new password is saved, without checking that ' +
  'the address belongs to Reconi. I tested this only with my own account and stopped as soon as the ' +
  'redirect was confirmed.';

let sequence = 0;
const unique = () =>
  `${Date.now().toString(36)}.${(sequence++).toString(36)}.${randomBytes(4).toString('hex')}`;

function rawMail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** ~2 KB of plain text, unique text and Message-ID. */
function plainMail(): string {
  const id = unique();
  const body = [
    `Hello Reconi security team (ref ${id}),`,
    '',
    ...Array.from({ length: 5 }, () => PARAGRAPH),
    '',
    'Femke de Vries',
  ].join('\n');
  return rawMail(
    {
      From: `Femke de Vries <${FROM}>`,
      To: TO,
      Subject: `Open redirect after password reset (${id})`,
      'Message-ID': `<${id}@researcher.test>`,
      Date: new Date().toUTCString(),
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=utf-8',
    },
    body,
  );
}

/** The inner MIME part of a PGP/MIME mail: a short text and a log file, about 88 KB together. */
function innerPart(n: number): string {
  const log = Array.from(
    { length: 910 },
    (_, i) =>
      `2026-11-23T12:${String(i % 60).padStart(2, '0')}:00Z GET /account/reset?next=https://attacker.example/${n}/${i} 302`,
  ).join('\r\n');
  return [
    'Content-Type: multipart/mixed; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${PARAGRAPH} (encrypted report ${n})`,
    '--inner',
    'Content-Type: text/plain; name="requests.log"',
    'Content-Disposition: attachment; filename="requests.log"',
    '',
    log,
    '--inner--',
    '',
  ].join('\r\n');
}

/** A pool of distinct armored ciphertexts to the organisation's key, made before measuring. */
async function pgpPool(armoredKey: string): Promise<string[]> {
  const key = await openpgp.readKey({ armoredKey });
  const pool: string[] = [];
  for (let n = 0; n < PGP_POOL; n++) {
    const message = await openpgp.createMessage({ binary: Buffer.from(innerPart(n)) });
    pool.push(String(await openpgp.encrypt({ message, encryptionKeys: key })).trim());
  }
  return pool;
}

/** A PGP/MIME mail around one of the pool's ciphertexts; its own Message-ID makes the raw mail unique. */
function pgpMail(armored: string): string {
  const id = unique();
  return rawMail(
    {
      From: `Femke de Vries <${FROM}>`,
      To: TO,
      Subject: '...',
      'Message-ID': `<${id}@researcher.test>`,
      Date: new Date().toUTCString(),
      'MIME-Version': '1.0',
      'Content-Type': 'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"',
    },
    [
      '--outer',
      'Content-Type: application/pgp-encrypted',
      '',
      'Version: 1',
      '--outer',
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      '',
      armored,
      '--outer--',
    ].join('\n'),
  );
}

async function seed(runtime: Runtime): Promise<string> {
  const { deps } = runtime;
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { user } = await ensureUser(trx, { email: 'owner@acme.test', name: 'Bench Owner', now });
    const organisation = await createOrganisation(deps, trx, {
      slug: ORG,
      name: 'Acme',
      defaultLanguage: 'en',
      timezone: 'Europe/Amsterdam',
      ownerUserId: user.id,
    });
    await publishPresetForNewOrganisation(deps, trx, organisation.id, 'reconi');
    return organisation.id;
  });
}

type Measured = {
  rate: number;
  p50: number;
  p99: number;
  max: number;
  accepted: number;
  errors: number;
  /** Accepted over the whole drive, warm-up included. */
  acceptedTotal: number;
  note: string;
};

/** CONNECTIONS loops, each one message in flight, for WARMUP_MS then DURATION_MS. */
async function drive(port: number, next: () => string): Promise<Measured> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
    name: 'mail.researcher.test',
  });
  const started = performance.now();
  const measureFrom = started + WARMUP_MS;
  const end = measureFrom + DURATION_MS;
  const latencies: number[] = [];
  let acceptedTotal = 0;
  let errors = 0;
  const codes = new Map<string, number>();
  let firstError = '';
  const loop = async () => {
    while (performance.now() < end) {
      const raw = next();
      const t0 = performance.now();
      let ok = false;
      try {
        const info = await transport.sendMail({ envelope: { from: FROM, to: [TO] }, raw });
        ok = /^250[ -]/.test(info.response);
        if (!ok) firstError ||= info.response;
      } catch (error) {
        const code = String((error as { responseCode?: number }).responseCode ?? 'failed');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        firstError ||= error instanceof Error ? error.message : String(error);
      }
      const t1 = performance.now();
      if (ok) acceptedTotal++;
      if (t1 >= measureFrom && t1 <= end) {
        if (ok) latencies.push(t1 - t0);
        else errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  transport.close();
  const s = stats(latencies);
  const note = [
    ...[...codes].map(([code, n]) => `${n}×${code}`),
    ...(firstError ? [`first: ${firstError}`] : []),
  ];
  return {
    rate: (latencies.length / DURATION_MS) * 1000,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    accepted: latencies.length,
    errors,
    acceptedTotal,
    note: note.join('; '),
  };
}

const figures = (m: Measured) =>
  `${m.rate.toFixed(1)} msg/s  p50 ${ms(m.p50)}  p99 ${ms(m.p99)}  errors ${m.errors}` +
  `  (${m.accepted} in ${DURATION_MS / 1000} s, max ${ms(m.max)})`;

async function countCases(runtime: Runtime): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from cases`.execute(runtime.deps.db);
  return Number(rows[0]?.n ?? 0);
}

async function measure(engine: 'pglite' | 'postgres', serverUrl: string | undefined): Promise<Row[]> {
  const store = await benchStore(engine, serverUrl, `http://${HOST}`);
  const { label, config, log } = store;
  const rows: Row[] = [];
  let runtime: Runtime | undefined;
  let smtp: InboundSmtp | undefined;
  try {
    runtime = await openRuntime(config, { log, limits: NO_LIMITS, proofOfWork: null });
    await runtime.deps.jobs.startWorkers();
    const organisationId = await seed(runtime);
    smtp = await startInboundSmtp(runtime.deps, {
      host: '127.0.0.1',
      port: await freePort(),
      maxBytes: MAX_BYTES,
      resolver: fakeResolver,
    });
    const key = await organisationPublicKey(runtime.deps, organisationId);
    const t = performance.now();
    const pool = await pgpPool(key.armored);
    let drawn = 0;
    const nextPgp = () => pgpMail(pool[drawn++ % pool.length] ?? '');
    const plainSize = Buffer.byteLength(plainMail());
    const pgpSize = Buffer.byteLength(nextPgp());
    say(
      `  ${label}: plain mail ${(plainSize / 1024).toFixed(1)} KB, PGP/MIME mail ${(pgpSize / 1024).toFixed(1)} KB ` +
        `(pool of ${PGP_POOL} made in ${ms(performance.now() - t)})`,
    );
    if (pgpSize < PGP_TARGET_BYTES * 0.9) throw new Error(`the PGP/MIME mail is only ${pgpSize} B`);

    const kinds = [
      { what: '2 KB plain text', next: plainMail },
      { what: '100 KB PGP/MIME', next: nextPgp },
    ];
    for (const kind of kinds) {
      const before = await countCases(runtime);
      const m = await drive(smtp.port, kind.next);
      const cases = (await countCases(runtime)) - before;
      const check =
        cases === m.acceptedTotal
          ? `cases ${cases} = accepted ${m.acceptedTotal}`
          : `MISMATCH: cases ${cases} ≠ accepted ${m.acceptedTotal}`;
      say(`  ${label} ${kind.what}: ${figures(m)}; ${check}${m.note ? `; ${m.note}` : ''}`);
      rows.push({
        bench: 'mail',
        engine: label,
        what: `SMTP → case, ${kind.what}, ${CONNECTIONS} conns`,
        figures: `${figures(m)}; ${check}`,
      });
      await sleep(PAUSE_MS);
    }
  } finally {
    await smtp?.close();
    await runtime?.close();
    await store.close();
  }
  return rows;
}

export const mail: Benchmark = {
  name: 'mail',
  async run() {
    const serverUrl = benchDatabaseUrl();
    say(
      `mail: nodemailer (pool of ${CONNECTIONS} SMTP connections, one message in flight each, same process) → ` +
        `Haven's inbound SMTP on 127.0.0.1 → committed case (250); ${WARMUP_MS / 1000} s warm-up then ` +
        `${DURATION_MS / 1000} s per kind; reconi preset; fake DNS; rate limits off; latency = send to 250; ` +
        'non-250 = error',
    );
    const rows = await measure('pglite', undefined);
    if (serverUrl) rows.push(...(await measure('postgres', serverUrl)));
    else say('  postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return rows;
  },
};

if (import.meta.main) await runAlone(mail);
