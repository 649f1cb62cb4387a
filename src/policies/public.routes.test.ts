import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiateLanguage } from './public.routes.ts';

test('?lang= wins when it names a language Haven speaks', () => {
  assert.deepEqual(negotiateLanguage('nl', 'en-GB,en'), { language: 'nl', explicit: true });
  assert.deepEqual(negotiateLanguage('de', 'en-GB,en'), { language: 'en', explicit: false });
  assert.deepEqual(negotiateLanguage(['nl', 'en'], undefined), { language: undefined, explicit: false });
});

test('Accept-Language: the best-weighted of nl and en, regions ignored', () => {
  const pick = (header: string | undefined) => negotiateLanguage(undefined, header).language;
  assert.equal(pick('nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7'), 'nl');
  assert.equal(pick('en-US,en;q=0.9'), 'en');
  assert.equal(pick('de-DE,de;q=0.9,en;q=0.5,nl;q=0.4'), 'en');
  assert.equal(pick('en;q=0.2, NL-be;q=0.8'), 'nl');
  assert.equal(pick('nl;q=0, en'), 'en', 'q=0 means not acceptable');
  assert.equal(pick('fr, de'), undefined, 'none of ours: the organisation decides');
  assert.equal(pick('*'), undefined);
  assert.equal(pick(''), undefined);
  assert.equal(pick(undefined), undefined);
  assert.equal(pick('en;q=abc, nl;q=0.1'), 'nl', 'a malformed weight counts for nothing');
});
