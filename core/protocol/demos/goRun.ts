// Commands the browser sends to run a student's Go program with the lab machine's Go toolchain (issue 14).
//
// The flow, for a page's Go tab:
// 1. `go.status` once the page opens the tab: is Go installed (version, or the install command for the lab's
//    platform), is the sandbox available (or why not), and may THIS page run Go (a classroom student may not,
//    unless the instructor started the lab with --allow-student-go), with a coded reason when not.
// 2. `go.format` ({source}) on demand: gofmt's text, or compile-style errors at line:col for editor markers.
// 3. `go.run` ({lesson, source}) → {runId, demo, port?}. The page adds `demo` (a per-run id, `gorun-<runId>`)
//    to its subscription; every event of the run arrives stamped with that demo id and reaches only the page that
//    started it. The run's events, in order (core/protocol/events/goRun.ts):
//      gorun.build → gorun.built | gorun.compileErrors (markers) → gorun.start (pid, args, the port the lab picked,
//      the isolation) → gorun.output chunks as they arrive, gorun.goroutines samples (source 'sampled'),
//      gorun.notice (a limit, no sandbox) → gorun.crash (panic / deadlock with the parsed dump) → gorun.end (status,
//      exit code or signal, the limit hit as an error code).
//    While it runs, the lab watches the program's own sockets (its fds ↔ the kernel's socket table) and publishes
//    them with the event types the built-in demos use, under the same run demo id: socket.listen / socket.open /
//    socket.close (source 'polled': seen in the kernel's table, not told by the program; 'captured' for a connection
//    the capture saw open before any poll could), socket.data (source
//    'captured': payload of captured segments), tcpState.change (polled) and packet.segment (captured). So the echo
//    lanes, flow graph and state machine views draw the Go program when given the run's demo id.
// 4. `go.stop` ({runId}) ends it (the whole process group); closing the page stops it too. One run per page at a
//    time (E_GO_RUN_BUSY); pressing Run too fast is refused with E_GO_RUN_TOO_FAST.
// 5. `go.check` ({lesson, source}) for lessons 11-13: builds the program and checks it with the lab as its TCP peer;
//    replies with per-check results like the TypeScript checks'. Same rules as `run` (who, one at a time, budget).
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { LocalizedText, WireError } from '../errors.js';
import type { GoCompileError } from '../events/goRun.js';
import type { GoExerciseReport } from '../goExercise.js';

export const GO_DEMO = 'go';
/** Every Go run's events carry the demo id `${GO_RUN_DEMO_PREFIX}${runId}`. */
export const GO_RUN_DEMO_PREFIX = 'gorun-';

/** The demo id a run's events are stamped with. */
export function goRunDemo(runId: string): string {
  return `${GO_RUN_DEMO_PREFIX}${runId}`;
}

export function isGoRunDemo(demo: string): boolean {
  return demo.startsWith(GO_RUN_DEMO_PREFIX);
}

/** The largest program text the lab accepts (the runner refuses larger with E_GO_PROGRAM_TOO_LARGE). */
export const MAX_GO_SOURCE_CHARS = 256 * 1024;

/** The oldest Go the lessons are written for. */
export const MIN_GO_VERSION = '1.19';

const LessonId = z.string().regex(/^\d\d-[a-z0-9-]+$/, 'a lesson folder name like 01-echo-server');
const GoSource = z.string().max(MAX_GO_SOURCE_CHARS);
const RunId = z.string().regex(/^go\d{1,9}$/, 'a run id as go.run returned it');

/** How to install Go on one platform. */
export interface GoInstallHint {
  platform: 'debian' | 'fedora' | 'arch' | 'alpine' | 'macos' | 'windows' | 'other';
  command: string;
}

export const GoStatusArgs = z.object({}).strict();
export const GoStatusResult = z.object({
  toolchain: z.object({
    found: z.boolean(),
    /** e.g. "go1.19.8 linux/amd64". */
    version: z.string().optional(),
    /** True when the version found is older than MIN_GO_VERSION (then `needs` names what the lessons need). */
    tooOld: z.boolean(),
    needs: z.string(),
    /** Why there is no usable toolchain (E_GO_NOT_INSTALLED, E_GO_TOO_OLD). */
    error: z.custom<WireError>().optional(),
    /** The install command for the lab machine's platform first, then the others. */
    install: z.array(z.custom<GoInstallHint>()),
  }),
  sandbox: z.object({
    available: z.boolean(),
    /** Why runs are not sandboxed here (in English, from the probe). */
    reason: z.string().optional(),
  }),
  /** Whether this page may run Go, and why not (E_GO_STUDENT_NOT_ALLOWED, E_GO_SANDBOX_REQUIRED, …). */
  mayRun: z.boolean(),
  refusal: z.custom<WireError>().optional(),
  /** Whether this page's runs will be sandboxed. */
  sandboxed: z.boolean(),
  /** This page's run still building or running, if any (a page that leaves stops its run; a new page starts fresh). */
  activeRun: z.object({ runId: z.string(), demo: z.string() }).optional(),
});
export type GoStatusResult = z.infer<typeof GoStatusResult>;

export const GoRunArgs = z
  .object({
    /** The lesson whose program this is: picks the arguments the lab passes (the echo server's port). */
    lesson: LessonId,
    /** The text of main.go. */
    source: GoSource,
  })
  .strict();
export const GoRunResult = z.object({
  runId: z.string(),
  /** The demo id every event of this run carries: subscribe to it. */
  demo: z.string(),
  /** The arguments the lab passes to the program. */
  args: z.array(z.string()),
  /** The port the lab picked for a lesson program that listens. */
  port: z.number().int().optional(),
});
export type GoRunResult = z.infer<typeof GoRunResult>;

export const GoStopArgs = z.object({ runId: RunId }).strict();
export const GoStopResult = z.object({ runId: z.string(), stopped: z.boolean() });

export const GoFormatArgs = z.object({ source: GoSource }).strict();
export const GoFormatResult = z.object({
  /** gofmt's output, or null when the source does not parse. */
  source: z.string().nullable(),
  /** Syntax errors at line:col (file "main.go"), ready for editor markers; empty when formatted. */
  errors: z.array(z.custom<GoCompileError>()),
});
export type GoFormatResult = z.infer<typeof GoFormatResult>;

export const GoCheckArgs = z
  .object({
    /** A lesson with a Go exercise (11-13). */
    lesson: LessonId,
    source: GoSource,
  })
  .strict();
/** Per-check results in the TypeScript checks' shape (core/protocol/goExercise.ts). */
export const GoCheckResult = z.custom<GoExerciseReport>();

export const GO_COMMANDS = defineCommands({
  status: { args: GoStatusArgs, result: GoStatusResult },
  /** Builds and runs the program; resolves once the run has started building (events follow). */
  run: { args: GoRunArgs, result: GoRunResult },
  stop: { args: GoStopArgs, result: GoStopResult },
  format: { args: GoFormatArgs, result: GoFormatResult },
  /**
   * Checks a Go exercise with the lab as the program's real TCP peer; resolves when every check ran. The checked
   * program's run events go out under its own run demo id (`gorun-<id>`, owned by this page) as for `run`.
   */
  check: { args: GoCheckArgs, result: GoCheckResult },
});

/** Text for a platform's install hint, shown next to the command. */
export const GO_INSTALL_PLATFORM_NAMES: Readonly<Record<GoInstallHint['platform'], LocalizedText>> = {
  debian: { en: 'Debian / Ubuntu', zh: 'Debian / Ubuntu' },
  fedora: { en: 'Fedora', zh: 'Fedora' },
  arch: { en: 'Arch Linux', zh: 'Arch Linux' },
  alpine: { en: 'Alpine', zh: 'Alpine' },
  macos: { en: 'macOS (Homebrew)', zh: 'macOS（Homebrew）' },
  windows: { en: 'Windows (winget)', zh: 'Windows（winget）' },
  other: { en: 'Any platform', zh: '任意平台' },
};
