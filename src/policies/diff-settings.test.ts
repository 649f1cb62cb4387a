import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSettings } from './diff-settings.ts';

test('lists each changed leaf by its path; lists compare whole', () => {
  const before = { a: { b: 1, c: ['nl', 'en'] }, d: { nl: 'x', en: 'y' }, gone: true };
  const after = { a: { b: 2, c: ['nl', 'en'] }, d: { nl: 'x', en: 'z' }, added: null };
  assert.deepEqual(diffSettings(before, after), [
    { path: 'a.b', before: 1, after: 2 },
    { path: 'd.en', before: 'y', after: 'z' },
    { path: 'gone', before: true, after: undefined },
    { path: 'added', before: undefined, after: null },
  ]);
  assert.deepEqual(diffSettings({ l: [1, 2] }, { l: [2, 1] }), [
    { path: 'l', before: [1, 2], after: [2, 1] },
  ]);
  assert.deepEqual(diffSettings(before, structuredClone(before)), []);
});
