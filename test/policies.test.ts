import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { presetSettings } from '../src/policies/presets/index.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

for (const engine of engines()) {
  describe(`policies on ${engine}`, () => {
    let haven: TestHaven;
    let owner: ReturnType<typeof client>;
    before(async () => {
      haven = await startTestHaven(engine);
      owner = await setUp(haven);
    });
    after(() => haven.close());

    test('nothing is public before the first publication', async () => {
      const response = await haven.app.inject('/api/v1/orgs/acme/policy');
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'policy.not_published');
      const draft = await owner.get('/api/v1/orgs/acme/policy/draft');
      assert.equal(draft.statusCode, 200);
      assert.equal(draft.json().basedOnVersion, null);
      assert.deepEqual(
        draft.json().settings,
        presetSettings('ncsc-nl'),
        'a new draft starts from the NCSC guideline',
      );
    });

    test('draft → publish makes version 1; publishing again needs a change and makes version 2', async () => {
      const preset = await owner.post('/api/v1/orgs/acme/policy/draft/preset', { preset: 'reconi' });
      assert.equal(preset.statusCode, 200);
      assert.deepEqual(preset.json().settings, presetSettings('reconi'));
      const first = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(first.statusCode, 201);
      assert.equal(first.json().version, 1);
      const again = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'policy.unchanged');

      const settings = presetSettings('reconi');
      settings.serviceLevels.firstResponse = { amount: 1, unit: 'business_days' };
      settings.intake.languages = ['nl', 'en', 'de'];
      const saved = await owner.put('/api/v1/orgs/acme/policy/draft', settings);
      assert.equal(saved.statusCode, 200);
      assert.equal(saved.json().basedOnVersion, 1);
      assert.deepEqual(
        saved
          .json()
          .changes.map((c: { path: string }) => c.path)
          .sort(),
        ['intake.languages', 'serviceLevels.firstResponse.amount'],
      );
      const second = await owner.post('/api/v1/orgs/acme/policy/publish');
      assert.equal(second.json().version, 2);

      const current = await haven.app.inject('/api/v1/orgs/acme/policy');
      assert.equal(current.statusCode, 200);
      assert.equal(current.json().version, 2);
      assert.equal(current.json().currentVersion, 2);
      assert.deepEqual(current.json().settings.intake.languages, ['nl', 'en', 'de']);
      const old = await haven.app.inject('/api/v1/orgs/acme/policy?version=1');
      assert.equal(old.json().version, 1);
      assert.equal(old.json().currentVersion, 2);
      assert.deepEqual(
        old.json().settings,
        presetSettings('reconi'),
        'version 1 is exactly what was published',
      );
      assert.equal((await haven.app.inject('/api/v1/orgs/acme/policy?version=9')).statusCode, 404);

      const versions = (await owner.get('/api/v1/orgs/acme/policy/versions')).json().versions;
      assert.deepEqual(
        versions.map((v: { version: number; publishedBy: string }) => [v.version, v.publishedBy]),
        [
          [2, 'olga@acme.test'],
          [1, 'olga@acme.test'],
        ],
      );
      const compare = await owner.get('/api/v1/orgs/acme/policy/compare?from=1&to=2');
      assert.deepEqual(
        compare.json().changes.find((c: { path: string }) => c.path === 'intake.languages'),
        {
          path: 'intake.languages',
          before: ['nl', 'en'],
          after: ['nl', 'en', 'de'],
        },
      );
    });

    test('a published version cannot be changed: no endpoint does it, and the database refuses', async () => {
      const before = (await haven.app.inject('/api/v1/orgs/acme/policy?version=1')).json();
      const changed = presetSettings('econnect');
      await owner.put('/api/v1/orgs/acme/policy/draft', changed);
      await owner.post('/api/v1/orgs/acme/policy/draft/preset', { preset: '9292' });
      for (const [method, url] of [
        ['PUT', '/api/v1/orgs/acme/policy?version=1'],
        ['PATCH', '/api/v1/orgs/acme/policy'],
        ['DELETE', '/api/v1/orgs/acme/policy/versions'],
        ['PUT', '/api/v1/orgs/acme/policy/versions/1'],
      ] as const) {
        const response = await owner.request(method, url, changed);
        assert.ok([404, 405].includes(response.statusCode), `${method} ${url}: ${response.statusCode}`);
      }
      assert.deepEqual((await haven.app.inject('/api/v1/orgs/acme/policy?version=1')).json(), before);
      await assert.rejects(
        sql`update policy_versions set settings = '{}'::jsonb where version = 1`.execute(haven.deps.db),
        /published policy versions never change/,
      );
      await assert.rejects(
        haven.deps.db.updateTable('policy_versions').set({ version: 7 }).where('version', '=', 1).execute(),
        /never change/,
      );
    });

    test('invalid settings get one 422 entry per field', async () => {
      const settings = presetSettings('reconi') as unknown as Record<string, Record<string, unknown>>;
      (settings.intake as Record<string, unknown>).emails = ['not an address'];
      (settings.calendar as Record<string, unknown>).workingHours = { start: '25:00', end: '17:00' };
      const response = await owner.put('/api/v1/orgs/acme/policy/draft', settings);
      assert.equal(response.statusCode, 422);
      const fields = response
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort();
      assert.deepEqual(fields, ['calendar.workingHours.start', 'intake.emails.0']);
    });

    test('only owners edit and publish; the public API needs no sign-in; other orgs see nothing', async () => {
      const viewer = await addOrganisationWithMember(
        haven,
        'acme',
        { email: 'val@acme.test', role: 'viewer' },
        true,
      );
      assert.equal((await viewer.get('/api/v1/orgs/acme/policy/draft')).statusCode, 200);
      const edit = await viewer.put('/api/v1/orgs/acme/policy/draft', presetSettings('reconi'));
      assert.equal(edit.statusCode, 403);
      assert.equal((await viewer.post('/api/v1/orgs/acme/policy/publish')).statusCode, 403);
      const outsider = await addOrganisationWithMember(haven, 'other', {
        email: 'oscar@other.test',
        role: 'owner',
      });
      assert.equal((await outsider.get('/api/v1/orgs/acme/policy/draft')).statusCode, 404);
      assert.equal((await outsider.post('/api/v1/orgs/acme/policy/publish')).statusCode, 404);
      assert.equal((await haven.app.inject('/api/v1/orgs/acme/policy')).statusCode, 200);
      assert.equal((await haven.app.inject('/api/v1/orgs/nope/policy')).statusCode, 404);
    });
  });
}
