// The layout's rule, enforced: core/ imports nothing outside itself (and no Node built-in outside its tests, since the
// browser runs it); server/ and web/ never import each other. Only tests may join the two sides (a real snippet
// run against a real lab server, a lesson's views checked against the web's registry).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((file) => file !== 'core/boundary.test.ts');
}

/** Every module specifier a file imports (static, dynamic, re-export). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) found.push(m[1]!);
  return found;
}

/** The top-level folder an import lands in, or the package / alias it names. */
function landing(file: string, spec: string): string {
  if (spec.startsWith('@core/')) return 'core';
  if (!spec.startsWith('.')) return `package:${spec}`;
  return relative(root, resolve(dirname(join(root, file)), spec)).split('/')[0]!;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function violations(folder: string, allowed: (to: string, file: string) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sources(folder)) {
    for (const spec of importsOf(readFileSync(join(root, file), 'utf8'))) {
      const to = landing(file, spec);
      if (!allowed(to, file)) bad.push(`${file} imports ${spec}`);
    }
  }
  return bad;
}

describe('layout boundaries', () => {
  it('finds imports of every form', () => {
    expect(importsOf(`import a from './a.js';\nexport { b } from '../b';\nconst c = await import('@core/c');`)).toEqual(
      ['./a.js', '../b', '@core/c'],
    );
  });

  it('core imports only core, zod, and Node built-ins in its tests', () => {
    const bad = violations(
      'core',
      (to, file) =>
        to === 'core' ||
        to === 'package:zod' ||
        to === 'package:vitest' ||
        (/\.test\.ts$/.test(file) && to.startsWith('package:node:')),
    );
    expect(bad).toEqual([]);
  });

  it('server never imports web outside tests', () => {
    expect(violations('server', (to, file) => to !== 'web' || isTest(file))).toEqual([]);
  });

  it('web never imports server, tests included (runs against a real lab live in integration/)', () => {
    expect(violations('web/src', (to) => to !== 'server')).toEqual([]);
  });
});
