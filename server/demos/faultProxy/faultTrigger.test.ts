import { describe, expect, it } from 'vitest';
import { TriggerState } from './faultTrigger.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Feeds chunks in order and returns the absolute offset where the trigger fires, or null. */
function firesAt(trigger: ConstructorParameters<typeof TriggerState>[0], chunks: string[]): number | null {
  const t = new TriggerState(trigger);
  let base = 0;
  for (const c of chunks) {
    const b = bytes(c);
    const at = t.fireOffset(b);
    if (at !== null && !(at === 0 && b.length === 0)) return base + at;
    t.advance(b);
    base += b.length;
  }
  return null;
}

/** Every way of cutting `text` into two or three chunks. */
function splits(text: string): string[][] {
  const out: string[][] = [[text]];
  for (let i = 0; i <= text.length; i++) {
    out.push([text.slice(0, i), text.slice(i)]);
    for (let j = i; j <= text.length; j++) out.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  }
  return out;
}

describe('TriggerState', () => {
  it('fires after N bytes, wherever the chunks are cut', () => {
    for (const chunks of splits('abcdefghij')) expect(firesAt({ afterBytes: 4 }, chunks)).toBe(4);
    expect(firesAt({ afterBytes: 11 }, ['abcdefghij'])).toBeNull();
  });

  it('fires right after a pattern, even one split across chunks', () => {
    for (const chunks of splits('GET /x HTTP/1.1\r\nHost: y\r\n\r\n'))
      expect(firesAt({ pattern: '\r\n\r\n' }, chunks)).toBe(28);
    expect(firesAt({ pattern: 'QUIT' }, ['QU', 'IX', 'QUIT'])).toBe(8);
    expect(firesAt({ pattern: 'zz' }, ['abc', 'def'])).toBeNull();
  });

  it('fires at the first byte of the n-th message, not at the end of the one before', () => {
    for (const chunks of splits('one\ntwo\nthree\n'))
      expect(firesAt({ onMessage: 3, delimiter: '\n' }, chunks)).toBe(8);
    // The third message has not begun: nothing fires yet.
    expect(firesAt({ onMessage: 3, delimiter: '\n' }, ['one\ntwo\n'])).toBeNull();
    expect(firesAt({ onMessage: 2, delimiter: '\r\n' }, ['a\r', '\nb'])).toBe(3);
  });

  it('says which triggers start before any byte', () => {
    expect(new TriggerState({ afterBytes: 0 }).firesAtOnce()).toBe(true);
    expect(new TriggerState({ onMessage: 1, delimiter: '\n' }).firesAtOnce()).toBe(true);
    expect(new TriggerState({ onMessage: 2, delimiter: '\n' }).firesAtOnce()).toBe(false);
    expect(new TriggerState({ pattern: 'x' }).firesAtOnce()).toBe(false);
  });
});
