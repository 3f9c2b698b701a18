// Turns time series into SVG path data for TimeSeriesChart: a shared time axis, one value axis per panel rounded to
// a readable maximum, and gaps where a value is missing. Pure; tested in timeSeriesPaths.test.ts.

/** One point: time (any unit, e.g. seconds from the run's start) and value; null leaves a gap. */
export type SeriesPoint = readonly [t: number, v: number | null];

export interface PanelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A readable top for an axis holding `max`: 1, 2 or 5 times a power of ten (at least 1). */
export function niceMax(max: number): number {
  if (!(max > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** SVG path data for the points in the box, t from t0 to t1 across, 0…max up; a null value breaks the line. */
export function linePath(points: readonly SeriesPoint[], box: PanelBox, t0: number, t1: number, max: number): string {
  const span = Math.max(1e-9, t1 - t0);
  let d = '';
  let pen = false;
  for (const [t, v] of points) {
    if (v === null || t < t0) {
      pen = false;
      continue;
    }
    const x = box.x + ((t - t0) / span) * box.width;
    const y = box.y + box.height * (1 - Math.min(1, Math.max(0, v / max)));
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** SVG path data for a step line (a value that holds until the next point), as for a target rate. */
export function stepPath(points: readonly SeriesPoint[], box: PanelBox, t0: number, t1: number, max: number): string {
  const stepped: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    stepped.push(points[i]);
    const next = points[i + 1];
    if (next) stepped.push([next[0], points[i][1]]);
  }
  return linePath(stepped, box, t0, t1, max);
}
