const SLUG = /^[a-z0-9-]{1,40}$/;

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/** "Gemeente Één & Co." → "gemeente-een-co": lowercase a-z, 0-9 and single hyphens, at most 40. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
