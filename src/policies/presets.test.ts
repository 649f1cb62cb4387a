import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PolicySettings } from './policy-settings.ts';
import { policySettingsSchema } from './policy-settings.ts';
import { isPresetName, PRESET_NAMES, PRESETS, presetSettings } from './presets/index.ts';

type Text = { nl: string; en: string };

/** Every {nl, en} object anywhere in the value, with its path. */
function bilingualTexts(value: unknown, path = ''): Array<{ path: string; text: Text }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => bilingualTexts(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value).sort();
  if (keys.length === 2 && keys[0] === 'en' && keys[1] === 'nl') return [{ path, text: value as Text }];
  return Object.entries(value).flatMap(([k, v]) => bilingualTexts(v, path ? `${path}.${k}` : k));
}

const en = (texts: Text[]) => texts.map((t) => t.en);
const someMatch = (texts: Text[], re: RegExp) => en(texts).some((t) => re.test(t));

test('there is a preset for every name, and only those', () => {
  assert.deepEqual(Object.keys(PRESETS).sort(), [...PRESET_NAMES].sort());
  for (const name of PRESET_NAMES) assert.ok(isPresetName(name));
  assert.equal(isPresetName('nope'), false);
  assert.equal(isPresetName('toString'), false);
});

for (const name of PRESET_NAMES) {
  test(`${name}: parses with the schema unchanged and round-trips through JSON`, () => {
    const preset = PRESETS[name];
    assert.deepEqual(policySettingsSchema.parse(preset), preset);
    assert.deepEqual(JSON.parse(JSON.stringify(preset)), preset);
    assert.deepEqual(policySettingsSchema.parse(JSON.parse(JSON.stringify(preset))), preset);
  });

  test(`${name}: every text is written in Dutch and in English`, () => {
    const texts = bilingualTexts(PRESETS[name]);
    assert.ok(texts.length >= 10, `only ${texts.length} texts found`);
    for (const { path, text } of texts) {
      assert.ok(text.nl.trim().length > 0, `${path}.nl is empty`);
      assert.ok(text.en.trim().length > 0, `${path}.en is empty`);
      assert.notEqual(text.nl, text.en, `${path} is not translated`);
    }
  });

  test(`${name}: Haven's safe defaults`, () => {
    const p = PRESETS[name];
    assert.equal(p.notifications.clearTextAllowed, false);
    assert.deepEqual(p.intake.emails, []);
    assert.deepEqual(p.calendar.workingDays, [1, 2, 3, 4, 5]);
    assert.deepEqual(p.calendar.holidays, { country: 'NL' });
  });
}

test('econnect keeps every promise and rule of seed 000', () => {
  const p: PolicySettings = PRESETS.econnect;
  assert.deepEqual(p.serviceLevels.acknowledgement, { amount: 1, unit: 'business_days' });
  assert.deepEqual(p.firstAssessment, { includesAssessment: true, includesExpectedFixDate: true });
  assert.deepEqual(p.serviceLevels.resolution, {
    kind: 'fixed',
    within: { amount: 30, unit: 'calendar_days' },
  });
  assert.equal(p.serviceLevels.mayDependOnSuppliers, true);
  // The seed wants an e-mail address and a phone number, not a real name: an alias will do.
  assert.deepEqual(p.intake.identities, ['named', 'alias']);
  // "We will keep you informed of the progress of the process."
  assert.deepEqual(p.progressUpdates, { kind: 'milestones' });
  // The seed says nothing about naming reporters, so the preset promises nothing either way.
  assert.deepEqual(p.credit, { hallOfFame: false, creditInAdvisories: false });
  assert.ok(
    !someMatch(
      bilingualTexts(p).map((x) => x.text),
      /\bname (reporters|you)\b/i,
    ),
  );
  assert.ok(p.intake.requiredContact.includes('email'));
  assert.ok(p.intake.requiredContact.includes('phone'));
  const allowed = p.intake.attachments.allowed;
  assert.ok(allowed.includes('text') && allowed.includes('image'));
  assert.ok(!allowed.includes('pdf') && !allowed.includes('video'));
  assert.equal(p.intake.attachments.passwordProtectedAccepted, false);
  assert.ok(p.intake.requestedDetails.includes('steps'));
  assert.ok(p.intake.requestedDetails.includes('screenshots'));
  assert.equal(p.rewards.kind, 'discretionary');
  assert.ok(p.rewards.kind === 'discretionary' && p.rewards.dependsOnSeverity);
  assert.ok(p.rewards.kind === 'discretionary' && p.rewards.dependsOnReportQuality);
  assert.equal(p.disclosure.confidential, true);
  assert.equal(p.disclosure.publicationOnlyByAgreement, true);
  assert.deepEqual(
    p.scope.inScope.map((a) => [a.kind, a.target]),
    [
      ['application', 'eConnect platform'],
      ['domain', 'Websites'],
    ],
  );
  assert.ok(someMatch(p.rules.do, /as soon as possible after you discover/i));
  assert.ok(someMatch(p.rules.do, /reproduce/i));
  assert.ok(someMatch(p.rules.do, /screen recordings or PDF/i));
  assert.ok(someMatch(p.rules.dont, /exploit/i));
  assert.ok(someMatch(p.rules.dont, /changes to the system/i));
  assert.ok(someMatch(p.rules.dont, /share access/i));
  assert.ok(someMatch(p.rules.other, /responsible for your own actions/i));
  assert.ok(someMatch(p.rules.other, /suppliers.*consultation/is));
  assert.match(p.rules.safeHarbour.en, /not take legal action/i);
  assert.match(p.rules.safeHarbour.en, /may still decide/i);
});

test('reconi keeps every promise and rule of seed 002', () => {
  const p: PolicySettings = PRESETS.reconi;
  assert.deepEqual(p.serviceLevels.firstResponse, { amount: 2, unit: 'business_days' });
  assert.ok(p.intake.identities.includes('anonymous'));
  assert.ok(p.intake.identities.includes('named'));
  assert.deepEqual(p.intake.requiredContact, []);
  for (const detail of ['steps', 'urls', 'ip_addresses', 'objects', 'screenshots'] as const) {
    assert.ok(p.intake.requestedDetails.includes(detail), detail);
  }
  assert.deepEqual(p.intake.languages, ['nl', 'en']);
  assert.match(p.rules.privacy.en, /only to act on your report/i);
  assert.match(p.rules.privacy.en, /another company/i);
  assert.match(p.rules.privacy.nl, /persoonsgegevens/);
  assert.ok(someMatch(p.rules.other, /anonymous.*not be able to discuss the next steps/is));
  assert.ok(someMatch(p.rules.other, /does not apply in every country/i));
  assert.match(p.rules.safeHarbour.en, /good faith/i);
  assert.ok(p.rules.dont.length >= 10, `${p.rules.dont.length} rules`);
  for (const rule of [
    /damage/i,
    /social engineering/i,
    /interrupt our services/i,
    /disclosure of information/i,
    /backdoor/i,
    /modify or delete data/i,
    /one record/i,
    /changes to the system/i,
    /more often than necessary/i,
    /share that access/i,
    /brute.force/i,
    /availability/i,
    /public/i,
  ]) {
    assert.ok(someMatch(p.rules.dont, rule), `no rule matches ${rule}`);
  }
  assert.equal(p.disclosure.publicationOnlyByAgreement, true);
  // The privacy text keeps personal data confidential; the seed does not promise that of the report.
  assert.equal(p.disclosure.confidential, false);
  assert.deepEqual(p.rewards, { kind: 'none' });
  // No promise of a solution or of progress updates: the seed makes neither.
  assert.deepEqual(p.serviceLevels.resolution, { kind: 'none' });
  assert.deepEqual(p.progressUpdates, { kind: 'none' });
  // "the security of services Reconi offers over the Internet", not all systems.
  assert.deepEqual(
    p.scope.inScope.map((a) => [a.kind, a.note?.en]),
    [['other', 'The services {{organisation}} offers over the internet.']],
  );
  assert.match(p.introduction.en, /security of the services \{\{organisation\}\} offers over the internet/);
  assert.ok(
    !someMatch(
      bilingualTexts(p).map((x) => x.text),
      /all (of our |our )?systems/i,
    ),
  );
});

test('9292 keeps every promise and rule of seed 004', () => {
  const p: PolicySettings = PRESETS['9292'];
  assert.deepEqual(p.serviceLevels.assessment, { amount: 20, unit: 'calendar_days' });
  assert.equal(p.firstAssessment.includesAssessment, true);
  assert.ok(p.intake.identities.includes('alias'));
  assert.ok(p.intake.requiredContact.includes('email'));
  assert.equal(p.intake.attachments.passwordProtectedAccepted, true);
  assert.equal(p.intake.attachments.passwordChannel, 'sms');
  for (const kind of ['text', 'image', 'pdf', 'office', 'archive'] as const) {
    assert.ok(p.intake.attachments.allowed.includes(kind), kind);
  }
  for (const detail of ['steps', 'urls', 'ip_addresses'] as const) {
    assert.ok(p.intake.requestedDetails.includes(detail), detail);
  }
  // Named as the discoverer in the publication, if wished; the seed keeps no hall of fame.
  assert.equal(p.credit.creditInAdvisories, true);
  assert.equal(p.credit.hallOfFame, false);
  // Floor Terra's template keeps the reporter informed; the seed drops that.
  assert.deepEqual(p.progressUpdates, { kind: 'none' });
  assert.equal(p.disclosure.publicationOnlyByAgreement, true);
  assert.equal(p.disclosure.requiresAllPartiesInformed, true);
  assert.equal(p.disclosure.requiresResolution, true);
  assert.equal(p.disclosure.mayAgreeNeverToPublish, true);
  assert.equal(p.disclosure.confidential, true);
  assert.deepEqual(p.rewards, { kind: 'none' });
  assert.match(p.rules.safeHarbour.en, /not take legal action/i);
  assert.match(p.rules.privacy.en, /legal obligation/i);
  assert.ok(someMatch(p.rules.do, /password.*text message/is));
  assert.ok(someMatch(p.rules.do, /delete all confidential data/i));
  for (const rule of [
    /downloading more data/i,
    /other people's data/i,
    /share the problem/i,
    /physical security/i,
    /social engineering/i,
    /denial-of-service/i,
    /spam/i,
    /applications/i,
  ]) {
    assert.ok(someMatch(p.rules.dont, rule), `no rule matches ${rule}`);
  }
  assert.ok(someMatch(p.rules.other, /difficult to solve|costly/i));
});

test('ncsc-nl answers within 3 working days with an assessment and an expected fix date', () => {
  const p: PolicySettings = PRESETS['ncsc-nl'];
  assert.deepEqual(p.serviceLevels.firstResponse, { amount: 3, unit: 'business_days' });
  assert.deepEqual(p.firstAssessment, { includesAssessment: true, includesExpectedFixDate: true });
  assert.ok(p.intake.identities.includes('alias'));
  assert.equal(p.disclosure.confidential, true);
  assert.equal(p.disclosure.publicationOnlyByAgreement, true);
  assert.equal(p.credit.creditInAdvisories, true);
  // "Wij houden je op de hoogte van de voortgang": no cadence, so at milestones.
  assert.deepEqual(p.progressUpdates, { kind: 'milestones' });
  assert.match(p.rules.safeHarbour.en, /not take legal action/i);
  for (const rule of [/social engineering/i, /physical/i, /denial-of-service/i, /spam/i, /backdoor/i]) {
    assert.ok(someMatch(p.rules.dont, rule), `no rule matches ${rule}`);
  }
});

test('disclose-io gives full safe harbour and a 90-day disclosure window', () => {
  const p: PolicySettings = PRESETS['disclose-io'];
  assert.match(p.rules.safeHarbour.en, /authori[sz]ed/i);
  assert.match(p.rules.safeHarbour.en, /good.faith/i);
  assert.match(p.rules.safeHarbour.en, /anti-circumvention/i);
  assert.match(p.rules.safeHarbour.en, /Terms of Service/i);
  assert.deepEqual(p.serviceLevels.acknowledgement, { amount: 5, unit: 'business_days' });
  assert.equal(p.disclosure.defaultEmbargoDays, 90);
  assert.equal(p.credit.hallOfFame, true);
  // The core terms: "Strive to keep you informed about the progress of a vulnerability as it is
  // processed". Said once, by the setting; the other texts do not repeat it.
  assert.deepEqual(p.progressUpdates, { kind: 'milestones' });
  assert.ok(!someMatch(p.rules.other, /progress/i));
});

test('presetSettings returns a deep copy; the presets themselves cannot change', () => {
  for (const name of PRESET_NAMES) {
    const copy = presetSettings(name);
    assert.deepEqual(copy, PRESETS[name]);
    copy.introduction.en = 'changed';
    copy.rules.dont.push({ nl: 'extra', en: 'extra' });
    copy.intake.languages.push('de');
    assert.notEqual(PRESETS[name].introduction.en, 'changed');
    assert.ok(!PRESETS[name].intake.languages.includes('de'));
    assert.notDeepEqual(copy, PRESETS[name]);
    assert.deepEqual(presetSettings(name), PRESETS[name]);
  }
  assert.throws(() => {
    (PRESETS.econnect.introduction as Text).en = 'changed';
  }, TypeError);
});
