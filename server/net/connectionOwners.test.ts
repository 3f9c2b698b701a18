// A run's page claims: each endpoint belongs to the page while the run holds it, and all are released together later.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageClaims, connectionOwners, pageOwner } from './connectionOwners.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('PageClaims', () => {
  it('claims endpoints for the page, names them, and releases them all after the linger', () => {
    vi.useFakeTimers();
    const claims = new PageClaims('s1');
    expect(claims.first()).toBeUndefined();
    expect(claims.claim('127.0.0.1', 40001)).toBe('127.0.0.1:40001');
    expect(claims.claim('::1', 40002)).toBe('[::1]:40002');
    expect(claims.first()).toEqual(['127.0.0.1', 40001]);
    expect(connectionOwners.ownerOf('127.0.0.1', 40001)).toBe(pageOwner('s1'));
    expect(connectionOwners.ownerOf('::1', 40002)).toBe(pageOwner('s1'));

    claims.releaseAfter(3000);
    vi.advanceTimersByTime(2999);
    expect(connectionOwners.ownerOf('127.0.0.1', 40001)).toBe(pageOwner('s1'));
    vi.advanceTimersByTime(1);
    expect(connectionOwners.ownerOf('127.0.0.1', 40001)).toBeUndefined();
    expect(connectionOwners.ownerOf('::1', 40002)).toBeUndefined();
  });

  it('does not release an endpoint another page has claimed since', () => {
    vi.useFakeTimers();
    const first = new PageClaims('s1');
    first.claim('127.0.0.1', 40003);
    new PageClaims('s2').claim('127.0.0.1', 40003);
    first.releaseAfter(10);
    vi.advanceTimersByTime(10);
    expect(connectionOwners.ownerOf('127.0.0.1', 40003)).toBe(pageOwner('s2'));
    connectionOwners.release('127.0.0.1', 40003, pageOwner('s2'));
  });
});
