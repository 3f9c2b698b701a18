// One run of the Go helper as a child process: its JSON lines as they come, lines written to its stdin, waits
// bounded in time, and the process gone when the run is over.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { LabError } from '../../../core/protocol/errors.js';
import { parseHelperLine, type HelperLine } from './helperLines.js';

const WAIT_MS = 10_000;
const MAX_OUTPUT = 64 * 1024;

export class ReuseHelperProcess {
  private readonly child: ChildProcess;
  private readonly lines: HelperLine[] = [];
  private waiters: Array<() => void> = [];
  private output = '';
  private exited = false;
  readonly done: Promise<void>;

  constructor(binary: string, args: readonly string[]) {
    this.child = spawn(binary, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
    const decoder = new StringDecoder('utf8');
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      partial += decoder.write(chunk);
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const text = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        this.note(text);
        const line = parseHelperLine(text);
        if (line) this.lines.push(line);
      }
      this.wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.note(chunk.toString('utf8')));
    this.child.stdin!.on('error', () => {});
    this.done = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.note(String(err));
        this.exited = true;
        this.wake();
        resolve();
      });
      this.child.on('close', () => {
        this.exited = true;
        this.wake();
        resolve();
      });
    });
  }

  /** The first line (from `from` on) that `match` accepts; rejects when the helper exits or WAIT_MS passes. */
  async next<T extends HelperLine>(match: (line: HelperLine) => line is T, from = 0): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      if (this.exited || Date.now() > deadline)
        throw new LabError('E_PORT_REUSE_HELPER_FAILED', this.output.trim().slice(-2000) || 'no output');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Writes one line to the helper's stdin (ignored once it has exited). */
  tell(line: string): void {
    if (!this.exited) this.child.stdin!.write(`${line}\n`);
  }

  /** Ends its stdin and waits for it to exit; kills it when it does not within WAIT_MS. */
  async finish(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), WAIT_MS);
    await this.done;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private note(text: string): void {
    if (this.output.length < MAX_OUTPUT) this.output += `${text}\n`;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
