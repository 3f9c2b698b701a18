// Counting the spread: answers per listener, answers that name no listener of the group, the hash check's
// tuples, and the kernel row matched by both ends.
import { describe, expect, it } from 'vitest';
import type { KernelSocket } from '../../observers/kernel/kernelSocket.js';
import { connectionRow, hashSourceAddress, listenerOfAnswer, sameListenerTuples, tallyAnswers } from './spreadTally.js';

describe('listenerOfAnswer', () => {
  it('reads L<n> with or without its newline, and nothing else', () => {
    expect(listenerOfAnswer('L0\n')).toBe(0);
    expect(listenerOfAnswer('L7')).toBe(7);
    expect(listenerOfAnswer('L12\n')).toBe(12);
    for (const bad of ['', 'L', 'l3', 'L-1', 'L3 ', 'X3', 'L123', '3']) expect(listenerOfAnswer(bad), bad).toBeNull();
  });
});

describe('tallyAnswers', () => {
  it('counts answers per listener and sums to the connections', () => {
    const answers = [0, 1, 2, 1, 1, 0, null, 2];
    expect(tallyAnswers(answers, 3)).toEqual({ counts: [2, 3, 2], unanswered: 1 });
  });

  it('counts a listener that answered nothing as 0, and names outside the group as unanswered', () => {
    expect(tallyAnswers([1, 1, 5, -1, 2.5], 3)).toEqual({ counts: [0, 2, 0], unanswered: 3 });
    expect(tallyAnswers([], 2)).toEqual({ counts: [0, 0], unanswered: 0 });
  });

  it('keeps the sum: counts + unanswered = answers, for 1,000 answers over 8 listeners', () => {
    const answers = Array.from({ length: 1000 }, (_, i) => (i % 11 === 0 ? null : i % 8));
    const { counts, unanswered } = tallyAnswers(answers, 8);
    expect(counts.reduce((a, b) => a + b, 0) + unanswered).toBe(1000);
    expect(unanswered).toBe(91);
  });
});

describe('sameListenerTuples', () => {
  it('counts the tuples whose every try reached one listener', () => {
    expect(sameListenerTuples([[1, 1, 1], [0, 0], [2, 3, 2], [null, null], [], [4, 4, null]])).toBe(2);
  });
});

describe('connectionRow', () => {
  const row = (local: string, remote: string, state: KernelSocket['state']): KernelSocket => ({
    local,
    remote,
    localPort: Number(local.split(':')[1]),
    remotePort: Number(remote.split(':')[1]),
    state,
    sendQueue: 0,
    receiveQueue: 0,
  });

  it('finds the row with both ends, not one that shares the port only', () => {
    const table = [
      row('127.0.0.1:5000', '0.0.0.0:0', 'LISTEN'),
      row('127.0.0.1:5000', '127.0.0.1:40001', 'TIME_WAIT'),
      row('127.0.0.1:40000', '127.0.0.1:5000', 'CLOSE_WAIT'),
      row('127.0.0.1:5000', '127.0.0.1:40000', 'TIME_WAIT'),
    ];
    expect(connectionRow(table, '127.0.0.1:5000', '127.0.0.1:40000')).toBe(table[3]);
    expect(connectionRow(table, '127.0.0.1:5000', '127.0.0.1:40002')).toBeNull();
  });
});

describe('hashSourceAddress', () => {
  it('gives each tuple a loopback address of its own when the listeners are on loopback or any address', () => {
    expect(hashSourceAddress('127.0.0.1', 0)).toBe('127.88.0.2');
    expect(hashSourceAddress('127.0.0.1', 9)).toBe('127.88.0.11');
    expect(hashSourceAddress('0.0.0.0', 250)).toBe('127.88.1.2');
    const all = new Set(Array.from({ length: 50 }, (_, n) => hashSourceAddress('127.0.0.1', n)));
    expect(all.size).toBe(50);
  });

  it("uses the listeners' own address elsewhere", () => {
    expect(hashSourceAddress('192.168.1.5', 3)).toBe('192.168.1.5');
    expect(hashSourceAddress('::1', 3)).toBe('::1');
  });
});
