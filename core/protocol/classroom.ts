// The classroom's wire format: join requests, who the page is, the roster, and the messages on /ws/classroom.
// Validated with zod at the server's edge; the web app imports the types.
import { z } from 'zod';
import type { WireError } from './errors.js';

export const CLASSROOM_WS_PATH = '/ws/classroom';
export const JOIN_PAGE_PATH = '/join';
export const INSTRUCTOR_PAGE_PATH = '/instructor';
/** The cookie a joined student's browser holds (HttpOnly, SameSite=Strict); its value is a random id. */
export const SESSION_COOKIE = 'gonet_class';
/** The cookie an instructor away from the lab's machine holds after opening the instructor link. */
export const INSTRUCTOR_COOKIE = 'gonet_instructor';

const lessonSlug = z.string().regex(/^[0-9]{2}-[a-z0-9-]{1,60}$/, 'a lesson slug looks like 05-goroutines');
const fileName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a file name is letters, digits, dots, dashes');

export const JoinRequest = z.object({
  code: z.string().max(64),
  name: z.string().max(200),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** Who the page is, answered by GET /api/classroom/me. */
export type ClassroomIdentity =
  | { role: 'solo' } // no classroom: the lab as it always was
  | { role: 'instructor'; classSize: number }
  | { role: 'student'; studentId: string; name: string; work: StudentWork };

export interface LessonProgress {
  passed: number;
  total: number;
  solved: boolean;
  revealed: boolean;
  at: number;
}

/** What the server keeps of one student: exercise results and snippet edits per lesson. */
export interface StudentWork {
  progress: Record<string, LessonProgress>;
  edits: Record<string, Record<string, string>>;
  lesson: string | null;
}

export interface RosterEntry {
  studentId: string;
  name: string;
  joinedAt: number;
  lesson: string | null;
  exercisesPassed: number;
  lastActivity: number;
  connected: boolean;
}

export interface ShownRun {
  studentId: string;
  name: string;
  lesson: string | null;
  output: string;
  at: number;
}

export const ProgressReport = z.object({
  type: z.literal('progress'),
  lesson: lessonSlug,
  passed: z.number().int().min(0).max(1000),
  total: z.number().int().min(0).max(1000),
  solved: z.boolean(),
  revealed: z.boolean(),
});
export const EditReport = z.object({
  type: z.literal('edit'),
  lesson: lessonSlug,
  file: fileName,
  /** null: the student went back to the lesson's own code. */
  text: z
    .string()
    .max(64 * 1024)
    .nullable(),
});
export const LessonReport = z.object({ type: z.literal('lesson'), lesson: lessonSlug });
export const RunReport = z.object({ type: z.literal('run'), lesson: lessonSlug, output: z.string().max(16 * 1024) });
export const StudentMessage = z.discriminatedUnion('type', [ProgressReport, EditReport, LessonReport, RunReport]);
export type StudentMessage = z.infer<typeof StudentMessage>;

export const BroadcastRequest = z.object({ lesson: lessonSlug });
export const StudentRequest = z.object({ studentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const ShowRequest = z.object({
  studentId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .nullable(),
});

/** Messages the server sends on /ws/classroom. */
export type ClassroomServerMessage =
  | { type: 'goto'; lesson: string }
  | { type: 'kicked'; error: WireError }
  | { type: 'shown'; run: ShownRun | null }
  | { type: 'roster'; students: RosterEntry[]; shown: string | null }
  | { type: 'error'; error: WireError };
