// Lesson 24's resource: input checks and the store's bound.
import { describe, expect, it } from 'vitest';
import { ItemStore, MAX_ITEMS, itemInput } from './itemStore.js';

describe('itemInput', () => {
  it('takes a name and an optional done flag, nothing else', () => {
    expect(itemInput({ name: 'milk' })).toEqual({ ok: true, value: { name: 'milk', done: false } });
    expect(itemInput({ name: 'milk', done: true })).toEqual({ ok: true, value: { name: 'milk', done: true } });
    expect(itemInput({ name: '' }).ok).toBe(false);
    expect(itemInput({ name: 'x', done: 'yes' }).ok).toBe(false);
    expect(itemInput({ name: 'x', extra: 1 })).toEqual({ ok: false, problem: 'unknown field "extra"' });
    expect(itemInput([1]).ok).toBe(false);
    expect(itemInput(null).ok).toBe(false);
  });
});

describe('ItemStore', () => {
  it('creates, gets, updates and deletes, with fresh ids', () => {
    const s = new ItemStore([]);
    const a = s.create({ name: 'a', done: false })!;
    const b = s.create({ name: 'b', done: false })!;
    expect(b.id).toBe(a.id + 1);
    expect(s.update(a.id, { name: 'A', done: true })).toEqual({ id: a.id, name: 'A', done: true });
    expect(s.delete(a.id)).toBe(true);
    expect(s.delete(a.id)).toBe(false);
    expect(s.get(a.id)).toBeUndefined();
    expect(s.update(a.id, { name: 'x', done: false })).toBeUndefined();
    expect(s.list()).toEqual([b]);
  });

  it('refuses to grow past its bound', () => {
    const s = new ItemStore([]);
    for (let i = 0; i < MAX_ITEMS; i++) expect(s.create({ name: `n${i}`, done: false })).not.toBeNull();
    expect(s.create({ name: 'one more', done: false })).toBeNull();
    expect(s.size).toBe(MAX_ITEMS);
  });
});
