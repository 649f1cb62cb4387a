/** One difference between two versions of a policy, at a dotted path such as `intake.languages`. */
export type SettingsChange = { path: string; before: unknown; after: unknown };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The differences between two settings objects, leaf by leaf. Objects are compared per key; arrays
 * and scalars as a whole (a list that changed shows before and after, which reads best for
 * lists of rules or languages).
 */
export function diffSettings(before: unknown, after: unknown, path = ''): SettingsChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffSettings(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}
