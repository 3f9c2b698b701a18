import { describe, expect, it } from 'vitest';
import { MAX_RULES_PER_OWNER, type FaultRuleSpec } from '../../../core/protocol/demos/faultProxy.js';
import { FaultRuleBook, mayReach, type ConnOwner, type FaultCaller } from './faultRuleBook.js';

const alice: FaultCaller = { owns: ['page:alice', 'machine:10.0.0.2'], outside: false };
const bob: FaultCaller = { owns: ['page:bob', 'machine:10.0.0.3'], outside: false };
const instructor: FaultCaller = { owns: ['page:teacher', 'machine:127.0.0.1'], outside: true };
const stall = (over: Partial<FaultRuleSpec> = {}): FaultRuleSpec => ({
  fault: { type: 'stall' },
  direction: 'both',
  conn: 'all',
  ...over,
});
const owners: Record<string, ConnOwner> = { a1: 'page:alice', a2: 'machine:10.0.0.2', b1: 'page:bob', nc: null };
const ownerOf = (conn: string) => owners[conn];

describe('FaultRuleBook', () => {
  it('reaches the caller’s own connections (its page’s and its machine’s snippets’), never another student’s', () => {
    const book = new FaultRuleBook();
    const id = book.add('page:alice', alice, stall(), ownerOf);
    for (const conn of ['a1', 'a2']) expect(book.rulesFor(conn, owners[conn]!, 'up').map((r) => r.id)).toEqual([id]);
    expect(book.rulesFor('b1', 'page:bob', 'up')).toEqual([]);
    expect(book.rulesFor('nc', null, 'up')).toEqual([]);
  });

  it('lets only callers on the lab’s machine reach connections from outside the lab', () => {
    expect(mayReach(instructor, null)).toBe(true);
    expect(mayReach(alice, null)).toBe(false);
    const book = new FaultRuleBook();
    book.add('page:teacher', instructor, stall(), ownerOf);
    expect(book.rulesFor('nc', null, 'down')).toHaveLength(1);
    // Even the instructor's rules do not reach a student's connection.
    expect(book.rulesFor('b1', 'page:bob', 'down')).toEqual([]);
  });

  it('refuses a rule on another student’s connection, or one that is not open, with the same code', () => {
    const book = new FaultRuleBook();
    expect(() => book.add('page:alice', alice, stall({ conn: 'b1' }), ownerOf)).toThrow(
      expect.objectContaining({ code: 'E_FAULT_NOT_YOURS' }),
    );
    expect(() => book.add('page:alice', alice, stall({ conn: 'zz' }), ownerOf)).toThrow(
      expect.objectContaining({ code: 'E_FAULT_NOT_YOURS' }),
    );
    const id = book.add('page:alice', alice, stall({ conn: 'a1' }), ownerOf);
    expect(book.rulesFor('a1', 'page:alice', 'up').map((r) => r.id)).toEqual([id]);
    expect(book.rulesFor('a2', 'machine:10.0.0.2', 'up')).toEqual([]);
  });

  it('keeps the direction: up rules act only client → upstream', () => {
    const book = new FaultRuleBook();
    book.add('page:alice', alice, stall({ direction: 'up' }), ownerOf);
    expect(book.rulesFor('a1', 'page:alice', 'up')).toHaveLength(1);
    expect(book.rulesFor('a1', 'page:alice', 'down')).toHaveLength(0);
  });

  it('clears only the holder’s own rules', () => {
    const book = new FaultRuleBook();
    const a = book.add('page:alice', alice, stall(), ownerOf);
    book.add('page:bob', bob, stall(), ownerOf);
    expect(() => book.clear('page:bob', a)).toThrow(expect.objectContaining({ code: 'E_FAULT_NO_SUCH_RULE' }));
    expect(book.list('page:alice').map((r) => r.id)).toEqual([a]);
    expect(book.clear('page:alice')).toBe(1);
    expect(book.list('page:alice')).toEqual([]);
    expect(book.size).toBe(1);
  });

  it('holds a bounded number of rules per holder', () => {
    const book = new FaultRuleBook();
    for (let i = 0; i < MAX_RULES_PER_OWNER; i++) book.add('page:alice', alice, stall(), ownerOf);
    expect(() => book.add('page:alice', alice, stall(), ownerOf)).toThrow(
      expect.objectContaining({ code: 'E_FAULT_TOO_MANY' }),
    );
    expect(() => book.add('page:bob', bob, stall(), ownerOf)).not.toThrow();
  });
});
