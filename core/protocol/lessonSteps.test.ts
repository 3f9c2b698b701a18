// Cutting a lesson into steps at its level-2 headings, and finding the check.
import { describe, expect, it } from 'vitest';
import { checkStepIndex, splitSteps } from './lessonSteps';

describe('splitSteps', () => {
  it('starts a step at every ## heading, the text before them being the opening step', () => {
    const steps = splitSteps(
      'Intro line.\n\n## First\n\nOne.\n\n### A detail\n\nStill one.\n\n## Check yourself\n\nQ?\n',
    );
    expect(steps.map((s) => s.heading)).toEqual([null, 'First', 'Check yourself']);
    expect(steps[0]!.markdown).toBe('Intro line.');
    expect(steps[1]!.markdown).toBe('## First\n\nOne.\n\n### A detail\n\nStill one.');
    expect(checkStepIndex(steps, 'en')).toBe(2);
  });

  it('has no empty opening step when the body starts with a heading', () => {
    expect(splitSteps('\n## Only\n\ntext').map((s) => s.heading)).toEqual(['Only']);
  });

  it('ignores ## lines inside fenced code', () => {
    const md =
      'Intro\n\n## Shell\n\n```sh\n## not a step\necho hi\n```\n\n~~~\n## nor this\n~~~\n\n## 自我检查\n\n问？';
    const steps = splitSteps(md);
    expect(steps.map((s) => s.heading)).toEqual([null, 'Shell', '自我检查']);
    expect(steps[1]!.markdown).toContain('## not a step');
    expect(checkStepIndex(steps, 'zh')).toBe(2);
    expect(checkStepIndex(steps, 'en')).toBe(-1);
  });

  it('finds no check when the last step is something else', () => {
    expect(checkStepIndex(splitSteps('## Check yourself\n\nQ\n\n## After\n\nx'), 'en')).toBe(-1);
    expect(checkStepIndex([], 'en')).toBe(-1);
  });
});
