// A view's knobs read from the command's zod argument schema: the limits of a number input and the defaults of a
// form, so what a student can type is exactly what the server accepts. Pure.
import { z } from 'zod';

export interface NumberLimits {
  min: number;
  max: number;
  integer: boolean;
}

/** The number inside optional/default/nullable wrappers. */
function numberSchema(field: z.ZodType): z.ZodNumber {
  let s: z.ZodType = field;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
    s = s.unwrap() as z.ZodType;
  if (!(s instanceof z.ZodNumber)) throw new TypeError(`not a number field: ${s.def.type}`);
  return s;
}

/** The bounds of a number field (an exclusive bound such as positive() is given as its edge: 0). */
export function numberLimits(field: z.ZodType): NumberLimits {
  const n = numberSchema(field);
  if (!Number.isFinite(n.minValue) || !Number.isFinite(n.maxValue))
    throw new TypeError('a knob needs both bounds in its schema');
  return { min: n.minValue as number, max: n.maxValue as number, integer: n.isInt };
}

/** The limits of several fields of an object schema at once. */
export function fieldLimits<S extends z.ZodObject, K extends keyof S['shape'] & string>(
  schema: S,
  keys: readonly K[],
): Record<K, NumberLimits> {
  return Object.fromEntries(keys.map((k) => [k, numberLimits(schema.shape[k] as z.ZodType)])) as Record<
    K,
    NumberLimits
  >;
}

/** A typed value kept within limits: what a number input's text becomes (empty or junk becomes the minimum). */
export function clampToLimits(text: string, limits: NumberLimits): number {
  const n = limits.integer ? Math.round(Number(text)) : Number(text);
  return Number.isFinite(n) ? Math.max(limits.min, Math.min(limits.max, n)) : limits.min;
}

/** The schema's defaults: what the server would use for a command sent with no arguments. */
export function schemaDefaults<S extends z.ZodType>(schema: S): z.output<S> {
  return schema.parse({});
}
