// The error registry holds every code the lab can send or show: a scan of the sources (server, core, web) finds each
// code written as a string, and each has text in both languages. (The ErrorCode type already refuses an unknown
// code wherever a WireError or LabError is built; the scan catches a code written where no type looks.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, wireError } from './errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Codes written as string literals ('E_X', "E_X", `E_X...`). */
export function codesIn(source: string): string[] {
  return [...source.matchAll(/['"`](E_[A-Z0-9_]+)\b/g)].map((m) => m[1]!);
}

describe('error registry', () => {
  it('finds codes in every kind of string literal', () => {
    expect(
      codesIn(`wireError('E_A', x); throw { code: "E_B_C" }; t(\`E_D: \${y}\`); const notACode = E_SKIP;`),
    ).toEqual(['E_A', 'E_B_C', 'E_D']);
  });

  it('registers every code the server, core and web write', () => {
    const unregistered: string[] = [];
    let seen = 0;
    for (const dir of ['server', 'core', 'web/src']) {
      for (const file of sources(dir)) {
        for (const code of codesIn(readFileSync(file, 'utf8'))) {
          seen++;
          if (!Object.hasOwn(ERROR_MESSAGES, code)) unregistered.push(`${relative(root, file)}: ${code}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(50); // the scan reads the real sources
    expect(unregistered).toEqual([]);
  });

  it('includes the HTTP API errors', () => {
    for (const code of ['E_METHOD', 'E_NO_SUCH_LESSON', 'E_BAD_LESSON', 'E_NOT_FOUND'] as const) {
      expect(wireError(code, 'detail')).toEqual({ code, message: ERROR_MESSAGES[code], detail: 'detail' });
    }
  });

  it('has English and Chinese text for every code', () => {
    for (const [code, text] of Object.entries(ERROR_MESSAGES)) {
      expect(text.en.trim(), code).not.toBe('');
      expect(text.en, code).toMatch(/[.!?)]$/);
      expect(text.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(text.zh, code).toMatch(/[。！？）]$/);
    }
  });
});
