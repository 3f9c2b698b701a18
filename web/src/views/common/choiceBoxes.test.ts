import { describe, expect, it } from 'vitest';
import { toggleChoice } from './ChoiceBoxes';

const ALL = ['none', 'exponential', 'jitter'] as const;

describe('toggleChoice', () => {
  it('adds a choice in the list’s order and removes one that is chosen', () => {
    expect(toggleChoice(ALL, ['jitter'], 'none')).toEqual(['none', 'jitter']);
    expect(toggleChoice(ALL, ['none', 'jitter'], 'none')).toEqual(['jitter']);
  });

  it('keeps the last chosen one: a run needs at least one', () => {
    expect(toggleChoice(ALL, ['exponential'], 'exponential')).toEqual(['exponential']);
  });
});
