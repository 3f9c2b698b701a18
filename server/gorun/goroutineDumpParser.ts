// Parses Go goroutine dumps (runtime.Stack(all), pprof goroutine debug=2, panic, deadlock and SIGQUIT output) into
// goroutines: id, state, wait reason, minutes blocked, frames, the goroutine's own function and its creator.
// Pure: text in, values out. Reads Go 1.19's format and the newer one (`created by f in goroutine N`, `gp=… m=…`).
import type { GoStackFrame, SampledGoroutine } from '../../core/protocol/events/goRun.js';

/** `goroutine 7 [chan receive, 3 minutes]:`, with Go 1.21+'s optional `gp=0x… m=… mp=…` before the bracket. */
const HEADER = /^goroutine (\d+)(?: [^[]*)? \[([^\]]*)\]:$/;
/** `\t/path/file.go:12 +0x1d` (the offset, and SIGQUIT's `fp=… sp=… pc=…`, are optional). */
const LOCATION = /^\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?(?: .*)?$/;
const CREATED_BY = /^created by (.+?)(?: in goroutine (\d+))?$/;

export interface GoCrash {
  crash: 'panic' | 'deadlock' | 'fatal';
  /** The panic value or fatal error text, e.g. "assignment to entry in nil map". */
  message: string;
}

/** Every goroutine in the text, in the order printed. Lines that belong to no goroutine are skipped. */
export function parseGoroutineDump(text: string): SampledGoroutine[] {
  const out: SampledGoroutine[] = [];
  let current: SampledGoroutine | null = null;
  let pendingFn: string | null = null;
  let pendingCreatedBy: { fn: string; goroutine?: number } | null = null;
  const finish = () => {
    if (current) {
      current.fn = ownFunction(current.frames);
      out.push(current);
    }
    current = null;
    pendingFn = null;
    pendingCreatedBy = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HEADER.exec(line);
    if (header) {
      finish();
      current = { id: Number(header[1]), ...parseState(header[2]!), fn: '', frames: [] };
      continue;
    }
    if (!current) continue;
    if (line === '') {
      finish();
      continue;
    }
    const g: SampledGoroutine = current;
    const loc = LOCATION.exec(line);
    if (loc) {
      const at = { file: loc[1]!, line: Number(loc[2]) };
      if (pendingCreatedBy) {
        g.createdBy = {
          fn: pendingCreatedBy.fn,
          ...at,
          ...(pendingCreatedBy.goroutine !== undefined ? { goroutine: pendingCreatedBy.goroutine } : {}),
        };
        pendingCreatedBy = null;
      } else if (pendingFn !== null) {
        g.frames.push({ fn: pendingFn, ...at });
        pendingFn = null;
      }
      continue;
    }
    if (line.startsWith('\t')) continue; // "goroutine running on other thread; stack unavailable" and the like
    const created = CREATED_BY.exec(line);
    if (created) {
      pendingCreatedBy = { fn: created[1]!, ...(created[2] ? { goroutine: Number(created[2]) } : {}) };
      continue;
    }
    if (line.startsWith('...')) continue; // "...additional frames elided..."
    pendingFn = functionName(line);
  }
  finish();
  return out;
}

/**
 * The goroutines a student's program made: drops the runtime's own (GC workers, goroutine 0, all-runtime stacks)
 * and any with a frame in `hideFile` (the lab's sampler, whatever wrapper the compiler gave its goroutine).
 */
export function programGoroutines(goroutines: readonly SampledGoroutine[], hideFile?: string): SampledGoroutine[] {
  const inHidden = (file: string) => hideFile !== undefined && (file === hideFile || file.endsWith(`/${hideFile}`));
  return goroutines.filter((g) => {
    if (g.id === 0) return false;
    if (g.frames.some((f) => inHidden(f.file)) || (g.createdBy && inHidden(g.createdBy.file))) return false;
    if (g.id === 1) return true;
    const inRuntime = (fn: string) => fn.startsWith('runtime.');
    const all = g.frames.length > 0 && g.frames.every((f) => inRuntime(f.fn));
    return !(all && (!g.createdBy || inRuntime(g.createdBy.fn)));
  });
}

/** What a crash's text says happened: a panic, the deadlock fatal error or another fatal error; null if neither. */
export function detectGoCrash(text: string): GoCrash | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Go prints the crash at the start of a line, followed (after a blank line) by the dump.
    if (line.startsWith('fatal error: ')) {
      const message = line.slice('fatal error: '.length);
      return { crash: message === 'all goroutines are asleep - deadlock!' ? 'deadlock' : 'fatal', message };
    }
    if (line.startsWith('panic: ') && followedByDump(lines, i)) {
      return { crash: 'panic', message: line.slice('panic: '.length).replace(/ \[recovered\]$/, '') };
    }
  }
  return null;
}

function followedByDump(lines: readonly string[], from: number): boolean {
  for (let j = from + 1; j < lines.length && j < from + 40; j++) {
    if (HEADER.test(lines[j]!)) return true;
  }
  return false;
}

function parseState(
  bracket: string,
): Pick<SampledGoroutine, 'state' | 'waitReason' | 'minutesBlocked' | 'lockedToThread'> {
  const parts = bracket.split(', ');
  const reason = parts[0] ?? '';
  const result: Pick<SampledGoroutine, 'state' | 'waitReason' | 'minutesBlocked' | 'lockedToThread'> = {
    state: stateOf(reason),
  };
  if (result.state === 'waiting' || result.state === 'other') result.waitReason = reason;
  for (const p of parts.slice(1)) {
    const minutes = /^(\d+) minutes?$/.exec(p);
    if (minutes) result.minutesBlocked = Number(minutes[1]);
    else if (p === 'locked to thread') result.lockedToThread = true;
  }
  return result;
}

function stateOf(reason: string): SampledGoroutine['state'] {
  switch (reason) {
    case 'running':
    case 'runnable':
    case 'syscall':
    case 'dead':
      return reason;
    case 'idle':
    case 'copystack':
    case 'preempted':
    case '':
      return 'other';
    default:
      return 'waiting';
  }
}

/** "main.(*Server).serve(0xc000…, {0x4ad1ad?, 0x5})" → "main.(*Server).serve": drops the final argument list. */
function functionName(line: string): string {
  if (!line.endsWith(')')) return line;
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    if (line[i] === ')') depth++;
    else if (line[i] === '(') {
      depth--;
      if (depth === 0) return line.slice(0, i);
    }
  }
  return line;
}

/** The goroutine's own function: its bottom frame, below the runtime's start-up frames. */
function ownFunction(frames: readonly GoStackFrame[]): string {
  for (let i = frames.length - 1; i >= 0; i--) {
    const fn = frames[i]!.fn;
    if (fn === 'runtime.goexit' || fn === 'runtime.main') continue;
    return fn;
  }
  return '';
}
