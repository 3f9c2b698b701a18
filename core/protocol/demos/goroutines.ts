// Commands the browser sends to the goroutines demo: run one of the lessons' programs on the lab's goroutine
// runtime, stop it, or measure what goroutines cost on this machine; and the shape of a program a lesson declares.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { LocalizedText } from '../errors.js';
import type { GoroutineCost, RunStatus } from '../events/goroutine.js';

export const GOROUTINES_DEMO = 'goroutines';

/**
 * What a program's knobs may be: every program's own limits lie inside these, and a run's arguments are checked
 * against both. The numbers bound what one run can cost the server.
 */
export const KNOB_BOUNDS = {
  /** How many goroutines (spawn), values (channels) or requests (leak). */
  n: { min: 1, max: 10_000 },
  /** Channel capacity where a program has one. */
  capacity: { min: 0, max: 100 },
  /** Milliseconds of simulated work, and a timeout where a program has one. */
  workMs: { min: 0, max: 5_000 },
  timeoutMs: { min: 0, max: 5_000 },
} as const;
export type NumberKnob = keyof typeof KNOB_BOUNDS;
/** The knobs a program can have: the numbers above and one switch (counter-race: take the mutex). */
export type Knob = NumberKnob | 'useMutex';
export const KNOBS: readonly Knob[] = ['n', 'capacity', 'workMs', 'timeoutMs', 'useMutex'];

const bounded = (k: NumberKnob) => z.number().int().min(KNOB_BOUNDS[k].min).max(KNOB_BOUNDS[k].max);

const numberKnob = (k: NumberKnob) =>
  z
    .object({ default: bounded(k), min: bounded(k), max: bounded(k) })
    .strict()
    .refine((v) => v.min <= v.default && v.default <= v.max, { message: 'needs min <= default <= max' });

/** A program's name: lower-case words joined by dashes, unique across all lessons. */
export const ProgramName = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by dashes');

/**
 * What the lesson page needs to offer a program: its name, title in both languages and knobs with their default
 * and limits. Declared next to the program's code in its lesson folder (lessons/NN-slug/programs.ts).
 */
export const GoroutineProgramInfo = z
  .object({
    name: ProgramName,
    title: z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict(),
    knobs: z
      .object({
        n: numberKnob('n').optional(),
        capacity: numberKnob('capacity').optional(),
        workMs: numberKnob('workMs').optional(),
        timeoutMs: numberKnob('timeoutMs').optional(),
        useMutex: z.object({ default: z.boolean() }).strict().optional(),
      })
      .strict(),
  })
  .strict();
export type GoroutineProgramInfo = z.infer<typeof GoroutineProgramInfo>;

/** The knob values one run gets: every knob the program declares, defaults filled in. */
export type KnobValues = { [K in NumberKnob]?: number } & { useMutex?: boolean };

/** Prints a line as the program's output (fmt.Println). */
export type Println = (...parts: unknown[]) => void;

/** What a run hands a program besides its knobs. */
export interface ProgramRun {
  println: Println;
  /** Seed for anything random the program does, so a run can be repeated. */
  seed: number;
}

/**
 * A program as its lesson folder declares it: the info above plus `main`, which builds the program's main
 * function for one run's knob values (defaults filled in). The main runs on the lab's goroutine runtime.
 */
export interface GoroutineProgramModule extends GoroutineProgramInfo {
  main(knobs: KnobValues, run: ProgramRun): () => Promise<void>;
}

type KnobSpec = GoroutineProgramInfo['knobs'];
/** The values a program's main gets for the knobs it declares: every one present, typed by its default. */
export type ValuesOf<K extends KnobSpec> = {
  [P in keyof K]-?: NonNullable<K[P]> extends { default: infer D } ? D : never;
};

/** Declares a program with its main typed by its own knobs (lessons/NN-slug/programs.ts). */
export function defineProgram<K extends KnobSpec>(program: {
  name: string;
  title: LocalizedText;
  knobs: K;
  main(knobs: ValuesOf<K>, run: ProgramRun): () => Promise<void>;
}): GoroutineProgramModule {
  return program as unknown as GoroutineProgramModule;
}

export const GoroutinesRunArgs = z
  .object({
    /** A program of one of the lessons (lessons/NN-slug/programs.ts). */
    program: ProgramName,
    n: bounded('n').optional(),
    capacity: bounded('capacity').optional(),
    workMs: bounded('workMs').optional(),
    timeoutMs: bounded('timeoutMs').optional(),
    useMutex: z.boolean().optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type GoroutinesRunArgs = z.infer<typeof GoroutinesRunArgs>;

export const GoroutinesStopArgs = z.object({}).strict();
export const GoroutinesMeasureArgs = z
  .object({
    count: z.number().int().min(1_000).max(100_000).default(10_000),
    /** Also run the lesson's Go program to measure real goroutines and OS threads (needs Go on the server). */
    withGo: z.boolean().default(true),
  })
  .strict();

// Types the event model owns (RunStatus, GoroutineCost) and LocalizedText are written once, as TypeScript types:
// z.custom carries them into the results without a second copy of their shape.
export const GoroutinesRunResult = z.object({
  status: z.custom<RunStatus>(),
  report: z.string(),
  output: z.array(z.string()),
  goroutines: z.number().int(),
  ms: z.number(),
});
export type GoroutinesRunResult = z.infer<typeof GoroutinesRunResult>;

export const GoroutinesMeasureResult = z.object({
  runtime: z.custom<GoroutineCost>(),
  go: z.custom<GoroutineCost>().nullable(),
  /** Why there is no Go figure (Go not installed, the program failed), in both languages. */
  goUnavailable: z.custom<LocalizedText>().optional(),
});
export type GoroutinesMeasureResult = z.infer<typeof GoroutinesMeasureResult>;

export const GOROUTINES_COMMANDS = defineCommands({
  /** Runs a program to its end (a newer run stops an older one). */
  run: { args: GoroutinesRunArgs, result: GoroutinesRunResult },
  stop: { args: GoroutinesStopArgs, result: z.object({ status: z.custom<RunStatus>() }) },
  measure: { args: GoroutinesMeasureArgs, result: GoroutinesMeasureResult },
});
