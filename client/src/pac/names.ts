/**
 * File and folder names from display names: lower-case ASCII letters, digits and hyphens, at most
 * 60 characters, never empty, never a name Windows reserves. Two objects whose names slug alike
 * get `-2`, `-3`… in a stable order (see `allocate`), so the same tenant always gives the same names.
 */
const reserved = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`]),
]);

export function slug(displayName: string): string {
  const s = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (s === '') return 'unnamed';
  return reserved.has(s) ? `${s}-1` : s;
}

/** The first of `base`, `base-2`, `base-3`… not in `taken` (compared case-insensitively); adds it to `taken`. */
export function allocate(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}
