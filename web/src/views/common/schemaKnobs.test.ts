// Knobs read from zod schemas: number bounds through optional/default wrappers, defaults, and typed text clamped.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clampToLimits, fieldLimits, numberLimits, schemaDefaults } from './schemaKnobs';

const Args = z
  .object({
    count: z.number().int().min(1).max(1000).default(20),
    capacity: z.number().int().min(0).max(100).optional(),
    rate: z.number().positive().max(50).optional(),
    name: z.string().default('x'),
  })
  .strict()
  .refine((a) => a.count > 0);

describe('schema knobs', () => {
  it('reads bounds through default and optional, and whether the field is an integer', () => {
    expect(numberLimits(Args.shape.count)).toEqual({ min: 1, max: 1000, integer: true });
    expect(fieldLimits(Args, ['capacity', 'rate'])).toEqual({
      capacity: { min: 0, max: 100, integer: true },
      rate: { min: 0, max: 50, integer: false },
    });
  });

  it('refuses a field that is not a number, or has no upper bound', () => {
    expect(() => numberLimits(Args.shape.name)).toThrow(/not a number/);
    expect(() => numberLimits(z.number().min(0))).toThrow(/both bounds/);
  });

  it("gives the schema's defaults, as the server would fill them in", () => {
    expect(schemaDefaults(Args)).toEqual({ count: 20, name: 'x' });
  });

  it('keeps typed values within the limits, rounding for integer fields', () => {
    const count = numberLimits(Args.shape.count);
    expect(clampToLimits('5000', count)).toBe(1000);
    expect(clampToLimits('0', count)).toBe(1);
    expect(clampToLimits('', count)).toBe(1);
    expect(clampToLimits('abc', count)).toBe(1);
    expect(clampToLimits('7.6', count)).toBe(8);
    expect(clampToLimits('2.5', numberLimits(Args.shape.rate))).toBe(2.5);
  });
});
