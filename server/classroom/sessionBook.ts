// Students' class sessions: the browser holds a random id in an HttpOnly cookie; the server keeps only its SHA-256,
// which student it belongs to and when it expires. Pure apart from making the random id.
import { createHash } from 'node:crypto';
import { newSecret } from './joinCode.js';

/** A class day: a cookie older than this needs the code again (the student's work is kept either way). */
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

export interface SessionRecord {
  hash: string;
  studentId: string;
  createdAt: number;
  expiresAt: number;
}

export type SessionCheck =
  | { ok: true; studentId: string; hash: string }
  | { ok: false; reason: 'E_CLASS_SESSION_INVALID' | 'E_CLASS_SESSION_EXPIRED' };

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

export class SessionBook {
  private readonly byHash = new Map<string, SessionRecord>();

  constructor(
    records: Iterable<SessionRecord> = [],
    private readonly lifetimeMs = SESSION_LIFETIME_MS,
  ) {
    for (const r of records) this.byHash.set(r.hash, r);
  }

  /** A new session for the student: the id goes in the cookie, the record is what the server keeps. */
  issue(studentId: string, now: number, makeId: () => string = newSecret): { id: string; record: SessionRecord } {
    const id = makeId();
    const record = { hash: hashSessionId(id), studentId, createdAt: now, expiresAt: now + this.lifetimeMs };
    this.byHash.set(record.hash, record);
    return { id, record };
  }

  check(id: string | undefined, now: number): SessionCheck {
    // A cookie that is not one of ours (forged, or from before a kick) reads as invalid, never as a crash.
    if (!id || id.length > 200) return { ok: false, reason: 'E_CLASS_SESSION_INVALID' };
    const hash = hashSessionId(id);
    const record = this.byHash.get(hash);
    if (!record) return { ok: false, reason: 'E_CLASS_SESSION_INVALID' };
    if (now >= record.expiresAt) return { ok: false, reason: 'E_CLASS_SESSION_EXPIRED' };
    return { ok: true, studentId: record.studentId, hash };
  }

  /** True when the student has a session that has not expired (a browser still holds their seat). */
  hasLiveSession(studentId: string, now: number): boolean {
    for (const r of this.byHash.values()) if (r.studentId === studentId && now < r.expiresAt) return true;
    return false;
  }

  /** True while the session behind this hash has been neither revoked nor outlived. */
  isLive(hash: string, now: number): boolean {
    const r = this.byHash.get(hash);
    return r !== undefined && now < r.expiresAt;
  }

  /** Students holding a live session: the seats taken in the class. */
  liveStudents(now: number): Set<string> {
    const out = new Set<string>();
    for (const r of this.byHash.values()) if (now < r.expiresAt) out.add(r.studentId);
    return out;
  }

  /** Ends every session of the student (kick); returns the hashes removed. */
  revokeStudent(studentId: string): string[] {
    const removed: string[] = [];
    for (const [hash, r] of this.byHash) {
      if (r.studentId === studentId) {
        this.byHash.delete(hash);
        removed.push(hash);
      }
    }
    return removed;
  }

  /** Drops expired records (kept until then so an expired cookie gets "expired", not "invalid"). */
  dropExpired(now: number, graceMs = this.lifetimeMs): string[] {
    const removed: string[] = [];
    for (const [hash, r] of this.byHash) {
      if (now >= r.expiresAt + graceMs) {
        this.byHash.delete(hash);
        removed.push(hash);
      }
    }
    return removed;
  }
}
