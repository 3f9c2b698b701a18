// `npm run lab -- go check <lessons/NN-slug/file.go> [--json] [--seed n]`: checks a Go exercise with the lab as its
// real TCP peer, without a browser, and prints the per-check results (text, or one JSON report) in English.
import { readFileSync } from 'node:fs';
import { ERROR_MESSAGES, LabError } from '../../core/protocol/errors.js';
import type { GoExerciseReport } from '../../core/protocol/goExercise.js';
import { checkGoExercise } from '../gorun/goExerciseCheck.js';
import type { GoRunner } from '../gorun/goRunner.js';
import { lessonOfPath } from '../gorun/lessonRunArgs.js';

export interface GoCheckHeadlessOptions {
  file: string;
  format: 'json' | 'text';
  seed: number | null;
  write(line: string): void;
  runner?: GoRunner;
}

export async function runGoCheckHeadless(options: GoCheckHeadlessOptions): Promise<GoExerciseReport> {
  const source = readFileSync(options.file, 'utf8');
  const lesson = lessonOfPath(options.file);
  if (!lesson)
    throw new LabError('E_GO_NOT_AN_EXERCISE', `${options.file} is not in a lesson folder (lessons/NN-slug/)`);
  const report = await checkGoExercise(lesson, source, {
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.seed !== null ? { seed: options.seed } : {}),
    owner: 'cli',
  });
  if (options.format === 'json') options.write(JSON.stringify(report));
  else for (const line of formatReport(report)) options.write(line);
  return report;
}

/** The report as lines for a terminal. Pure. */
export function formatReport(report: GoExerciseReport): string[] {
  const lines = [`${report.lesson} (seed ${report.seed}, ${report.ms} ms)`];
  if (report.error) {
    lines.push(`  ${report.error.code}: ${ERROR_MESSAGES[report.error.code].en}`);
    if (report.error.detail) lines.push(...report.error.detail.split('\n').map((l) => `    ${l}`));
  }
  for (const c of report.checks) {
    lines.push(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name.en}`);
    if (c.message) lines.push(`        ${c.message.en}`);
  }
  if (report.status === 'checked') {
    const passed = report.checks.filter((c) => c.pass).length;
    lines.push(`${passed} of ${report.checks.length} checks passed`);
  }
  return lines;
}
