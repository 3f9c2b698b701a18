// Draws the worker-pool chart on a canvas: throughput (done and rejected per second, with the modelled capacity
// line), latency p50/p95, and queue occupancy with busy workers, over time; one pass per frame, no chart library.
import type { ChartScales, PoolSample } from './workerPoolModel';

export interface ChartPalette {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  done: string;
  rejected: string;
  p50: string;
  p95: string;
  queue: string;
  busy: string;
  capacity: string;
}

export interface ChartLabels {
  throughput: string;
  latency: string;
  occupancy: string;
}

const LEFT = 46;
const RIGHT = 8;
const TOP = 16;
const GAP = 22;

export const CHART_HEIGHT = 330;

export function drawPoolChart(
  ctx: CanvasRenderingContext2D,
  width: number,
  samples: readonly PoolSample[],
  sc: ChartScales | null,
  p: ChartPalette,
  labels: ChartLabels,
): void {
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, width, CHART_HEIGHT);
  ctx.font = '11px system-ui, sans-serif';
  const panelH = (CHART_HEIGHT - TOP - 2 * GAP - 14) / 3;
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const panels = [0, 1, 2].map((i) => ({ y: TOP + i * (panelH + GAP), h: panelH }));
  const titles = [labels.throughput, labels.latency, labels.occupancy];
  const maxima = sc ? [sc.throughputMax, sc.latencyMax, sc.occupancyMax] : [1, 1, 1];
  panels.forEach((panel, i) => {
    ctx.fillStyle = p.fg;
    ctx.textAlign = 'left';
    ctx.fillText(titles[i], LEFT, panel.y - 4);
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = 1;
    ctx.fillStyle = p.muted;
    ctx.textAlign = 'right';
    for (const f of [0, 0.5, 1]) {
      const y = Math.round(panel.y + panel.h * (1 - f)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(LEFT, y);
      ctx.lineTo(LEFT + plotW, y);
      ctx.stroke();
      const v = maxima[i] * f;
      ctx.fillText(v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1), LEFT - 4, y + 3);
    }
  });
  if (!sc || samples.length === 0) return;

  const span = Math.max(1, sc.t1 - sc.t0);
  const x = (t: number) => LEFT + ((t - sc.t0) / span) * plotW;
  const visible = samples.filter((s) => s.t >= sc.t0);
  const line = (
    panel: { y: number; h: number },
    max: number,
    value: (s: PoolSample) => number | null,
    colour: string,
    width = 1.5,
  ) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    let open = false;
    for (const s of visible) {
      const v = value(s);
      if (v === null) {
        open = false;
        continue;
      }
      const px = x(s.t);
      const py = panel.y + panel.h * (1 - Math.min(1, v / max));
      if (open) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      open = true;
    }
    ctx.stroke();
  };
  const bars = (panel: { y: number; h: number }, max: number, value: (s: PoolSample) => number, colour: string) => {
    ctx.fillStyle = colour;
    for (const s of visible) {
      const v = Math.min(1, value(s) / max);
      if (v <= 0) continue;
      const x0 = Math.max(LEFT, x(s.t - s.windowMs));
      const w = Math.max(1, x(s.t) - x0 - 1);
      ctx.fillRect(x0, panel.y + panel.h * (1 - v), w, panel.h * v);
    }
  };

  // Throughput: stacked bars (done, then rejected on top) and the modelled capacity as a dashed line.
  const [tp, lat, occ] = panels;
  ctx.globalAlpha = 0.85;
  bars(tp, sc.throughputMax, (s) => s.completedPerSec + s.rejectedPerSec, p.rejected);
  bars(tp, sc.throughputMax, (s) => s.completedPerSec, p.done);
  ctx.globalAlpha = 1;
  if (sc.capacity !== null && sc.capacity <= sc.throughputMax) {
    const y = Math.round(tp.y + tp.h * (1 - sc.capacity / sc.throughputMax)) + 0.5;
    ctx.strokeStyle = p.capacity;
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(LEFT, y);
    ctx.lineTo(LEFT + plotW, y);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  line(lat, sc.latencyMax, (s) => s.p95Ms, p.p95);
  line(lat, sc.latencyMax, (s) => s.p50Ms, p.p50, 2);

  ctx.globalAlpha = 0.5;
  bars(occ, sc.occupancyMax, (s) => s.queueMax, p.queue);
  ctx.globalAlpha = 1;
  line(occ, sc.occupancyMax, (s) => s.busyMax, p.busy, 2);

  // Time axis: seconds before the newest sample.
  ctx.fillStyle = p.muted;
  ctx.textAlign = 'center';
  const axisY = occ.y + occ.h + 12;
  const step = span <= 20_000 ? 5_000 : 10_000;
  for (let back = 0; back <= span; back += step) {
    const px = x(sc.t1 - back);
    if (px < LEFT) break;
    ctx.fillText(back === 0 ? '0 s' : `−${back / 1000} s`, px, axisY);
  }
}
