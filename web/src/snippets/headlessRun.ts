// Runs a snippet without a browser (lesson content tests, hostile-snippet tests, the bench): the same runner and
// library as the worker, with the host's limits (wall time, output, goroutines) enforced in-process.
import type { ErrorCode } from '@core/protocol/errors';
import type { BridgeClient } from '@core/bridge/bridgeClient';
import type { DemoAddress, SnippetHost } from './gonet/host';
import { SnippetRunner, type CheckResult, type RunOutcome, type RunRequest } from './snippetRunner';

export interface HeadlessOptions {
  bridge: BridgeClient | null;
  demos: { id: string; endpoints: DemoAddress[] }[];
  timeLimitMs?: number;
  maxOutputBytes?: number;
  maxGoroutines?: number;
  language?: 'en' | 'zh';
  /** Called with each piece of output as it is printed. */
  onOutput?(text: string): void;
}

export interface HeadlessResult {
  outcome: RunOutcome;
  output: string;
  /** The limit that ended the run, if one did. */
  limit: ErrorCode | null;
  checks: CheckResult[];
}

export async function runHeadless(req: RunRequest, options: HeadlessOptions): Promise<HeadlessResult> {
  let output = '';
  let bytes = 0;
  let limit: ErrorCode | null = null;
  const checks: CheckResult[] = [];
  let runner: SnippetRunner | null = null;
  const maxOutput = options.maxOutputBytes ?? 1024 * 1024;
  const end = (code: ErrorCode) => {
    limit ??= code;
    runner?.stop();
  };
  // A host of this run only: several headless runs may share the process.
  const host: SnippetHost = {
    output(_stream, text) {
      if (limit) return;
      bytes += text.length;
      if (bytes > maxOutput) return end('E_SNIPPET_OUTPUT_LIMIT');
      output += text;
      options.onOutput?.(text);
    },
    bridge: options.bridge,
    language: options.language ?? 'en',
    demos: options.demos,
    maxGoroutines: options.maxGoroutines ?? 100_000,
    limitExceeded: (code) => end(code),
  };
  runner = new SnippetRunner({ check: (r) => checks.push(r) }, host);
  const timer = setTimeout(() => end('E_SNIPPET_TIME_LIMIT'), options.timeLimitMs ?? 30_000);
  try {
    const outcome = await runner.run(req);
    return { outcome, output, limit, checks };
  } finally {
    clearTimeout(timer);
  }
}
