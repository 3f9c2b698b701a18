// The class's join code and the instructor token: made from random bytes, read back forgivingly, compared in
// constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters students confuse when they copy from a projector. */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const JOIN_CODE_LENGTH = 6;

/** A new join code, e.g. "KQ7-M3D" shown as two halves; `random` is injectable for tests. */
export function newJoinCode(random: (n: number) => Buffer = randomBytes): string {
  const out: string[] = [];
  // Rejection sampling keeps every letter equally likely (256 is not a multiple of the alphabet's size).
  const limit = 256 - (256 % JOIN_CODE_ALPHABET.length);
  while (out.length < JOIN_CODE_LENGTH) {
    for (const b of random(JOIN_CODE_LENGTH * 2)) {
      if (b < limit && out.length < JOIN_CODE_LENGTH) out.push(JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]!);
    }
  }
  return out.join('');
}

/** The code as the banner shows it: "KQ7-M3D". */
export function displayJoinCode(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3)}`;
}

/** What a student typed, as the code it means: case, spaces and dashes do not matter. */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-_.]/g, '');
}

export function joinCodeMatches(typed: string, code: string): boolean {
  const a = Buffer.from(normalizeJoinCode(typed));
  const b = Buffer.from(code);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A random id for a session or the instructor token: 32 bytes, URL-safe. */
export function newSecret(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}
