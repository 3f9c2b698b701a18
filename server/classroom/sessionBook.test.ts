import { describe, expect, it } from 'vitest';
import { hashSessionId, SessionBook } from './sessionBook.js';

describe('session book', () => {
  it('knows a session it issued, and keeps only the hash of its id', () => {
    const book = new SessionBook([], 1000);
    const { id, record } = book.issue('s1', 0);
    expect(record.hash).toBe(hashSessionId(id));
    expect(record.hash).not.toContain(id);
    expect(book.check(id, 10)).toEqual({ ok: true, studentId: 's1', hash: record.hash });
  });

  it('says invalid for a forged or missing cookie and expired for an outlived one', () => {
    const book = new SessionBook([], 1000);
    const { id } = book.issue('s1', 0);
    expect(book.check('forged-value', 10)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_INVALID' });
    expect(book.check(undefined, 10)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_INVALID' });
    expect(book.check(`${id}x`, 10)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_INVALID' });
    expect(book.check('a'.repeat(10_000), 10)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_INVALID' });
    expect(book.check(id, 1000)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_EXPIRED' });
  });

  it('loads records kept from an earlier run (a lab restart keeps students in)', () => {
    const first = new SessionBook([], 1000);
    const { id, record } = first.issue('s1', 0);
    const second = new SessionBook([record], 1000);
    expect(second.check(id, 500)).toMatchObject({ ok: true, studentId: 's1' });
  });

  it("counts seats by live sessions and ends all of a student's sessions on a kick", () => {
    const book = new SessionBook([], 1000);
    const a = book.issue('s1', 0);
    book.issue('s1', 0);
    book.issue('s2', 0);
    book.issue('s3', -2000); // already expired
    expect(book.liveStudents(10)).toEqual(new Set(['s1', 's2']));
    expect(book.hasLiveSession('s3', 10)).toBe(false);
    expect(book.revokeStudent('s1')).toHaveLength(2);
    expect(book.check(a.id, 10)).toEqual({ ok: false, reason: 'E_CLASS_SESSION_INVALID' });
    expect(book.isLive(a.record.hash, 10)).toBe(false);
    expect(book.liveStudents(10)).toEqual(new Set(['s2']));
  });

  it('drops expired records only after a grace period, so an old cookie reads as expired first', () => {
    const book = new SessionBook([], 1000);
    const { id } = book.issue('s1', 0);
    expect(book.dropExpired(1500)).toHaveLength(0);
    expect(book.check(id, 1500).ok).toBe(false);
    expect(book.dropExpired(2000)).toHaveLength(1);
  });
});
