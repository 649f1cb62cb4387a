import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_STATUS } from './errors.ts';
import { catalogues, createTranslator } from './i18n.ts';

function entries(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => entries(v, prefix ? `${prefix}/${k}` : k));
}

test('Dutch and English catalogues have exactly the same keys, none empty', () => {
  const en = new Map(entries(catalogues.en));
  const nl = new Map(entries(catalogues.nl));
  assert.deepEqual(
    [...en.keys()].filter((k) => !nl.has(k)),
    [],
    'missing in nl.json',
  );
  assert.deepEqual(
    [...nl.keys()].filter((k) => !en.has(k)),
    [],
    'missing in en.json',
  );
  for (const [key, value] of [...en, ...nl]) {
    assert.equal(typeof value, 'string', `${key} is not a text`);
    assert.ok(String(value).trim(), `${key} is empty`);
  }
});

test('every error code has a text in both languages', () => {
  for (const code of Object.keys(ERROR_STATUS)) {
    assert.ok((catalogues.en.errors as Record<string, string>)[code], `en errors.${code}`);
    assert.ok((catalogues.nl.errors as Record<string, string>)[code], `nl errors.${code}`);
  }
});

test('server texts are translated and interpolated', async () => {
  const t = await createTranslator();
  assert.equal(t('nl', 'mail.passwordReset.subject'), 'Stel je Haven-wachtwoord opnieuw in');
  assert.match(t('en', 'mail.invitation.subject', { organisation: 'Acme & Co' }), /Acme & Co/);
});
