import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findOrganisationBySlug } from '../src/orgs/organisation.repository.ts';
import type { AppError } from '../src/platform/errors.ts';
import { PRESET_NAMES, presetSettings } from '../src/policies/presets/index.ts';
import { assignHostNames } from '../src/securitytxt/host-names.ts';
import { validateSecurityTxt } from '../src/securitytxt/validate-security-txt.ts';
import { gpgMissing, importKey, verifyCleartext, withGpg } from './gpg.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

const PUBLIC = 'https://haven.test';
const TYPE = 'text/plain; charset=utf-8';

for (const engine of engines()) {
  describe(`security.txt on ${engine}`, () => {
    let haven: TestHaven;
    let acme: ReturnType<typeof client>;
    const owners = new Map<string, ReturnType<typeof client>>();
    const assign = async (slug: string, hostNames: string[]) => {
      const organisation = await findOrganisationBySlug(haven.deps.db, slug);
      assert.ok(organisation);
      return assignHostNames(haven.deps, organisation.id, hostNames);
    };
    before(async () => {
      haven = await startTestHaven(engine);
      acme = await setUp(haven); // acme: the first organisation, so the default
    });
    after(() => haven.close());

    const fetch = (url: string, headers: Record<string, string> = {}) =>
      haven.app.inject({ method: 'GET', url, headers });

    for (const preset of PRESET_NAMES) {
      test(`preset ${preset}: the signed security.txt passes the validator and gpg --verify`, async (t) => {
        const slug = `p-${preset}`;
        const owner = await addOrganisationWithMember(haven, slug, {
          email: `owner@${slug}.test`,
          role: 'owner',
        });
        owners.set(slug, owner);
        assert.equal(
          (await owner.post(`/api/v1/orgs/${slug}/policy/draft/preset`, { preset })).statusCode,
          200,
        );
        assert.equal((await owner.post(`/api/v1/orgs/${slug}/policy/publish`)).statusCode, 201);

        const response = await fetch(`/o/${slug}/security.txt`);
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.headers['content-type'], TYPE);
        const url = `${PUBLIC}/o/${slug}/security.txt`;
        const result = validateSecurityTxt(response.rawPayload, {
          contentType: String(response.headers['content-type']),
          fetchedFrom: url,
        });
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.warnings, []);
        assert.equal(result.signed, true);

        const settings = presetSettings(preset);
        const f = result.fields;
        assert.deepEqual(f.contact, [
          `${PUBLIC}/o/${slug}/report`,
          ...settings.intake.emails.map((e) => `mailto:${e.replace('+', '%2B')}`),
        ]);
        assert.deepEqual(f.encryption, [`${PUBLIC}/o/${slug}/pgp-key.asc`]);
        assert.deepEqual(f.policy, [`${PUBLIC}/o/${slug}`]);
        assert.deepEqual(
          f.acknowledgments,
          settings.credit.hallOfFame ? [`${PUBLIC}/o/${slug}/hall-of-fame`] : [],
        );
        assert.deepEqual(
          f.preferredLanguages,
          settings.intake.languages.length > 0 ? settings.intake.languages : ['nl', 'en'],
        );
        assert.deepEqual(f.canonical, [url], 'not the default organisation, no host names: one URL');
        const expires = Date.parse(f.expires ?? '');
        const days = (expires - Date.now()) / 86_400_000;
        assert.ok(days > 178 && days <= 180, `Expires ${f.expires} is about 180 days ahead`);

        const key = await fetch(`/o/${slug}/pgp-key.asc`);
        assert.equal(key.statusCode, 200);
        assert.equal(key.headers['content-type'], 'application/pgp-keys');
        assert.equal(key.headers['content-disposition'], `inline; filename="${slug}-pgp-key.asc"`);
        assert.match(String(key.headers['cache-control']), /^public, max-age=\d+$/);
        assert.doesNotMatch(key.body, /PRIVATE KEY/);

        const skip = gpgMissing();
        if (skip) return t.skip(skip);
        await withGpg((gpg) => {
          const [fingerprint] = importKey(gpg, key.body);
          assert.equal(fingerprint, key.headers['x-openpgp-fingerprint']);
          const verified = verifyCleartext(gpg, response.body);
          assert.equal(verified.status, 0, verified.stderr);
          assert.equal(verified.validsig, fingerprint);
          assert.match(response.body, new RegExp(`# Signed with OpenPGP key ${fingerprint}`));
        });
      });
    }

    test('the signed file is cached until what it says changes: then intake mailboxes, hall of fame', async (t) => {
      const first = await fetch('/o/p-reconi/security.txt');
      const second = await fetch('/o/p-reconi/security.txt');
      assert.equal(second.body, first.body, 'not signed again');
      const owner = owners.get('p-reconi');
      assert.ok(owner);
      const settings = presetSettings('reconi');
      settings.intake.emails = ['security@reconi.example', 'cvd+haven@reconi.example'];
      settings.intake.languages = ['nl', 'en', 'de'];
      settings.credit.hallOfFame = true;
      assert.equal((await owner.put('/api/v1/orgs/p-reconi/policy/draft', settings)).statusCode, 200);
      assert.equal((await owner.post('/api/v1/orgs/p-reconi/policy/publish')).statusCode, 201);
      const third = await fetch('/o/p-reconi/security.txt');
      assert.notEqual(third.body, first.body, 'a new policy version, a new file');
      const result = validateSecurityTxt(third.body, { fetchedFrom: `${PUBLIC}/o/p-reconi/security.txt` });
      assert.deepEqual([...result.errors, ...result.warnings], []);
      assert.deepEqual(result.fields.contact, [
        `${PUBLIC}/o/p-reconi/report`,
        'mailto:security@reconi.example',
        'mailto:cvd%2Bhaven@reconi.example',
      ]);
      assert.deepEqual(result.fields.acknowledgments, [`${PUBLIC}/o/p-reconi/hall-of-fame`]);
      assert.deepEqual(result.fields.preferredLanguages, ['nl', 'en', 'de']);
      assert.doesNotMatch(third.body, /\r/, 'LF line endings throughout');

      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        importKey(gpg, (await fetch('/o/p-reconi/pgp-key.asc')).body);
        assert.equal(verifyCleartext(gpg, third.body).status, 0);
        // CRLF line endings verify too: they are not part of what is signed.
        assert.equal(verifyCleartext(gpg, third.body.replace(/\n/g, '\r\n')).status, 0);
        const tampered = verifyCleartext(gpg, third.body.replace('mailto:security@', 'mailto:attacker@'));
        assert.notEqual(tampered.status, 0, 'a changed line fails');
      });
    });

    test('an organisation without a published policy still has one: the form, the key, no Policy', async () => {
      await addOrganisationWithMember(haven, 'unpublished', {
        email: 'owner@unpublished.test',
        role: 'owner',
      });
      const response = await fetch('/o/unpublished/security.txt');
      assert.equal(response.statusCode, 200);
      const result = validateSecurityTxt(response.body, {
        fetchedFrom: `${PUBLIC}/o/unpublished/security.txt`,
      });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.fields.contact, [`${PUBLIC}/o/unpublished/report`]);
      assert.deepEqual(result.fields.policy, []);
      assert.deepEqual(result.fields.acknowledgments, []);
      assert.deepEqual(result.fields.encryption, [`${PUBLIC}/o/unpublished/pgp-key.asc`]);
    });

    test('unknown organisations: 404 in the JSON error format', async () => {
      for (const url of ['/o/nope/security.txt', '/o/nope/pgp-key.asc']) {
        const response = await fetch(url);
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json().error.code, 'org.not_found');
      }
    });

    test("/.well-known/security.txt on Haven's own host is the default organisation's", async () => {
      const response = await fetch('/.well-known/security.txt', { host: 'haven.test' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], TYPE);
      const result = validateSecurityTxt(response.body, {
        fetchedFrom: `${PUBLIC}/.well-known/security.txt`,
      });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.fields.canonical, [
        `${PUBLIC}/o/acme/security.txt`,
        `${PUBLIC}/.well-known/security.txt`,
      ]);
      assert.deepEqual(result.fields.contact, [`${PUBLIC}/o/acme/report`]);
      const unclaimed = await fetch('/.well-known/security.txt', { host: 'unclaimed.example' });
      assert.equal(unclaimed.statusCode, 404, 'a host assigned to nobody sends finders to no one');
      const forwarded = await fetch('/.well-known/security.txt', {
        host: 'haven.test',
        'x-forwarded-host': 'unclaimed.example',
      });
      assert.equal(forwarded.body, response.body, 'X-Forwarded-Host counts only from a trusted proxy');
      assert.match(String(response.headers.vary), /X-Forwarded-Host/);
    });

    test('an organisation that claims a host name answers /.well-known/security.txt there', async (t) => {
      const owner = owners.get('p-econnect');
      assert.ok(owner);
      const claim = await owner.request('PUT', '/api/v1/orgs/p-econnect/host-names', {
        hostNames: ['acme.example'],
      });
      assert.equal(
        claim.statusCode,
        404,
        'an organisation cannot claim a domain itself; the operator assigns it',
      );
      const set = await assign('p-econnect', [
        'Security.Econnect.Example.',
        'econnect.example',
        'econnect.example',
      ]);
      assert.deepEqual(set, ['econnect.example', 'security.econnect.example']);
      assert.deepEqual((await owner.get('/api/v1/orgs/p-econnect/host-names')).json(), { hostNames: set });

      const response = await fetch('/.well-known/security.txt', { host: 'SECURITY.econnect.example:443' });
      assert.equal(response.statusCode, 200);
      const fetchedFrom = 'https://security.econnect.example/.well-known/security.txt';
      const result = validateSecurityTxt(response.body, {
        fetchedFrom,
        contentType: String(response.headers['content-type']),
      });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.fields.canonical, [
        `${PUBLIC}/o/p-econnect/security.txt`,
        'https://econnect.example/.well-known/security.txt',
        fetchedFrom,
      ]);
      assert.equal(result.fields.contact[0], `${PUBLIC}/o/p-econnect/report`);
      assert.equal((await fetch('/o/p-econnect/security.txt')).body, response.body, 'one file, all its URLs');

      const skip = gpgMissing();
      if (skip) return t.skip(skip);
      await withGpg(async (gpg) => {
        importKey(gpg, (await fetch('/o/p-econnect/pgp-key.asc')).body);
        assert.equal(verifyCleartext(gpg, response.body).status, 0);
      });
    });

    test('host names: one organisation each, valid DNS names, at most ten', async () => {
      const other = owners.get('p-9292');
      assert.ok(other);
      await assert.rejects(assign('p-9292', ['ok.example', 'econnect.example']), (error: AppError) => {
        assert.equal(error.code, 'org.host_name_taken');
        assert.deepEqual(
          error.details?.map((d) => d.field),
          ['hostNames.1'],
        );
        return true;
      });
      assert.deepEqual(
        (await other.get('/api/v1/orgs/p-9292/host-names')).json(),
        { hostNames: [] },
        'all or nothing',
      );
      await assert.rejects(
        assign('p-9292', ['ok.example', 'localhost', '192.0.2.7', 'has space.example', 'haven.test']),
        (error: AppError) => {
          assert.equal(error.code, 'request.invalid');
          assert.deepEqual(
            error.details?.map((d) => d.field),
            ['hostNames.1', 'hostNames.2', 'hostNames.3', 'hostNames.4'],
          );
          return true;
        },
      );
      await assert.rejects(
        assign(
          'p-9292',
          Array.from({ length: 11 }, (_, i) => `h${i}.example`),
        ),
        (error: AppError) => error.details?.[0]?.message === 'At most 10 host names.',
      );
      const stranger = await acme.get('/api/v1/orgs/p-9292/host-names');
      assert.equal(stranger.statusCode, 404);

      // Letting a host go frees it for another organisation.
      assert.deepEqual(await assign('p-econnect', []), []);
      assert.deepEqual(await assign('p-9292', ['econnect.example']), ['econnect.example']);
      const served = await fetch('/.well-known/security.txt', { host: 'econnect.example' });
      assert.match(served.body, /^Canonical: https:\/\/haven\.test\/o\/p-9292\/security\.txt$/m);
    });
  });

  describe(`/.well-known/security.txt on an instance without organisations (${engine})`, () => {
    let haven: TestHaven;
    before(async () => {
      haven = await startTestHaven(engine);
    });
    after(() => haven.close());

    test('is 404 until there is an organisation, then the first one answers', async () => {
      const own = { url: '/.well-known/security.txt', headers: { host: 'haven.test' } };
      const none = await haven.app.inject(own);
      assert.equal(none.statusCode, 404);
      assert.equal(none.json().error.code, 'org.not_found');
      await addOrganisationWithMember(haven, 'first', { email: 'o@first.test', role: 'owner' });
      await addOrganisationWithMember(haven, 'second', { email: 'o@second.test', role: 'owner' });
      const response = await haven.app.inject(own);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /^Contact: https:\/\/haven\.test\/o\/first\/report$/m);
    });
  });
}
