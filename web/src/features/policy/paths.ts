/** Dotted paths into the settings object, as the API uses them in 422 details: `rules.do.2.en`. */

function segments(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

export function getIn(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of segments(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A copy of `root` with `value` at `path`; only the objects along the path are copied. */
export function setIn<T>(root: T, path: string, value: unknown): T {
  const keys = segments(path);
  const write = (node: unknown, index: number): unknown => {
    if (index === keys.length) return value;
    const key = keys[index] as string;
    if (Array.isArray(node)) {
      const copy = [...node];
      copy[Number(key)] = write(node[Number(key)], index + 1);
      return copy;
    }
    const object = node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {};
    return { ...object, [key]: write(object[key], index + 1) };
  };
  return write(root, 0) as T;
}

/** The DOM id of the control that edits `path`. */
export function controlId(path: string): string {
  return `policy-${path.replaceAll('.', '-')}`;
}

/** The control for `path`, or for the nearest enclosing path that has one. */
export function nearestControl(path: string): HTMLElement | null {
  const keys = segments(path);
  for (let length = keys.length; length > 0; length--) {
    const element = document.getElementById(controlId(keys.slice(0, length).join('.')));
    if (element) return element;
  }
  return null;
}

/** Bring a control into view and give it keyboard focus. */
export function revealControl(path: string): void {
  const element = nearestControl(path);
  if (!element) return;
  element.scrollIntoView({ block: 'center', behavior: 'smooth' });
  element.focus({ preventScroll: true });
}

/** True when `path` is `prefix` or lies inside it. */
export function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}
