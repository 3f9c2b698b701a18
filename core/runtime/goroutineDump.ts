// Goroutine dumps as Go prints them: "goroutine 6 [chan send]:", what each goroutine waits on, and where it was
// created. Used by deadlock reports, leak reports and the dump table.
import type { GoroutineInfo, WaitTarget } from '../protocol/events/goroutine.js';
import { isWaitCases, type Goroutine } from './goroutine.js';

/** A snapshot of one goroutine. */
export function describeGoroutine(g: Goroutine, now: number): GoroutineInfo {
  const info: GoroutineInfo = {
    id: g.id,
    fn: g.fnName,
    state: g.state === 'dead' ? 'waiting' : g.state,
    parent: g.parent?.id ?? 0,
  };
  if (g.parent !== null) info.parentFn = g.parent.fnName;
  if (g.state === 'waiting' && g.waitReason !== null) {
    info.waitReason = g.waitReason;
    const on = g.waitingOn;
    if (on !== null) {
      const targets: WaitTarget[] = [];
      if (isWaitCases(on)) {
        for (const c of on) if (c.ch !== null) targets.push(c.ch.waitTarget(c.dir));
      } else {
        targets.push(on.waitTarget());
      }
      if (targets.length > 0) info.waitingOn = targets;
    }
    if (g.rt.recordWaits) info.waitingMs = Math.max(0, now - g.waitSince);
  }
  const site = formatSite(g.site);
  if (site !== undefined) info.site = site;
  return info;
}

const siteCache = new WeakMap<Error, string | undefined>();
/** A frame inside the runtime's own modules (engines without Error.captureStackTrace keep them in the stack). */
const RUNTIME_FRAME = /[\\/]server[\\/]runtime[\\/](?![^\\/]*\.test\.)[^\\/]+\.[cm]?[tj]s/;

/** The first frame of a captured stack that is not the runtime's own, as "path:line:column". */
export function formatSite(stackHolder: Error | undefined): string | undefined {
  if (stackHolder === undefined) return undefined;
  if (siteCache.has(stackHolder)) return siteCache.get(stackHolder);
  let site: string | undefined;
  const lines = (stackHolder.stack ?? '').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('Error') || RUNTIME_FRAME.test(line)) continue;
    const inParens = /\((.*)\)$/.exec(line);
    let loc = inParens ? inParens[1] : line.replace(/^at\s+/, '').replace(/^[^@]*@/, '');
    loc = loc.replace(/^file:\/\//, '');
    site = loc;
    break;
  }
  siteCache.set(stackHolder, site);
  return site;
}

function describeTarget(t: WaitTarget): string {
  const name = t.name !== undefined ? ` "${t.name}"` : '';
  const dir = t.dir !== undefined ? `${t.dir} ` : '';
  const fill = t.cap !== undefined ? ` (len ${t.len ?? 0}, cap ${t.cap})` : '';
  return `${dir}${t.kind} ${t.id}${name}${fill}`;
}

/** One goroutine, as Go's traceback prints it (our frames are the function and the creation site). */
export function formatGoroutine(g: GoroutineInfo): string {
  let state: string = g.waitReason ?? g.state;
  if (g.waitingMs !== undefined && g.waitingMs >= 60_000) state += `, ${Math.floor(g.waitingMs / 60_000)} minutes`;
  const lines = [`goroutine ${g.id} [${state}]:`, `${g.fn}(...)`];
  if (g.waitingOn !== undefined) lines.push(`\twaiting on ${g.waitingOn.map(describeTarget).join(', ')}`);
  if (g.parent !== 0) lines.push(`created by ${g.parentFn ?? 'goroutine'} in goroutine ${g.parent}`);
  else if (g.id !== 1) lines.push('created outside any goroutine');
  if (g.site !== undefined) lines.push(`\t${g.site}`);
  return lines.join('\n');
}

export function formatGoroutineDump(goroutines: readonly GoroutineInfo[]): string {
  return goroutines.map(formatGoroutine).join('\n\n');
}
