// `gofmt` on a program's text: the formatted text, or its syntax errors at line:col for the editor's markers. The
// gofmt next to the go command (GOROOT/bin) is used, else the one on PATH; it reads stdin and writes nothing else.
import { spawn } from 'node:child_process';
import { LabError } from '../../core/protocol/errors.js';
import type { GoCompileError } from '../../core/protocol/events/goRun.js';
import { parseCompileErrors } from './compileErrors.js';

export interface GoFormatOutcome {
  source: string | null;
  errors: GoCompileError[];
}

const FORMAT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_CHARS = 1024 * 1024;

/** gofmt's syntax errors name the file "<standard input>": the student's file is main.go. */
export function parseGofmtErrors(stderr: string): GoCompileError[] {
  return parseCompileErrors(stderr.replace(/^<standard input>:/gm, 'main.go:'));
}

/** Formats `source` with `gofmt` (a command name or path). Throws E_GO_NOT_INSTALLED or E_GO_FORMAT_FAILED. */
export function formatGoSource(source: string, gofmt: string): Promise<GoFormatOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(gofmt, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (out.length < MAX_OUTPUT_CHARS) out += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      if (err.length < MAX_OUTPUT_CHARS) err += s;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), FORMAT_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new LabError('E_GO_NOT_INSTALLED', `${gofmt}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ source: out, errors: [] });
      const errors = parseGofmtErrors(err);
      if (errors.length > 0) return resolve({ source: null, errors });
      reject(new LabError('E_GO_FORMAT_FAILED', err.trim().slice(0, 2000) || `exit ${code}`));
    });
    child.stdin.on('error', () => {}); // gofmt gone early: its exit says why
    child.stdin.end(source);
  });
}
