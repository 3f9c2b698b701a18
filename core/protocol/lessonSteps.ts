// A lesson's steps: its Markdown cut at every level-2 heading (`## `), the marker the style guide names
// (lessons/README.md). Text before the first one is the opening step. The last step is the check.
import type { LocalizedText } from './errors.js';

export interface LessonStep {
  /** The step's `## ` heading without the marker; null for the opening step. */
  heading: string | null;
  /** The step's Markdown, its heading line included. */
  markdown: string;
}

/** The heading of the check every lesson ends with. */
export const CHECK_HEADING: LocalizedText = { en: 'Check yourself', zh: '自我检查' };

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const STEP = /^## (.+?)\s*#*\s*$/;

/** Splits a lesson body into steps. Headings inside fenced code blocks (a shell comment, say) do not count. Pure. */
export function splitSteps(markdown: string): LessonStep[] {
  const steps: LessonStep[] = [];
  let heading: string | null = null;
  let lines: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = lines.join('\n').trim();
    if (heading !== null || text !== '') steps.push({ heading, markdown: text });
  };
  for (const line of markdown.split(/\r?\n/)) {
    const f = FENCE.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (line.trim().startsWith(fence)) fence = null;
    }
    const m = fence === null ? STEP.exec(line) : null;
    if (m) {
      flush();
      heading = m[1]!;
      lines = [line];
    } else lines.push(line);
  }
  flush();
  return steps;
}

/** Where the check is: the index of the last step when its heading is the check's, else -1. */
export function checkStepIndex(steps: LessonStep[], language: keyof LocalizedText): number {
  const last = steps.length - 1;
  return last >= 0 && steps[last]!.heading === CHECK_HEADING[language] ? last : -1;
}
