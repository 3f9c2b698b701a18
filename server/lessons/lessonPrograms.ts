// Finds the goroutine programs the lessons declare (lessons/NN-slug/programs.ts, `export const programs`) and
// checks them: each program's name, titles and knobs against the schema, and names unique across lessons.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GoroutineProgramInfo, type GoroutineProgramModule } from '../../core/protocol/demos/goroutines.js';
import { listLessonSlugs } from './lessonFolders.js';

/** The file a lesson declares its programs in. */
export const PROGRAMS_FILE = 'programs.ts';

export interface RegisteredProgram {
  /** The lesson folder that declares it. */
  slug: string;
  program: GoroutineProgramModule;
}

export type ProgramRegistry = ReadonlyMap<string, RegisteredProgram>;

/** Checks one programs.ts module's export. Throws naming the file, the program and the field. Pure. */
export function checkProgramsModule(file: string, mod: Record<string, unknown>): GoroutineProgramModule[] {
  const list = mod.programs;
  if (!Array.isArray(list))
    throw new Error(`${file}: exports no \`programs\` array (export const programs = [defineProgram({...})])`);
  return list.map((p: unknown, i) => {
    const label = `${file}: programs[${i}]`;
    if (typeof p !== 'object' || p === null) throw new Error(`${label}: not a program object`);
    const { main, ...info } = p as Record<string, unknown>;
    const parsed = GoroutineProgramInfo.safeParse(info);
    if (!parsed.success) {
      const name = typeof info.name === 'string' ? ` (${info.name})` : '';
      throw new Error(
        `${label}${name}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(program)'}: ${x.message}`).join('; ')}`,
      );
    }
    if (typeof main !== 'function')
      throw new Error(`${label} (${parsed.data.name}): main: must be a function returning the program's main`);
    return p as GoroutineProgramModule;
  });
}

/** Adds a lesson's programs to the registry; a name another lesson already declared is an error. */
export function registerPrograms(
  registry: Map<string, RegisteredProgram>,
  slug: string,
  programs: GoroutineProgramModule[],
): void {
  for (const program of programs) {
    const other = registry.get(program.name);
    if (other)
      throw new Error(
        `${slug}/${PROGRAMS_FILE}: program "${program.name}" is already declared by ${other.slug}/${PROGRAMS_FILE}`,
      );
    registry.set(program.name, { slug, program });
  }
}

/**
 * Imports every lesson's programs.ts. Node keeps imported modules, so a changed programs.ts takes effect when
 * the lab restarts; the lesson text itself is read afresh on every request.
 */
export async function loadProgramRegistry(lessonsDir: string): Promise<ProgramRegistry> {
  const registry = new Map<string, RegisteredProgram>();
  for (const slug of await listLessonSlugs(lessonsDir)) {
    const file = path.join(lessonsDir, slug, PROGRAMS_FILE);
    if (
      !(await access(file).then(
        () => true,
        () => false,
      ))
    )
      continue;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${slug}/${PROGRAMS_FILE}: does not load: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    registerPrograms(registry, slug, checkProgramsModule(`${slug}/${PROGRAMS_FILE}`, mod));
  }
  return registry;
}
