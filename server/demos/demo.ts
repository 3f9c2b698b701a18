// What every built-in demo is: a thing the lab starts on loopback, that publishes events, takes commands from
// browsers and can run a scripted scenario for the headless twin.
import type { z } from 'zod';
import type { CommandArgs, CommandMap, CommandResultIn } from '../../core/protocol/commandMap.js';
import type { LocalizedText } from '../../core/protocol/errors.js';
import type { LabEventBody } from '../../core/protocol/events.js';
import type { Capability, DemoEndpoint } from '../../core/protocol/wire.js';

export interface DemoContext {
  /** The address demos listen on (127.0.0.1 unless the instructor chose another). */
  host: string;
  /** Port for the demo's n-th listener; 0 means "any free port" (headless runs, tests). */
  port(index: number): number;
  /** Publishes an event stamped with this demo's id. */
  emit(body: LabEventBody): void;
  /** Reports something the lab can or cannot do here (e.g. packet capture), for /api/status and the banner. */
  setCapability?(name: string, capability: Capability): void;
  /** Publishes an event under a demo id of its own making (a Go run's `gorun-<id>`), on the lab's bus. */
  emitAs?(demo: string, body: LabEventBody): void;
  /** Drops the recent history kept for such a demo id, once no page needs it. */
  forget?(demo: string): void;
  /** The ports every running demo listens on (what a sandboxed Go run may dial). */
  labPorts?(): number[];
  /** A running demo's first endpoint (what a lesson's Go program dials, e.g. the DNS server of lesson 28). */
  demoEndpoint?(demo: string): { host: string; port: number } | undefined;
}

/** Who sent a command: resources a browser opens are tied to its session and closed when it leaves. */
export interface CommandCaller {
  session: string;
  /**
   * True for a browser on the lab's own machine (the instructor's), false for one on another machine; absent for
   * the lab's own callers (headless runs, tests). Shared demos' controls check it (see workerPoolDemo.ts).
   */
  local?: boolean;
  /** The browser's machine address (a /ws page); its snippets' sockets are that machine's (connectionOwners.ts). */
  address?: string;
}

/** One action as the dispatch sees it: its schemas from the demo's command map, and the handler. */
export interface DemoCommand {
  readonly args: z.ZodType;
  readonly result: z.ZodType;
  run(args: unknown, caller: CommandCaller): Promise<unknown> | unknown;
}

/** A handler per action of a command map: validated arguments in, a result its schema accepts out. */
export type CommandHandlers<M extends CommandMap> = {
  readonly [A in keyof M]: (
    args: CommandArgs<M, A>,
    caller: CommandCaller,
  ) => Promise<CommandResultIn<M, A>> | CommandResultIn<M, A>;
};

/** A demo's commands: each action of its map (core/protocol/demos/<demo>.ts) with its handler. */
export function demoCommands<M extends CommandMap>(
  map: M,
  handlers: CommandHandlers<M>,
): { readonly [A in keyof M]: DemoCommand } {
  const commands = {} as Record<keyof M, DemoCommand>;
  for (const action of Object.keys(map) as (keyof M)[]) {
    const { args, result } = map[action];
    commands[action] = { args, result, run: handlers[action] as DemoCommand['run'] };
  }
  return commands;
}

export interface ScenarioContext {
  /** Lets the scenario take its time; the runner stops the demo when the promise settles. */
  signal: AbortSignal;
}

export interface Demo {
  readonly id: string;
  readonly title: LocalizedText;
  /** How many listening ports it needs from the lab's port range. */
  readonly portCount: number;
  start(ctx: DemoContext): Promise<void>;
  /** Closes listeners, sockets and child processes. Safe to call twice. */
  stop(): Promise<void>;
  endpoints(): DemoEndpoint[];
  readonly commands: Readonly<Record<string, DemoCommand>>;
  /** A browser session left: close what it opened. */
  sessionClosed?(session: string): void;
  /** The headless twin's script: drives the running demo and resolves when the scenario is over. */
  scenario?(ctx: ScenarioContext): Promise<void>;
}
