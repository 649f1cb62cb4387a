import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as openpgp from 'openpgp';
import { decryptForOrganisation } from '../src/openpgp/decrypt-for-organisation.ts';
import { organisationPublicKey } from '../src/openpgp/organisation-public-key.ts';
import { rotateOrganisationKey } from '../src/openpgp/rotate-organisation-key.ts';
import { signCleartext } from '../src/openpgp/sign-cleartext.ts';
import { findOrganisationBySlug } from '../src/orgs/organisation.repository.ts';
import { generateMasterKeySecret } from '../src/platform/crypto.ts';
import { presetSettings } from '../src/policies/presets/index.ts';
import { encryptTo, gpgMissing, importKey, verifyCleartext, withGpg } from './gpg.ts';
import { addOrganisationWithMember, engines, startTestHaven, type TestHaven, tempDir } from './harness.ts';
import { haven as runHaven } from './process.ts';

for (const engine of engines()) {
  describe(`organisation OpenPGP keys on ${engine}`, () => {
    let haven: TestHaven;
    let organisationId: string;
    before(async () => {
      haven = await startTestHaven(engine);
      await addOrganisationWithMember(haven, 'acme', { email: 'owner@acme.test', role: 'owner' });
      const organisation = await findOrganisationBySlug(haven.deps.db, 'acme');
      assert.ok(organisation);
      organisationId = organisation.id;
    });
    after(() => haven.close());

    const keyRows = () =>
      haven.deps.db
        .selectFrom('organisation_keys')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .orderBy('created_at')
        .execute();

    test('creating an organisation makes its key: a v4 EdDSA/ECDH curve25519 key GnuPG 2.2 reads', async () => {
      const rows = await keyRows();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.retired_at, null);
      const served = await haven.app.inject('/o/acme/pgp-key.asc');
      assert.equal(served.statusCode, 200);
      const key = await openpgp.readKey({ armoredKey: served.body });
      assert.equal(key.isPrivate(), false);
      assert.equal(key.keyPacket.version, 4);
      assert.equal(key.getAlgorithmInfo().algorithm, 'eddsaLegacy');
      const [subkey] = key.getSubkeys();
      assert.equal(subkey?.getAlgorithmInfo().algorithm, 'ecdh');
      assert.equal(subkey?.getAlgorithmInfo().curve, 'curve25519Legacy');
      assert.equal(key.getFingerprint(), rows[0]?.fingerprint);
      assert.deepEqual(key.getUserIDs(), ['Haven security contact of ACME'], 'no policy yet: a name only');
    });

    test('the private key is stored sealed, never in the clear', async () => {
      const [row] = await keyRows();
      assert.ok(row);
      const key = await openpgp.readKey({ armoredKey: row.public_key });
      // The private key packet holds the public point too; sealed, not even that shows.
      const publicPacket = Buffer.from(key.keyPacket.write());
      assert.equal(Buffer.from(row.private_key_sealed).includes(publicPacket.subarray(-32)), false);
      assert.equal(Buffer.from(row.private_key_sealed).includes(Buffer.from('PRIVATE KEY')), false);
      const dataKey = await haven.deps.db
        .selectFrom('data_keys')
        .select('purpose')
        .where('id', '=', row.data_key_id)
        .executeTakeFirst();
      assert.equal(dataKey?.purpose, 'organisation-openpgp-key');
      assert.ok(!haven.logLines.some((l) => l.includes('PRIVATE KEY')));
    });

    test('signCleartext: gpg --verify accepts the signature (LF or CRLF), and refuses a changed text', async (t) => {
      const text = 'Contact: mailto:security@acme.test\n-- dash-led line\ntrailing spaces   \nlast line';
      const { signed, fingerprint } = await signCleartext(haven.deps, organisationId, text);
      assert.match(signed, /^- -- dash-led line$/m, 'dash-escaped');
      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        importKey(gpg, (await organisationPublicKey(haven.deps, organisationId)).armored);
        const verified = verifyCleartext(gpg, signed);
        assert.equal(verified.status, 0, verified.stderr);
        assert.equal(verified.validsig, fingerprint.toUpperCase());
        assert.equal(verifyCleartext(gpg, signed.replace(/\n/g, '\r\n')).status, 0);
        assert.notEqual(verifyCleartext(gpg, signed.replace('last line', 'lost line')).status, 0);
      });
    });

    test('gpg-encrypted mail decrypts; rotation keeps the old key for it and signs with the new one', async (t) => {
      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      const before = await organisationPublicKey(haven.deps, organisationId);
      const oldMessage = await withGpg((gpg) => {
        const [fingerprint] = importKey(gpg, before.armored);
        assert.equal(fingerprint, before.fingerprint.toUpperCase());
        return encryptTo(gpg, before.fingerprint, 'SQL injection in /search?q=\nDetails follow. ✓\n');
      });
      const decrypted = await decryptForOrganisation(haven.deps, organisationId, oldMessage);
      assert.equal(
        Buffer.from(decrypted.bytes).toString('utf8'),
        'SQL injection in /search?q=\nDetails follow. ✓\n',
      );
      assert.equal(decrypted.fingerprint, before.fingerprint);

      // Publish a policy with an intake mailbox: the new key's user ID names it.
      const owner = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'owner2@acme.test', role: 'owner' },
        true,
      );
      const settings = presetSettings('ncsc-nl');
      settings.intake.emails = ['security@acme.test'];
      assert.equal((await owner.put('/api/v1/orgs/acme/policy/draft', settings)).statusCode, 200);
      assert.equal((await owner.post('/api/v1/orgs/acme/policy/publish')).statusCode, 201);

      const rotated = await rotateOrganisationKey(haven.deps, 'acme');
      assert.deepEqual(rotated.previous, before.fingerprint);
      assert.notEqual(rotated.current, before.fingerprint);
      const rows = await keyRows();
      assert.equal(rows.length, 2);
      assert.ok(rows[0]?.retired_at, 'the old key is retired, not deleted');
      assert.equal(rows[1]?.retired_at, null);

      const served = await haven.app.inject('/o/acme/pgp-key.asc');
      assert.equal(served.headers['x-openpgp-fingerprint'], rotated.current.toUpperCase());
      const newKey = await openpgp.readKey({ armoredKey: served.body });
      assert.equal(newKey.getFingerprint(), rotated.current);
      assert.deepEqual(newKey.getUserIDs(), ['Haven security contact of ACME <security@acme.test>']);

      const again = await decryptForOrganisation(haven.deps, organisationId, oldMessage);
      assert.equal(again.fingerprint, before.fingerprint, 'mail to the old key still decrypts');
      const securityTxt = await haven.app.inject('/o/acme/security.txt');
      await withGpg((gpg) => {
        importKey(gpg, before.armored);
        const withOldKey = verifyCleartext(gpg, securityTxt.body);
        assert.notEqual(withOldKey.status, 0, 'not signed with the retired key');
        importKey(gpg, served.body);
        const verified = verifyCleartext(gpg, securityTxt.body);
        assert.equal(verified.status, 0, verified.stderr);
        assert.equal(verified.validsig, rotated.current.toUpperCase());
        const newMessage = encryptTo(gpg, rotated.current, 'to the new key');
        return decryptForOrganisation(haven.deps, organisationId, newMessage).then((r) => {
          assert.equal(Buffer.from(r.bytes).toString('utf8'), 'to the new key');
          assert.equal(r.fingerprint, rotated.current);
        });
      });
    });

    test('decryption refuses what is not for the organisation, with stable codes', async () => {
      await assert.rejects(decryptForOrganisation(haven.deps, organisationId, 'hello'), {
        code: 'openpgp.invalid_message',
      });
      const stranger = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name: 'x' }],
      });
      const message = await openpgp.encrypt({
        message: await openpgp.createMessage({ text: 'not for acme' }),
        encryptionKeys: await openpgp.readKey({ armoredKey: stranger.publicKey }),
      });
      await assert.rejects(decryptForOrganisation(haven.deps, organisationId, message), {
        code: 'openpgp.decryption_failed',
      });
      await assert.rejects(rotateOrganisationKey(haven.deps, 'nope'), { code: 'org.not_found' });
    });

    test('an organisation made before keys existed gets one on first use, once', async () => {
      await addOrganisationWithMember(haven, 'legacy', { email: 'owner@legacy.test', role: 'owner' });
      const legacy = await findOrganisationBySlug(haven.deps.db, 'legacy');
      assert.ok(legacy);
      await haven.deps.db.deleteFrom('organisation_keys').where('organisation_id', '=', legacy.id).execute();
      const answers = await Promise.all([1, 2, 3].map(() => haven.app.inject('/o/legacy/pgp-key.asc')));
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        [200, 200, 200],
      );
      assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'one key, whoever asked first');
      const count = await haven.deps.db
        .selectFrom('organisation_keys')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('organisation_id', '=', legacy.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });
  });
}

describe('haven key rotate', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('prints the old and the new fingerprint; an unknown organisation exits 1', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const env = {
      HAVEN_DATA_DIR: dataDir,
      HAVEN_MASTER_KEY: generateMasterKeySecret().toString('base64url'),
    };
    const created = await runHaven(['org', 'create', '--slug', 'acme', '--name', 'Acme'], env);
    assert.equal(created.code, 0, created.stderr);
    const rotated = await runHaven(['key', 'rotate', '--org', 'acme'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const m = /OpenPGP key of acme rotated: ([0-9A-F]{40}) -> ([0-9A-F]{40})/.exec(rotated.stdout);
    assert.ok(m, rotated.stdout);
    assert.notEqual(m[1], m[2]);
    const unknown = await runHaven(['key', 'rotate', '--org', 'nope'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /org\.not_found/);
    const usage = await runHaven(['key', 'rotate'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing --org/);
  });
});
