// Which sampled states count as a deadlock.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGoroutineDump, programGoroutines } from './goroutineDumpParser.js';
import { allGoroutinesStuck } from './sampledDeadlock.js';

const dump = (name: string) =>
  programGoroutines(parseGoroutineDump(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')));

describe('allGoroutinesStuck', () => {
  it('is true for the goroutines of a real Go deadlock dump', () => {
    expect(allGoroutinesStuck(dump('go1.19-deadlock.txt'))).toBe(true);
  });

  it('is false while any goroutine runs, sleeps, waits for I/O or selects (it may wait on a timer)', () => {
    expect(allGoroutinesStuck(dump('go1.19-runtime-stack.txt'))).toBe(false);
    const stuck = dump('go1.19-deadlock.txt');
    for (const waitReason of ['IO wait', 'sleep', 'select']) {
      expect(allGoroutinesStuck([...stuck, { ...stuck[0]!, id: 99, waitReason }])).toBe(false);
    }
    expect(allGoroutinesStuck([...stuck, { ...stuck[0]!, id: 99, state: 'runnable', waitReason: undefined }])).toBe(
      false,
    );
  });

  it('is false for no goroutines at all', () => {
    expect(allGoroutinesStuck([])).toBe(false);
  });
});
