// Who may reach what in a classroom: a pure decision over (where the request comes from, what it asks for, which
// session or token it holds). The HTTP and WebSocket shells act on the verdict.
import type { ErrorCode } from '../../core/protocol/errors.js';
import { CLASSROOM_WS_PATH, INSTRUCTOR_PAGE_PATH, JOIN_PAGE_PATH } from '../../core/protocol/classroom.js';
import type { SessionCheck } from './sessionBook.js';

export type Visitor =
  | { role: 'instructor'; via: 'lab-machine' | 'token' }
  | { role: 'student'; studentId: string; sessionHash: string }
  | { role: 'guest' };

export type GateVerdict =
  | { kind: 'allow'; visitor: Visitor }
  /** Not joined (or the session is gone): answer 401, or send a page to the join page. */
  | { kind: 'needs-join'; code: ErrorCode }
  | { kind: 'refuse'; status: number; code: ErrorCode };

export interface GateInput {
  path: string;
  onLabMachine: boolean;
  /** The result of checking the session cookie, when the request carried one. */
  session: SessionCheck | null;
  instructorCookieValid: boolean;
  /** The join page's own built files (its script, styles): open to everyone. */
  joinAssets: ReadonlySet<string>;
}

/** Paths a browser that has not joined may load: the join page, its files, the join API, the instructor link. */
const OPEN_PATHS = new Set([
  JOIN_PAGE_PATH,
  '/join.html',
  '/api/classroom/join',
  '/api/classroom/instructor-login',
  '/favicon.ico',
]);

/** Paths only the instructor may use. */
export function isInstructorPath(path: string): boolean {
  return (
    path === INSTRUCTOR_PAGE_PATH ||
    path.startsWith('/api/classroom/instructor/') ||
    path === `${CLASSROOM_WS_PATH}/instructor`
  );
}

export function decideGate(input: GateInput): GateVerdict {
  const visitor = identify(input);
  if (OPEN_PATHS.has(input.path) || input.joinAssets.has(input.path)) return { kind: 'allow', visitor };
  if (visitor.role === 'instructor') return { kind: 'allow', visitor };
  if (isInstructorPath(input.path)) return { kind: 'refuse', status: 403, code: 'E_CLASS_INSTRUCTOR_ONLY' };
  if (visitor.role === 'student') return { kind: 'allow', visitor };
  return {
    kind: 'needs-join',
    code: input.session && !input.session.ok ? input.session.reason : 'E_CLASS_JOIN_REQUIRED',
  };
}

function identify(input: GateInput): Visitor {
  // The lab's own machine is the instructor's, as it always was: no code there.
  if (input.onLabMachine) return { role: 'instructor', via: 'lab-machine' };
  if (input.instructorCookieValid) return { role: 'instructor', via: 'token' };
  if (input.session?.ok)
    return { role: 'student', studentId: input.session.studentId, sessionHash: input.session.hash };
  return { role: 'guest' };
}
