// Draws the byte ruler on a canvas: one row per way of cutting the stream (writes, segments, reads), to scale,
// with message boundaries carried down through every row so a cut inside a message stands out.
import type { ByteSpan } from '@core/protocol/events/stream';

export interface RulerRow {
  label: string;
  spans: readonly ByteSpan[];
  /** Two alternating fills, so neighbouring spans stay apart. */
  fills: [string, string];
}

export interface RulerStyle {
  fg: string;
  muted: string;
  border: string;
  cut: string;
}

export interface RulerWindow {
  from: number;
  to: number;
}

const LABEL_W = 118;
const ROW_H = 26;
const GAP = 8;

export function rulerHeight(rows: number): number {
  return rows * (ROW_H + GAP) + 18;
}

/** Index of the first span that ends after `offset` (spans sorted by offset). */
function firstAfter(spans: readonly ByteSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].offset + spans[mid].len <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function drawRuler(
  ctx: CanvasRenderingContext2D,
  width: number,
  rows: readonly RulerRow[],
  messages: readonly ByteSpan[],
  win: RulerWindow,
  style: RulerStyle,
): void {
  const height = rulerHeight(rows.length);
  ctx.clearRect(0, 0, width, height);
  const plotW = Math.max(10, width - LABEL_W - 4);
  const span = Math.max(1, win.to - win.from);
  const x = (offset: number) => LABEL_W + ((offset - win.from) / span) * plotW;
  ctx.font = '12px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'middle';

  rows.forEach((row, r) => {
    const y = r * (ROW_H + GAP);
    ctx.fillStyle = style.muted;
    ctx.fillText(row.label, 0, y + ROW_H / 2, LABEL_W - 6);
    ctx.strokeStyle = style.border;
    ctx.strokeRect(LABEL_W, y + 0.5, plotW, ROW_H);
    for (let i = firstAfter(row.spans, win.from); i < row.spans.length && row.spans[i].offset < win.to; i++) {
      const s = row.spans[i];
      const x0 = Math.max(LABEL_W, x(s.offset));
      const x1 = Math.min(LABEL_W + plotW, x(s.offset + s.len));
      ctx.fillStyle = row.fills[i % 2];
      ctx.fillRect(x0, y + 2, Math.max(1, x1 - x0), ROW_H - 3);
      // Span edges, when there is room to see them.
      if (x1 - x0 >= 3) {
        ctx.fillStyle = style.border;
        ctx.fillRect(x1 - 1, y + 2, 1, ROW_H - 3);
      }
    }
  });

  // Message boundaries through all rows: a row's span edge that falls between them is a cut.
  const bottom = rows.length * (ROW_H + GAP) - GAP;
  ctx.fillStyle = style.fg;
  ctx.globalAlpha = 0.35;
  for (let i = firstAfter(messages, win.from); i < messages.length && messages[i].offset < win.to; i++) {
    const bx = x(messages[i].offset + messages[i].len);
    if (bx <= LABEL_W + plotW) ctx.fillRect(Math.round(bx) - 0.5, 0, 1, bottom);
  }
  ctx.globalAlpha = 1;
  // Read (and segment) edges inside a message: red ticks under the row.
  const ends = new Set<number>();
  for (const m of messages) ends.add(m.offset + m.len);
  rows.forEach((row, r) => {
    if (r === 0) return;
    const y = r * (ROW_H + GAP) + ROW_H + 1;
    ctx.fillStyle = style.cut;
    for (let i = firstAfter(row.spans, win.from); i < row.spans.length && row.spans[i].offset < win.to; i++) {
      const end = row.spans[i].offset + row.spans[i].len;
      if (!ends.has(end) && end < win.to) ctx.fillRect(Math.round(x(end)) - 1, y, 3, 4);
    }
  });

  // The byte scale.
  ctx.fillStyle = style.muted;
  ctx.textBaseline = 'top';
  ctx.fillText(`${win.from} B`, LABEL_W, bottom + 4);
  const endLabel = `${win.to} B`;
  ctx.fillText(endLabel, LABEL_W + plotW - ctx.measureText(endLabel).width, bottom + 4);
}
