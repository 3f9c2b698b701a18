import { describe, expect, it } from 'vitest';
import { decideGate, type GateInput } from './classroomGate.js';

const base: GateInput = {
  path: '/',
  onLabMachine: false,
  session: null,
  instructorCookieValid: false,
  joinAssets: new Set(['/assets/join-abc.js']),
};
const student = { ok: true as const, studentId: 's1', hash: 'h1' };

describe('classroom gate', () => {
  it('lets the lab machine reach everything, as the instructor, with no code', () => {
    for (const path of ['/', '/api/status', '/ws', '/ws/bridge', '/instructor', '/api/classroom/instructor/roster']) {
      expect(decideGate({ ...base, path, onLabMachine: true })).toEqual({
        kind: 'allow',
        visitor: { role: 'instructor', via: 'lab-machine' },
      });
    }
  });

  it('sends a browser from another computer without a session to the join page for everything but the join page and its files', () => {
    for (const path of [
      '/',
      '/api/status',
      '/api/lessons',
      '/ws',
      '/ws/bridge',
      '/ws/classroom',
      '/assets/index-xyz.js',
      '/api/classroom/me',
    ]) {
      expect(decideGate({ ...base, path })).toEqual({ kind: 'needs-join', code: 'E_CLASS_JOIN_REQUIRED' });
    }
    for (const path of ['/join', '/assets/join-abc.js', '/api/classroom/join', '/api/classroom/instructor-login']) {
      expect(decideGate({ ...base, path })).toMatchObject({ kind: 'allow', visitor: { role: 'guest' } });
    }
  });

  it('names why a cookie did not count: forged and expired are told apart', () => {
    expect(decideGate({ ...base, session: { ok: false, reason: 'E_CLASS_SESSION_INVALID' } })).toEqual({
      kind: 'needs-join',
      code: 'E_CLASS_SESSION_INVALID',
    });
    expect(decideGate({ ...base, session: { ok: false, reason: 'E_CLASS_SESSION_EXPIRED' } })).toEqual({
      kind: 'needs-join',
      code: 'E_CLASS_SESSION_EXPIRED',
    });
  });

  it('lets a joined student use the lab; only the instructor reaches the instructor controls', () => {
    for (const path of ['/', '/api/status', '/ws', '/ws/bridge', '/ws/classroom']) {
      expect(decideGate({ ...base, path, session: student })).toEqual({
        kind: 'allow',
        visitor: { role: 'student', studentId: 's1', sessionHash: 'h1' },
      });
    }
    for (const path of [
      '/instructor',
      '/api/classroom/instructor/kick',
      '/api/classroom/instructor/progress.csv',
      '/ws/classroom/instructor',
    ]) {
      expect(decideGate({ ...base, path, session: student })).toEqual({
        kind: 'refuse',
        status: 403,
        code: 'E_CLASS_INSTRUCTOR_ONLY',
      });
      expect(decideGate({ ...base, path })).toEqual({ kind: 'refuse', status: 403, code: 'E_CLASS_INSTRUCTOR_ONLY' });
    }
  });

  it('lets the holder of the instructor token in from another computer', () => {
    expect(decideGate({ ...base, path: '/api/classroom/instructor/kick', instructorCookieValid: true })).toEqual({
      kind: 'allow',
      visitor: { role: 'instructor', via: 'token' },
    });
  });
});
