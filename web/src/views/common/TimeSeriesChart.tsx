// A small SVG chart of time series in stacked panels sharing one time axis: lines or steps coloured by theme
// variables (so both themes work without redrawing), gridlines with values, and a legend. Summary tables beside it
// carry the same figures for screen readers; the chart itself is one labelled image.
import './timeSeriesChart.css';
import { linePath, niceMax, stepPath, type SeriesPoint } from './timeSeriesPaths';
import { useElementWidth } from './useElementWidth';

export interface ChartSeries {
  label: string;
  /** A CSS colour, usually var(--…) defined per theme. */
  colour: string;
  points: readonly SeriesPoint[];
  step?: boolean;
  dashed?: boolean;
}

export interface ChartPanel {
  title: string;
  series: ChartSeries[];
  /** Axis maximum; default: the largest value rounded up. */
  max?: number;
  /** Bands behind the lines (e.g. the breaker's state): from, to, colour, label. */
  bands?: { from: number; to: number; colour: string; label: string }[];
}

const LEFT = 44;
const RIGHT = 8;
const PANEL_H = 110;
const TITLE_H = 16;
const AXIS_H = 18;

export function TimeSeriesChart({
  panels,
  t0,
  t1,
  label,
  axisLabel,
  testId,
}: {
  panels: ChartPanel[];
  t0: number;
  t1: number;
  label: string;
  /** Text under the time axis, e.g. "seconds". */
  axisLabel: string;
  testId?: string;
}) {
  const [boxRef, width] = useElementWidth(280, 620);
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const height = panels.length * (PANEL_H + TITLE_H) + AXIS_H;
  const span = Math.max(1e-9, t1 - t0);
  const x = (t: number) => LEFT + ((t - t0) / span) * plotW;
  return (
    <div ref={boxRef} className="ts-chart">
      <svg width={width} height={height} role="img" aria-label={label} data-testid={testId}>
        {panels.map((panel, i) => {
          const y = i * (PANEL_H + TITLE_H) + TITLE_H;
          const values = panel.series.flatMap((s) => s.points.map((p) => p[1] ?? 0));
          const max = panel.max ?? niceMax(Math.max(0, ...values));
          const box = { x: LEFT, y, width: plotW, height: PANEL_H };
          return (
            <g key={panel.title}>
              <text x={LEFT} y={y - 4} className="ts-title">
                {panel.title}
              </text>
              {panel.bands?.map((b, j) => (
                <rect
                  key={j}
                  x={x(Math.max(t0, b.from))}
                  y={y}
                  width={Math.max(0, x(Math.min(t1, b.to)) - x(Math.max(t0, b.from)))}
                  height={PANEL_H}
                  style={{ fill: b.colour }}
                  className="ts-band"
                >
                  <title>{b.label}</title>
                </rect>
              ))}
              {[0, 0.5, 1].map((f) => (
                <g key={f}>
                  <line
                    x1={LEFT}
                    x2={LEFT + plotW}
                    y1={y + PANEL_H * (1 - f)}
                    y2={y + PANEL_H * (1 - f)}
                    className="ts-grid"
                  />
                  <text x={LEFT - 4} y={y + PANEL_H * (1 - f) + 3} className="ts-tick" textAnchor="end">
                    {max * f >= 10 || Number.isInteger(max * f) ? Math.round(max * f) : (max * f).toFixed(1)}
                  </text>
                </g>
              ))}
              {panel.series.map((s) => (
                <path
                  key={s.label}
                  d={(s.step ? stepPath : linePath)(s.points, box, t0, t1, max)}
                  style={{ stroke: s.colour }}
                  className={`ts-line${s.dashed ? ' dashed' : ''}`}
                />
              ))}
            </g>
          );
        })}
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <text key={f} x={LEFT + plotW * f} y={height - 4} className="ts-tick" textAnchor="middle">
            {(t0 + span * f).toFixed(span < 5 ? 1 : 0)}
          </text>
        ))}
      </svg>
      <div className="ts-legend">
        {panels.flatMap((p) =>
          p.series.map((s) => (
            <span key={`${p.title}/${s.label}`}>
              <i style={{ borderTopColor: s.colour, borderTopStyle: s.dashed ? 'dashed' : 'solid' }} />
              {s.label}
            </span>
          )),
        )}
        <span className="ts-axis-label">{axisLabel}</span>
      </div>
    </div>
  );
}
