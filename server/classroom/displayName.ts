// A student's display name: what is accepted, how it is shown, and the key that makes two spellings one name.

export const MAX_NAME_LENGTH = 40;

/** The name as it will be shown (trimmed, inner spaces collapsed, NFC), or null when it is not acceptable. */
export function normalizeDisplayName(input: string): string | null {
  const name = input.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name.length === 0 || [...name].length > MAX_NAME_LENGTH) return null;
  // Letters (any script), marks, digits, spaces and a little punctuation: no control, format or markup characters.
  if (!/^[\p{L}\p{M}\p{N} .'_()-]+$/u.test(name)) return null;
  return name;
}

/** "Ana  Li", "ana li" and "ＡＮＡ ＬＩ" are the same student: the key under which a name is unique. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/gu, ' ').trim();
}
