// The shared demos' control rules as a pure function of who started a run and who asks.
import { describe, expect, it } from 'vitest';
import { mayChangeShared, mayStart, mayStop } from './sharedControl.js';

const pageA = { session: 'A', local: true };
const pageB = { session: 'B', local: true };
const student = { session: 'S', local: false };
const student2 = { session: 'T', local: false };
const lab = { session: 'headless' };
const code = (e: { code: string } | null) => e?.code ?? 'ok';

describe('shared demo controls', () => {
  it('a run is stopped by the page that started it, not by another page on the same machine', () => {
    expect(code(mayStop(pageA, pageA, 'the load run'))).toBe('ok');
    expect(code(mayStop(pageA, pageB, 'the load run'))).toBe('E_NOT_OWNER');
    expect(code(mayStop(student, student2, 'the load run'))).toBe('E_NOT_OWNER');
    expect(code(mayStop(pageA, student, 'the load run'))).toBe('E_NOT_OWNER');
  });
  it('the instructor’s browser may stop a run started from another machine; the lab itself may stop any', () => {
    expect(code(mayStop(student, pageA, 'the load run'))).toBe('ok');
    expect(code(mayStop(pageA, lab, 'the load run'))).toBe('ok');
  });
  it('another page’s run blocks a new one; the page’s own does not', () => {
    expect(code(mayStart(null, student, 'a load run'))).toBe('ok');
    expect(code(mayStart(pageA, pageA, 'a load run'))).toBe('ok');
    expect(code(mayStart(pageA, pageB, 'a load run'))).toBe('E_DEMO_IN_USE');
    expect(code(mayStart(student, pageA, 'a load run'))).toBe('E_DEMO_IN_USE');
  });
  it('changing the shared server is refused to pages on other machines', () => {
    expect(code(mayChangeShared(student, 'the pool'))).toBe('E_INSTRUCTOR_ONLY');
    expect(code(mayChangeShared(pageA, 'the pool'))).toBe('ok');
    expect(code(mayChangeShared(lab, 'the pool'))).toBe('ok');
  });
});
