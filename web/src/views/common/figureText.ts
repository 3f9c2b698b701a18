// How the run views write a measured figure: fixed decimals, or a dash where there is no figure yet. Pure.

/** `v` with `digits` decimals; '–' when the figure is missing (not measured yet, or not measurable here). */
export function figureText(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined ? '–' : v.toFixed(digits);
}
