import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type KyselyPlugin, sql } from 'kysely';
import * as openpgp from 'openpgp';
import { KEY_NAME_MAX, keyUserName } from '../src/openpgp/organisation-key-material.ts';
import { rotateOrganisationKey } from '../src/openpgp/rotate-organisation-key.ts';
import { findOrganisationBySlug } from '../src/orgs/organisation.repository.ts';
import { getOrganisationAccess } from '../src/orgs/organisation-access.ts';
import { publishDraft, saveDraft } from '../src/policies/policies.ts';
import { presetSettings } from '../src/policies/presets/index.ts';
import {
  addOrganisationWithMember,
  type client,
  engines,
  setUp,
  startTestHaven,
  type TestHaven,
} from './harness.ts';

/** A valid address of exactly `length` characters (at most 254): long labels, long local part. */
function longEmail(length: number): string {
  const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.example`;
  const local = 'r'.repeat(length - domain.length - 1);
  const email = `${local}@${domain}`;
  assert.equal(email.length, length);
  return email;
}

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

    test('a published version is never deleted on its own, nor truncated; it goes with its organisation', async () => {
      await assert.rejects(
        sql`delete from policy_versions where version = 1`.execute(haven.deps.db),
        /published policy versions are never deleted/,
      );
      await assert.rejects(
        haven.deps.db.deleteFrom('policy_versions').execute(),
        /published policy versions are never deleted/,
      );
      await assert.rejects(
        sql`truncate policy_versions`.execute(haven.deps.db),
        /published policy versions are never deleted/,
      );
      await assert.rejects(sql`truncate organisations cascade`.execute(haven.deps.db), /never deleted/);
      const count = async (organisationId?: string) => {
        let query = haven.deps.db
          .selectFrom('policy_versions')
          .select((eb) => eb.fn.countAll<string>().as('n'));
        if (organisationId) query = query.where('organisation_id', '=', organisationId);
        return Number((await query.executeTakeFirstOrThrow()).n);
      };
      const acmeVersions = await count();
      assert.ok(acmeVersions >= 2, 'acme still has all its versions');

      const gone = await addOrganisationWithMember(haven, 'gone', { email: 'gil@gone.test', role: 'owner' });
      assert.equal(
        (await gone.post('/api/v1/orgs/gone/policy/draft/preset', { preset: '9292' })).statusCode,
        200,
      );
      assert.equal((await gone.post('/api/v1/orgs/gone/policy/publish')).statusCode, 201);
      assert.equal(
        (await gone.post('/api/v1/orgs/gone/policy/draft/preset', { preset: 'reconi' })).statusCode,
        200,
      );
      assert.equal((await gone.post('/api/v1/orgs/gone/policy/publish')).statusCode, 201);
      await gone.post('/api/v1/orgs/gone/policy/draft/preset', { preset: 'econnect' });
      const organisation = await findOrganisationBySlug(haven.deps.db, 'gone');
      assert.ok(organisation);
      assert.equal(await count(organisation.id), 2);
      await haven.deps.db.deleteFrom('organisations').where('id', '=', organisation.id).execute();
      assert.equal(await count(organisation.id), 0, 'the versions went with the organisation');
      const drafts = await haven.deps.db
        .selectFrom('policy_drafts')
        .select('organisation_id')
        .where('organisation_id', '=', organisation.id)
        .execute();
      assert.deepEqual(drafts, []);
      assert.equal(await count(), acmeVersions, "no other organisation's versions went");
    });

    test('lists hold each entry once and have bounds: a 1 MB draft of repeats is refused', async () => {
      const settings = presetSettings('reconi');
      settings.intake.identities = ['named', 'anonymous', 'named'];
      settings.intake.emails = ['security@acme.test', 'SECURITY@acme.test'];
      settings.calendar.workingDays = [1, 2, 3, 4, 5, 5];
      const response = await owner.put('/api/v1/orgs/acme/policy/draft', settings);
      assert.equal(response.statusCode, 422);
      assert.deepEqual(
        response
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
        ['calendar.workingDays.5', 'intake.emails.1', 'intake.identities.2'],
      );

      const huge = presetSettings('reconi');
      const many = <T>(value: T) => Array.from({ length: 22_000 }, () => value);
      huge.intake.identities = many('named');
      huge.intake.requestedDetails = many('steps');
      huge.intake.attachments.allowed = many('text');
      const big = await owner.put('/api/v1/orgs/acme/policy/draft', huge);
      assert.ok([413, 422].includes(big.statusCode), String(big.statusCode));
      const draft = (await owner.get('/api/v1/orgs/acme/policy/draft')).json();
      assert.ok(draft.settings.intake.identities.length <= 3, 'nothing of it was saved');
    });

    test('one language alone, working hours that end before they start: refused', async () => {
      const settings = presetSettings('reconi');
      settings.rules.privacy = { nl: settings.rules.privacy.nl, en: '' };
      settings.calendar.workingHours = { start: '17:00', end: '09:00' };
      settings.intake.attachments.maxBytes = 100;
      const response = await owner.put('/api/v1/orgs/acme/policy/draft', settings);
      assert.equal(response.statusCode, 422);
      assert.deepEqual(
        response
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
        ['calendar.workingHours.end', 'intake.attachments.maxBytes', 'rules.privacy.en'],
      );
    });

    test('a save that lands while a publication is under way is kept', async () => {
      const organisation = await findOrganisationBySlug(haven.deps.db, 'acme');
      assert.ok(organisation);
      const olga = await haven.deps.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'olga@acme.test')
        .executeTakeFirstOrThrow();
      const access = await getOrganisationAccess(
        haven.deps,
        { via: 'session', userId: olga.id, sessionIdHash: Buffer.alloc(32) },
        'acme',
      );
      const first = presetSettings('ncsc-nl');
      first.introduction.en = 'First draft: {{organisation}}.';
      await saveDraft(haven.deps, access, first);
      const second = presetSettings('ncsc-nl');
      second.introduction.en = 'Second draft, saved during the publication: {{organisation}}.';

      // Publication pauses right after it read the draft, and another request saves a new one then.
      let save: Promise<unknown> | undefined;
      const draftReads = new Set<unknown>();
      const pause: KyselyPlugin = {
        transformQuery(args) {
          const node = args.node as {
            kind: string;
            from?: { froms: { table?: { identifier?: { name?: string } } }[] };
          };
          const table = node.from?.froms[0]?.table?.identifier?.name;
          if (node.kind === 'SelectQueryNode' && table === 'policy_drafts') draftReads.add(args.queryId);
          return args.node;
        },
        async transformResult(args) {
          if (draftReads.has(args.queryId) && !save) {
            save = saveDraft(haven.deps, access, second);
            // Long enough for an unhindered save to commit; a save that waits for the lock waits on.
            await Promise.race([save, new Promise((resolve) => setTimeout(resolve, 500))]);
          }
          return args.result;
        },
      };
      const published = await publishDraft({ ...haven.deps, db: haven.deps.db.withPlugin(pause) }, access);
      assert.ok(save, 'the publication read the draft');
      await save;
      const current = (await haven.app.inject('/api/v1/orgs/acme/policy')).json();
      assert.equal(current.version, published.version);
      assert.equal(current.settings.introduction.en, first.introduction.en, 'what was read is published');
      const draft = (await owner.get('/api/v1/orgs/acme/policy/draft')).json();
      assert.equal(draft.settings.introduction.en, second.introduction.en, 'the later save is kept');
      assert.equal(draft.basedOnVersion, published.version);
      assert.notEqual(draft.updatedAt, null);
    });

    test('a 200-character name and a 254-character intake address still make a key', async () => {
      // 99 letters, an emoji (two UTF-16 units) at the 100th code point, then 100 more: 200 in all.
      const name = `${'N'.repeat(99)}\u{1F6E1}${'m'.repeat(100)}`;
      assert.equal(Array.from(name).length, 200);
      const { createOrganisation } = await import('../src/orgs/create-organisation.ts');
      const organisation = await haven.deps.db.transaction().execute((trx) =>
        createOrganisation(haven.deps, trx, {
          slug: 'long',
          name,
          defaultLanguage: 'en',
          timezone: 'Europe/Amsterdam',
        }),
      );
      const member = await addOrganisationWithMember(
        haven,
        'long',
        { email: 'lea@long.test', role: 'owner' },
        true,
      );
      for (const length of [250, 254]) {
        const settings = presetSettings('ncsc-nl');
        settings.intake.emails = [longEmail(length)];
        assert.equal((await member.put('/api/v1/orgs/long/policy/draft', settings)).statusCode, 200);
        assert.equal((await member.post('/api/v1/orgs/long/policy/publish')).statusCode, 201);

        // `haven key rotate` names the new intake address in the key.
        await rotateOrganisationKey(haven.deps, 'long');
        const row = await haven.deps.db
          .selectFrom('organisation_keys')
          .select('user_id')
          .where('organisation_id', '=', organisation.id)
          .where('retired_at', 'is', null)
          .executeTakeFirstOrThrow();
        assert.ok(Array.from(row.user_id).length <= 400, `${row.user_id.length} characters`);
        assert.equal(row.user_id, `${keyUserName(name)} <${settings.intake.emails[0]}>`);

        // An organisation without a key (made before keys existed) gets one when it is asked for.
        await haven.deps.db
          .deleteFrom('organisation_keys')
          .where('organisation_id', '=', organisation.id)
          .execute();
        const served = await haven.app.inject('/o/long/pgp-key.asc');
        assert.equal(served.statusCode, 200, served.body);
        const key = await openpgp.readKey({ armoredKey: served.body });
        assert.deepEqual(key.getUserIDs(), [row.user_id]);
      }
      // The name is cut at 100 code points, never inside the emoji's surrogate pair.
      assert.equal(keyUserName(name), `Haven security contact of ${'N'.repeat(99)}\u{1F6E1}`);
      assert.ok(KEY_NAME_MAX <= 400 - 'Haven security contact of  <>'.length - 254);
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
