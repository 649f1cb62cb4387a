import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { sql } from 'kysely';
import sharp from 'sharp';
import { findQpdf } from '../src/intake/locked-documents.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  publishPreset,
  setUp,
  startTestHaven,
  type TestHaven,
  tempDir,
} from './harness.ts';

/** Distinctive, so that a copy anywhere in logs or the database is found. */
const PASSWORD = 'Sesame-7f3a9c-open';
const WRONG_PASSWORD = 'Wrong-b81d44-guess';
const PDF_PASSWORD = 'Pdf-user-2e9d51-secret';

type ZipEntry = { name: string; bytes: Buffer | string };

async function zip(entries: ZipEntry[], options: { password?: string; zipCrypto?: boolean } = {}) {
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    ...options,
    ...(options.password && !options.zipCrypto ? { encryptionStrength: 3 as const } : {}),
  });
  for (const entry of entries) {
    const reader =
      typeof entry.bytes === 'string' ? new TextReader(entry.bytes) : new Uint8ArrayReader(entry.bytes);
    await writer.add(entry.name, reader);
  }
  return Buffer.from(await writer.close());
}

async function pngWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: '#2060c0' } })
    .png()
    .withExif({ IFD0: { Make: 'LockedCam' } })
    .toBuffer();
}

/** A multipart body with part `report` (JSON) and files. */
function multipart(json: unknown, files: { name: string; type: string; bytes: Buffer }[]) {
  const boundary = `----haven${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${JSON.stringify(json)}\r\n`,
    ),
  ];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

let qpdfMissing: string | undefined;

/** An encrypted PDF made by qpdf, or undefined (with the reason in qpdfMissing) where qpdf is absent. */
async function encryptedPdf(userPassword: string): Promise<Buffer | undefined> {
  const qpdf = await findQpdf();
  if (!qpdf) {
    if (process.env.CI === 'true') throw new Error('qpdf is required in CI (apt-get install qpdf)');
    qpdfMissing = 'qpdf is not installed';
    return undefined;
  }
  const dir = tempDir();
  try {
    execFileSync(qpdf, ['--empty', path.join(dir, 'plain.pdf')]);
    execFileSync(qpdf, [
      '--encrypt',
      userPassword,
      'owner-pw',
      '256',
      '--',
      path.join(dir, 'plain.pdf'),
      path.join(dir, 'locked.pdf'),
    ]);
    return fs.readFileSync(path.join(dir, 'locked.pdf'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Attachment = {
  id: string;
  fileName: string;
  mediaType: string;
  locked: boolean;
  lockKind: string | null;
  unlockedFrom: string | null;
  unlockedAt: string | null;
  reencoded: boolean;
  quarantined: boolean;
};

for (const engine of engines()) {
  describe(`password-protected documents on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;

    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
      await publishPreset(owner, 'acme', '9292');
      const ncsc = await addOrganisationWithMember(haven, 'strict', {
        email: 'sam@strict.test',
        role: 'owner',
      });
      await publishPreset(ncsc, 'strict', 'ncsc-nl');
    });
    after(() => haven?.close());

    async function submit(
      files: { name: string; type: string; bytes: Buffer }[],
      org = 'acme',
      phone?: string,
    ) {
      const { payload, headers } = multipart(
        {
          title: 'SQL injection in the search form',
          steps: 'The findings are in the protected document; the password follows by text message.',
          impact: 'Customer records can be read.',
          reporter: { identity: 'named', name: 'Rita Reporter', email: 'rita@example.test', phone },
          language: 'en',
          acceptedPolicyVersion: 1,
        },
        files,
      );
      return haven.app.inject({ method: 'POST', url: `/api/v1/orgs/${org}/reports`, payload, headers });
    }

    async function attachments(reference: string): Promise<Attachment[]> {
      const response = await owner.get(`/api/v1/orgs/acme/cases/${reference}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().attachments;
    }

    const unlock = (reference: string, id: string, password: string) =>
      owner.post(`/api/v1/orgs/acme/cases/${reference}/attachments/${id}/unlock`, { password });

    test('an AES ZIP is stored locked; a wrong password stores nothing; the right one unpacks it safely', async () => {
      const inner = await zip([{ name: 'inner.txt', bytes: 'nested' }]);
      const archive = await zip(
        [
          { name: 'findings/report.txt', bytes: 'Search accepts a quote and breaks the SQL.' },
          { name: 'findings/screenshot.png', bytes: await pngWithExif() },
          { name: '../../../etc/cron.d/evil.txt', bytes: 'path traversal attempt' },
          { name: 'more/inner.zip', bytes: inner },
        ],
        { password: PASSWORD },
      );
      const response = await submit([{ name: 'findings.zip', type: 'application/zip', bytes: archive }]);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const [container] = await attachments(reference);
      assert.ok(container);
      assert.equal(container.locked, true);
      assert.equal(container.lockKind, 'zip');
      assert.equal(container.quarantined, true);

      const wrong = await unlock(reference, container.id, WRONG_PASSWORD);
      assert.equal(wrong.statusCode, 422, wrong.body);
      assert.equal(wrong.json().error.code, 'attachment.wrong_password');
      assert.equal((await attachments(reference)).length, 1);

      const right = await unlock(reference, container.id, PASSWORD);
      assert.equal(right.statusCode, 200, right.body);
      const all = await attachments(reference);
      assert.equal(all.length, 5);
      const children = all.filter((a) => a.unlockedFrom === container.id);
      assert.deepEqual(children.map((a) => a.fileName).sort(), [
        'evil.txt',
        'inner.zip',
        'report.txt',
        'screenshot.png',
      ]);
      const png = children.find((a) => a.fileName === 'screenshot.png');
      assert.equal(png?.reencoded, true);
      assert.equal(png?.quarantined, false);
      const download = await owner.get(`/api/v1/orgs/acme/cases/${reference}/attachments/${png?.id}`);
      assert.equal(download.statusCode, 200);
      assert.ok(!download.rawPayload.includes(Buffer.from('LockedCam')), 'EXIF is gone');
      const text = children.find((a) => a.fileName === 'report.txt');
      const textDownload = await owner.get(`/api/v1/orgs/acme/cases/${reference}/attachments/${text?.id}`);
      assert.equal(textDownload.body, 'Search accepts a quote and breaks the SQL.');
      // The container stays as sent, now marked unlocked; a second unlock is refused.
      const stillThere = all.find((a) => a.id === container.id);
      assert.equal(stillThere?.locked, true);
      assert.ok(stillThere?.unlockedAt);
      const again = await unlock(reference, container.id, PASSWORD);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'attachment.already_unlocked');

      const timeline = (await owner.get(`/api/v1/orgs/acme/cases/${reference}`)).json().timeline;
      const event = timeline.find((e: { kind: string }) => e.kind === 'attachment.unlocked');
      assert.equal(event?.visibility, 'internal');
      assert.equal(event?.data.files, 4);
    });

    test('a ZipCrypto ZIP unlocks with the right password only', async () => {
      const archive = await zip([{ name: 'notes.txt', bytes: 'legacy encryption' }], {
        password: PASSWORD,
        zipCrypto: true,
      });
      const response = await submit([{ name: 'legacy.zip', type: 'application/zip', bytes: archive }]);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const [container] = await attachments(reference);
      assert.equal(container?.lockKind, 'zip');
      const wrong = await unlock(reference, container?.id ?? '', WRONG_PASSWORD);
      assert.equal(wrong.statusCode, 422, wrong.body);
      assert.equal((await attachments(reference)).length, 1);
      const right = await unlock(reference, container?.id ?? '', PASSWORD);
      assert.equal(right.statusCode, 200, right.body);
      assert.deepEqual(
        right.json().files.map((f: Attachment) => f.fileName),
        ['notes.txt'],
      );
    });

    test('a ZIP bomb is refused whole, never a 500, and nothing is stored', async () => {
      const bomb = await zip([{ name: 'zeros.bin', bytes: Buffer.alloc(24 * 1024 * 1024) }], {
        password: PASSWORD,
      });
      assert.ok(bomb.length < 200_000);
      const response = await submit([{ name: 'bomb.zip', type: 'application/zip', bytes: bomb }]);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const [container] = await attachments(reference);
      const refused = await unlock(reference, container?.id ?? '', PASSWORD);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().error.code, 'attachment.unsafe_archive');
      assert.equal((await attachments(reference)).length, 1);
    });

    test('an encrypted PDF is stored locked and unlocks with the right password', async (t) => {
      const pdf = await encryptedPdf(PDF_PASSWORD);
      if (!pdf) return t.skip(qpdfMissing);
      const response = await submit([{ name: 'findings.pdf', type: 'application/pdf', bytes: pdf }]);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const [container] = await attachments(reference);
      assert.equal(container?.locked, true);
      assert.equal(container?.lockKind, 'pdf');
      const wrong = await unlock(reference, container?.id ?? '', WRONG_PASSWORD);
      assert.equal(wrong.statusCode, 422, wrong.body);
      assert.equal(wrong.json().error.code, 'attachment.wrong_password');
      const right = await unlock(reference, container?.id ?? '', PDF_PASSWORD);
      assert.equal(right.statusCode, 200, right.body);
      const [opened] = right.json().files as Attachment[];
      assert.equal(opened?.mediaType, 'application/pdf');
      assert.equal(opened?.locked, false);
      const download = await owner.get(`/api/v1/orgs/acme/cases/${reference}/attachments/${opened?.id}`);
      assert.ok(!download.rawPayload.includes(Buffer.from('/Encrypt')));
    });

    test('a policy that wants no password-protected files refuses one in the API', async (t) => {
      const pdf = await encryptedPdf(PDF_PASSWORD);
      if (!pdf) return t.skip(qpdfMissing);
      const response = await submit(
        [{ name: 'findings.pdf', type: 'application/pdf', bytes: pdf }],
        'strict',
      );
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'attachment.locked_not_accepted');
    });

    test('7z and Office documents are kept locked, to be opened locally', async () => {
      const sevenZip = Buffer.alloc(40);
      Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]).copy(sevenZip);
      sevenZip.writeBigUInt64LE(0n, 12);
      sevenZip.writeBigUInt64LE(8n, 20);
      sevenZip[32] = 0x17;
      const response = await submit([
        { name: 'findings.7z', type: 'application/x-7z-compressed', bytes: sevenZip },
      ]);
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const [container] = await attachments(reference);
      assert.equal(container?.lockKind, '7z');
      const refused = await unlock(reference, container?.id ?? '', PASSWORD);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'attachment.cannot_unlock');
    });

    test('the team asks a reporter with a phone number for the password by text message', async () => {
      const archive = await zip([{ name: 'poc.txt', bytes: 'proof' }], { password: PASSWORD });
      const response = await submit(
        [{ name: 'poc.zip', type: 'application/zip', bytes: archive }],
        'acme',
        '+31 6 12345678',
      );
      assert.equal(response.statusCode, 201, response.body);
      const { reference } = response.json();
      const asked = await owner.post(`/api/v1/orgs/acme/cases/${reference}/ask-password`);
      assert.equal(asked.statusCode, 200, asked.body);
      const outbox = path.join(haven.config.dataDir, 'sms-outbox');
      const texts = fs
        .readdirSync(outbox)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'));
      const text = texts.find((t) => t.includes(reference));
      assert.ok(text, 'a text about the case is in the sms-outbox');
      assert.match(text, /^To: \+31 6 12345678\n/);
      assert.match(text, /password of your protected file \(poc\.zip\)/);
      const timeline = (await owner.get(`/api/v1/orgs/acme/cases/${reference}`)).json().timeline;
      assert.ok(timeline.some((e: { kind: string }) => e.kind === 'password.requested'));

      // A few texts per case and day, however often the team presses the button.
      const again = [
        await owner.post(`/api/v1/orgs/acme/cases/${reference}/ask-password`),
        await owner.post(`/api/v1/orgs/acme/cases/${reference}/ask-password`),
        await owner.post(`/api/v1/orgs/acme/cases/${reference}/ask-password`),
      ];
      assert.deepEqual(
        again.map((r) => r.statusCode),
        [200, 200, 429],
      );
      assert.equal(again[2]?.json().error.code, 'request.rate_limited');
      const sentForCase = fs
        .readdirSync(outbox)
        .filter(
          (f) => f.endsWith('.txt') && fs.readFileSync(path.join(outbox, f), 'utf8').includes(reference),
        );
      assert.equal(sentForCase.length, 3);

      // Without a phone number there is no one to text.
      const noPhone = await submit([{ name: 'poc.zip', type: 'application/zip', bytes: archive }]);
      const refused = await owner.post(`/api/v1/orgs/acme/cases/${noPhone.json().reference}/ask-password`);
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(refused.json().error.code, 'reporter.no_phone');
    });

    test('no password appears in the logs or anywhere in the database', async () => {
      const logs = haven.logLines.join('\n');
      assert.ok(logs.length > 0);
      const { rows: tables } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(haven.deps.db);
      let everything = '';
      for (const { name } of tables) {
        const { rows } = await sql<{ dump: string | null }>`
          select string_agg(t::text, E'\n') as dump from ${sql.table(name)} t`.execute(haven.deps.db);
        everything += rows[0]?.dump ?? '';
      }
      assert.ok(everything.includes('attachment.unlocked'));
      for (const secret of [PASSWORD, WRONG_PASSWORD, PDF_PASSWORD]) {
        assert.ok(!logs.includes(secret), `the logs contain ${secret}`);
        assert.ok(!everything.includes(secret), `the database contains ${secret}`);
        assert.ok(
          !everything.includes(Buffer.from(secret).toString('hex')),
          `the database contains ${secret} as hex`,
        );
      }
    });
  });
}
