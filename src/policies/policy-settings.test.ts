import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ATTACHMENT_KINDS,
  bilingual,
  CONTACT_FIELDS,
  IDENTITY_MODES,
  type PolicySettings,
  policySettingsSchema,
  REPORT_DETAILS,
} from './policy-settings.ts';
import { presetSettings } from './presets/index.ts';

/** The paths of the problems the schema finds, sorted. */
function problems(edit: (s: PolicySettings) => void): string[] {
  const settings = presetSettings('ncsc-nl');
  edit(settings);
  const result = policySettingsSchema.safeParse(settings);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.')).sort();
}

describe('lists: bounded, and nothing twice', () => {
  test('a repeated entry is refused on the repeat, in every enum list and in the languages', () => {
    assert.deepEqual(
      problems((s) => {
        s.intake.identities = ['named', 'alias', 'named'];
        s.intake.requiredContact = ['email', 'email'];
        s.intake.requestedDetails = ['steps', 'urls', 'steps'];
        s.intake.attachments.allowed = ['text', 'image', 'image'];
        s.calendar.workingDays = [1, 2, 3, 1];
        s.intake.languages = ['nl', 'en', 'nl'];
      }),
      [
        'calendar.workingDays.3',
        'intake.attachments.allowed.2',
        'intake.identities.2',
        'intake.languages.2',
        'intake.requestedDetails.2',
        'intake.requiredContact.1',
      ],
    );
  });

  test('intake addresses: at most 254 characters, and the same address (in any case) only once', () => {
    assert.deepEqual(
      problems((s) => {
        s.intake.emails = ['security@acme.example', 'cert@acme.example', 'Security@ACME.example'];
      }),
      ['intake.emails.2'],
    );
    const long = `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.example`;
    assert.ok(long.length > 254);
    assert.deepEqual(
      problems((s) => {
        s.intake.emails = [long];
      }),
      ['intake.emails.0'],
    );
  });

  test('every list has a bound: a 22 000-entry list is refused', () => {
    const many = <T>(value: T) => Array.from({ length: 22_000 }, () => value);
    const paths = problems((s) => {
      s.intake.identities = many('named');
      s.intake.requiredContact = many('email');
      s.intake.requestedDetails = many('steps');
      s.intake.attachments.allowed = many('text');
      s.calendar.workingDays = many(1);
      s.intake.languages = many('nl');
      s.intake.emails = many('security@acme.example');
      s.rules.do = many({ nl: 'x', en: 'y' });
      s.rules.dont = many({ nl: 'x', en: 'y' });
      s.rules.other = many({ nl: 'x', en: 'y' });
      s.scope.exclusions = many({ nl: 'x', en: 'y' });
      s.scope.inScope = many({ kind: 'domain', target: 'acme.example' });
      s.scope.outOfScope = many({ kind: 'domain', target: 'acme.example' });
    });
    for (const path of [
      'intake.identities',
      'intake.requiredContact',
      'intake.requestedDetails',
      'intake.attachments.allowed',
      'calendar.workingDays',
      'intake.languages',
      'intake.emails',
      'rules.do',
      'rules.dont',
      'rules.other',
      'scope.exclusions',
      'scope.inScope',
      'scope.outOfScope',
    ]) {
      assert.ok(paths.includes(path), `${path} is not bounded`);
    }
  });

  test('each enum list holds at most its number of values: all of them, once each, is fine', () => {
    assert.deepEqual(
      problems((s) => {
        s.intake.identities = [...IDENTITY_MODES];
        s.intake.requiredContact = [...CONTACT_FIELDS];
        s.intake.requestedDetails = [...REPORT_DETAILS];
        s.intake.attachments.allowed = [...ATTACHMENT_KINDS];
        s.calendar.workingDays = [7, 6, 5, 4, 3, 2, 1];
      }),
      [],
    );
  });
});

describe('texts in both languages', () => {
  test('a text is written in both languages or in neither; the missing one is named', () => {
    const schema = bilingual(100);
    assert.equal(schema.safeParse({ nl: '', en: '' }).success, true);
    assert.equal(schema.safeParse({ nl: 'Hallo', en: 'Hello' }).success, true);
    const onlyDutch = schema.safeParse({ nl: 'Hallo', en: '  ' });
    assert.deepEqual(
      onlyDutch.error?.issues.map((i) => i.path),
      [['en']],
    );
    const onlyEnglish = schema.safeParse({ nl: '', en: 'Hello' });
    assert.deepEqual(
      onlyEnglish.error?.issues.map((i) => i.path),
      [['nl']],
    );
  });

  test('in the settings: privacy, asset notes and reward notes', () => {
    assert.deepEqual(
      problems((s) => {
        s.rules.privacy = { nl: 'We gebruiken je gegevens alleen voor je melding.', en: '' };
        s.scope.inScope = [{ kind: 'domain', target: 'acme.example', note: { nl: '', en: 'All of it' } }];
        s.rewards = {
          kind: 'discretionary',
          dependsOnSeverity: true,
          dependsOnReportQuality: false,
          note: { nl: 'Een cadeaubon', en: '' },
        };
      }),
      ['rewards.note.en', 'rules.privacy.en', 'scope.inScope.0.note.nl'],
    );
  });
});

describe('settings that make sense together', () => {
  test('working hours start before they end', () => {
    assert.deepEqual(
      problems((s) => {
        s.calendar.workingHours = { start: '17:00', end: '09:00' };
      }),
      ['calendar.workingHours.end'],
    );
    assert.deepEqual(
      problems((s) => {
        s.calendar.workingHours = { start: '09:00', end: '09:00' };
      }),
      ['calendar.workingHours.end'],
    );
    assert.deepEqual(
      problems((s) => {
        s.calendar.workingHours = { start: '25:00', end: '09:00' };
      }),
      ['calendar.workingHours.start'],
      'an invalid time has its own error, and only that',
    );
  });

  test('files accepted means room for at least 1 KiB each; no files, any limit', () => {
    assert.deepEqual(
      problems((s) => {
        s.intake.attachments.maxBytes = 1023;
      }),
      ['intake.attachments.maxBytes'],
    );
    assert.deepEqual(
      problems((s) => {
        s.intake.attachments.maxBytes = 1024;
      }),
      [],
    );
    assert.deepEqual(
      problems((s) => {
        s.intake.attachments.allowed = [];
        s.intake.attachments.maxBytes = 0;
      }),
      [],
    );
  });

  test('a default embargo may go with publication by agreement (it is the fallback)', () => {
    assert.deepEqual(
      problems((s) => {
        s.disclosure.publicationOnlyByAgreement = true;
        s.disclosure.defaultEmbargoDays = 90;
      }),
      [],
    );
  });

  test('progress updates: none, at milestones, or at least every N days', () => {
    for (const progress of [
      { kind: 'none' },
      { kind: 'milestones' },
      { kind: 'interval', everyDays: 14 },
    ] as const) {
      assert.deepEqual(
        problems((s) => {
          s.progressUpdates = progress;
        }),
        [],
      );
    }
    for (const bad of [
      { everyDays: null },
      { everyDays: 14 },
      { kind: 'interval' },
      { kind: 'interval', everyDays: 0 },
      { kind: 'milestones', everyDays: 3 },
    ]) {
      const settings = { ...presetSettings('ncsc-nl'), progressUpdates: bad };
      const result = policySettingsSchema.safeParse(settings);
      // `milestones` with a stray number parses (unknown keys are dropped), without the number.
      if (bad.kind === 'milestones') {
        assert.deepEqual(result.data?.progressUpdates, { kind: 'milestones' });
        continue;
      }
      assert.equal(result.success, false, JSON.stringify(bad));
    }
  });
});
