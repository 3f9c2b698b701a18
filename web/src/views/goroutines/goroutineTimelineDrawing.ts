// Draws the goroutine timeline on a canvas: a time axis, a summary band counting every goroutine by state, the
// visible lanes (only those rows), hand-off arrows labelled with values, and step charts for buffered channels and
// WaitGroup counters. Work per frame follows what is visible, not the size of the run.
import {
  LaneState,
  LANE_STATE_COUNT,
  LANE_STATES,
  lowerBound,
  type Lane,
  type StepSeries,
  type TimelineModel,
} from './goroutineTimelineModel';
import { chanValueText } from '@core/protocol/events/goroutine';

export interface Palette {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  arrow: string;
  panic: string;
  states: string[];
}

/** What part of the run is on screen: times in ms relative to the run's first event, and the first lane row. */
export interface Viewport {
  t0: number;
  t1: number;
  firstRow: number;
}

export const LAYOUT = {
  gutter: 150,
  axis: 20,
  summary: 44,
  row: 16,
  series: 26,
  sectionGap: 6,
  maxArrows: 3000,
  maxLabels: 400,
};

/** Where things are, for a canvas of this size and a model of this shape (used for drawing and hit-testing). */
export interface Frame {
  width: number;
  height: number;
  plotX: number;
  plotW: number;
  lanesY: number;
  lanesH: number;
  visibleRows: number;
  seriesY: number;
  series: StepSeries[];
}

export function frameOf(model: TimelineModel, width: number, height: number): Frame {
  const series = [...model.occupancy.values(), ...model.waitGroups.values()].slice(0, 6);
  const seriesH = series.length === 0 ? 0 : series.length * LAYOUT.series + LAYOUT.sectionGap;
  const lanesY = LAYOUT.axis + LAYOUT.summary + LAYOUT.sectionGap;
  const lanesH = Math.max(LAYOUT.row, height - lanesY - seriesH);
  return {
    width,
    height,
    plotX: LAYOUT.gutter,
    plotW: Math.max(10, width - LAYOUT.gutter - 8),
    lanesY,
    lanesH,
    visibleRows: Math.max(1, Math.floor(lanesH / LAYOUT.row)),
    seriesY: lanesY + lanesH + LAYOUT.sectionGap,
    series,
  };
}

/** Ms per pixel and the x of a relative time. */
function scaleOf(f: Frame, v: Viewport) {
  const span = Math.max(1e-6, v.t1 - v.t0);
  const k = f.plotW / span;
  return { k, x: (t: number) => f.plotX + (t - v.t0) * k };
}

export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  v: Viewport,
  f: Frame,
  p: Palette,
): void {
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, f.width, f.height);
  if (model.lanes.length === 0 || Number.isNaN(model.t0)) return;
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';
  drawAxis(ctx, v, f, p);
  drawSummary(ctx, model, v, f, p);
  drawLanes(ctx, model, v, f, p);
  drawSeries(ctx, model, v, f, p);
}

function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function formatMs(ms: number): string {
  const a = Math.abs(ms);
  if (a >= 1000) return `${(ms / 1000).toFixed(a >= 10_000 ? 1 : 2)} s`;
  if (a >= 1) return `${ms.toFixed(a >= 100 ? 0 : 1)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

function drawAxis(ctx: CanvasRenderingContext2D, v: Viewport, f: Frame, p: Palette): void {
  const { x } = scaleOf(f, v);
  const step = niceStep(((v.t1 - v.t0) / f.plotW) * 90);
  ctx.fillStyle = p.muted;
  ctx.strokeStyle = p.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let t = Math.ceil(v.t0 / step) * step; t <= v.t1; t += step) {
    const px = Math.round(x(t)) + 0.5;
    ctx.moveTo(px, LAYOUT.axis - 4);
    ctx.lineTo(px, f.height);
    ctx.fillText(formatMs(t), px + 3, LAYOUT.axis / 2);
  }
  ctx.stroke();
}

const countsScratch = new Int32Array(LANE_STATE_COUNT);

/** Stacked counts of goroutines per state, sampled at each pixel column. */
function drawSummary(ctx: CanvasRenderingContext2D, model: TimelineModel, v: Viewport, f: Frame, p: Palette): void {
  const top = LAYOUT.axis;
  const h = LAYOUT.summary;
  const maxAlive = Math.max(1, model.lanes.length);
  const end = model.tEnd - model.t0;
  const columns = Math.ceil(f.plotW);
  const step = (v.t1 - v.t0) / columns;
  for (let c = 0; c < columns; c += 2) {
    const tRel = v.t0 + c * step;
    if (tRel < 0 || tRel > end) continue;
    model.counts.countsAt(model.t0 + tRel, countsScratch);
    let y = top + h;
    for (const { state } of LANE_STATES) {
      const n = countsScratch[state];
      if (n === 0) continue;
      const bh = (n / maxAlive) * h;
      ctx.fillStyle = p.states[state];
      ctx.fillRect(f.plotX + c, y - bh, 2, bh);
      y -= bh;
    }
  }
  ctx.fillStyle = p.muted;
  ctx.fillText(`${model.lanes.length}`, 4, top + 8);
}

function laneLabel(lane: Lane): string {
  const name = `g${lane.gid} ${lane.fn}`;
  return name.length > 21 ? `${name.slice(0, 20)}…` : name;
}

function drawLanes(ctx: CanvasRenderingContext2D, model: TimelineModel, v: Viewport, f: Frame, p: Palette): void {
  const { x, k } = scaleOf(f, v);
  const first = Math.max(0, Math.min(v.firstRow, model.lanes.length - 1));
  const last = Math.min(model.lanes.length, first + f.visibleRows);
  const endRel = model.tEnd - model.t0;
  const left = f.plotX;
  const right = f.plotX + f.plotW;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, f.lanesY, f.width, f.lanesH);
  ctx.clip();
  for (let row = first; row < last; row++) {
    const lane = model.lanes[row];
    const y = f.lanesY + (row - first) * LAYOUT.row;
    ctx.fillStyle = p.fg;
    ctx.fillText(laneLabel(lane), 4, y + LAYOUT.row / 2);
    const times = lane.times.data;
    const states = lane.states.data;
    const n = lane.times.n;
    // From the state in force at the left edge, draw each state's stretch, merging what falls inside a pixel.
    let i = Math.max(0, lane.indexAt(model.t0 + v.t0));
    let lastPx = -1;
    for (; i < n; i++) {
      const s = states[i];
      if (s === LaneState.Dead) break;
      const a = times[i] - model.t0;
      const b = i + 1 < n ? times[i + 1] - model.t0 : endRel;
      if (a > v.t1) break;
      let xa = Math.max(left, x(a));
      const xb = Math.min(right, x(b));
      if (xb < left) continue;
      // Within a pixel already drawn, skip: a lane with thousands of changes costs one rectangle per pixel.
      if (xb <= lastPx) continue;
      if (xa < lastPx) xa = lastPx;
      const w = xb - xa;
      if (w < 0.5 && s !== LaneState.Running) continue;
      ctx.fillStyle = p.states[s];
      ctx.fillRect(xa, y + 3, Math.max(1, w), LAYOUT.row - 6);
      lastPx = xa + Math.max(1, w);
    }
  }
  // Markers: closes and panics on visible lanes.
  for (const m of model.markers) {
    const lane = model.byGid.get(m.gid);
    if (!lane || lane.row < first || lane.row >= last) continue;
    const px = x(m.t - model.t0);
    if (px < left || px > right) continue;
    const y = f.lanesY + (lane.row - first) * LAYOUT.row;
    ctx.fillStyle = m.kind === 'panic' ? p.panic : p.fg;
    ctx.fillRect(px - 1, y + 1, 2, LAYOUT.row - 2);
  }
  drawHandoffs(ctx, model, v, f, p, first, last, x, k);
  ctx.restore();
}

function drawHandoffs(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  v: Viewport,
  f: Frame,
  p: Palette,
  first: number,
  last: number,
  x: (t: number) => number,
  k: number,
): void {
  const h = model.handoffs;
  const a = h.lowerBound(model.t0 + v.t0);
  const b = h.lowerBound(model.t0 + v.t1 + 1e-9);
  const inView = b - a;
  if (inView === 0) return;
  if (inView > LAYOUT.maxArrows) {
    ctx.fillStyle = p.muted;
    ctx.fillText(`${inView.toLocaleString('en-US')} ⇄`, f.plotX + 4, f.lanesY + 8);
    return;
  }
  const labels = inView <= LAYOUT.maxLabels && k > 0.02;
  ctx.strokeStyle = p.arrow;
  ctx.fillStyle = p.arrow;
  ctx.lineWidth = 1;
  let lastLabelX = -Infinity;
  for (let i = a; i < b; i++) {
    const from = model.byGid.get(h.from.data[i]);
    const to = model.byGid.get(h.to.data[i]);
    if (!from || !to) continue;
    if ((from.row < first && to.row < first) || (from.row >= last && to.row >= last)) continue;
    const px = Math.round(x(h.t.data[i] - model.t0)) + 0.5;
    const y1 = f.lanesY + (from.row - first) * LAYOUT.row + LAYOUT.row / 2;
    const y2 = f.lanesY + (to.row - first) * LAYOUT.row + LAYOUT.row / 2;
    ctx.beginPath();
    ctx.moveTo(px, y1);
    ctx.lineTo(px, y2);
    ctx.stroke();
    const dir = y2 > y1 ? 1 : -1;
    ctx.beginPath();
    ctx.moveTo(px, y2);
    ctx.lineTo(px - 3, y2 - dir * 5);
    ctx.lineTo(px + 3, y2 - dir * 5);
    ctx.fill();
    if (labels && px - lastLabelX > 30) {
      ctx.fillText(chanValueText(h.values[i]), px + 3, (y1 + y2) / 2);
      lastLabelX = px;
    }
  }
}

function drawSeries(ctx: CanvasRenderingContext2D, model: TimelineModel, v: Viewport, f: Frame, p: Palette): void {
  const { x } = scaleOf(f, v);
  const endRel = model.tEnd - model.t0;
  f.series.forEach((s, idx) => {
    const y = f.seriesY + idx * LAYOUT.series;
    const h = LAYOUT.series - 6;
    const top = Math.max(1, s.kind === 'chan' ? s.cap : s.max);
    ctx.fillStyle = p.muted;
    const label =
      s.kind === 'chan'
        ? `${s.name ?? `chan ${s.id}`} ${s.valueAt(model.tEnd)}/${s.cap}`
        : `${s.name ?? `wg ${s.id}`} = ${s.valueAt(model.tEnd)}`;
    ctx.fillText(label.length > 21 ? `${label.slice(0, 20)}…` : label, 4, y + h / 2);
    ctx.strokeStyle = p.grid;
    ctx.strokeRect(f.plotX + 0.5, y + 0.5, f.plotW, h);
    ctx.fillStyle = s.kind === 'chan' ? p.states[LaneState.ChanSend] : p.states[LaneState.WaitGroup];
    const t = s.t.data;
    const vals = s.v.data;
    // One bar per pixel column (the highest value in it), and one rectangle for each stretch without changes: a
    // busy channel changes length far more often than there are pixels.
    const bar = (x0: number, w: number, value: number) => {
      if (w <= 0) return;
      const bh = (Math.min(value, top) / top) * h;
      ctx.fillRect(x0, y + h - bh, w, bh);
    };
    const right = f.plotX + f.plotW;
    const from = Math.max(0, lowerBound(t, s.t.n, model.t0 + v.t0) - 1);
    const to = lowerBound(t, s.t.n, model.t0 + v.t1 + 1e-9);
    if (to - from > 8 * f.plotW) {
      // Far more changes than pixels: per column, the highest of the value in force and the next few changes.
      const msPerPx = (v.t1 - v.t0) / f.plotW;
      const end = Math.min(right, x(endRel));
      for (let c = Math.floor(f.plotX); c < end; c++) {
        const tc = model.t0 + v.t0 + (c - f.plotX) * msPerPx;
        const k = lowerBound(t, s.t.n, tc);
        let m = k > 0 ? vals[k - 1] : 0;
        for (let j = k; j < Math.min(s.t.n, k + 16) && t[j] < tc + msPerPx; j++) if (vals[j] > m) m = vals[j];
        bar(c, 1, m);
      }
      return;
    }
    let col = -1;
    let colMax = 0;
    let held = 0;
    for (let i = from; i < s.t.n; i++) {
      const a = t[i] - model.t0;
      if (a > v.t1) break;
      const c = Math.floor(Math.max(f.plotX, x(a)));
      if (c !== col) {
        if (col >= 0) {
          bar(col, 1, colMax);
          bar(col + 1, c - col - 1, held);
        }
        col = c;
        colMax = vals[i];
      } else if (vals[i] > colMax) colMax = vals[i];
      held = vals[i];
    }
    if (col >= 0) {
      bar(col, 1, colMax);
      bar(col + 1, Math.min(right, x(endRel)) - col - 1, held);
    }
  });
}

/** What is under the pointer: a lane row at a time (for the tooltip). */
export function hitTest(
  model: TimelineModel,
  v: Viewport,
  f: Frame,
  px: number,
  py: number,
): { lane: Lane; t: number; index: number } | null {
  if (px < f.plotX || py < f.lanesY || py >= f.lanesY + f.lanesH) return null;
  const row = v.firstRow + Math.floor((py - f.lanesY) / LAYOUT.row);
  const lane = model.lanes[row];
  if (!lane) return null;
  const t = v.t0 + ((px - f.plotX) / f.plotW) * (v.t1 - v.t0);
  return { lane, t, index: lane.indexAt(model.t0 + t) };
}

export { LANE_STATES };
