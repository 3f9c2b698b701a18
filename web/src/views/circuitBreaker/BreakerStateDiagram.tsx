// The breaker's state machine as a small SVG: three states, the current one outlined in its colour, and each arrow
// labelled with how many times this run took it (counted from the breaker's own transition events).
import type { BreakerState } from '@core/limits/circuitBreaker';

const NODES: Record<BreakerState, { x: number; y: number; colour: string }> = {
  closed: { x: 60, y: 70, colour: 'var(--cb-closed)' },
  open: { x: 300, y: 70, colour: 'var(--cb-open)' },
  'half-open': { x: 180, y: 20, colour: 'var(--cb-half-open)' },
};

const EDGES: { from: BreakerState; to: BreakerState; d: string; lx: number; ly: number }[] = [
  { from: 'closed', to: 'open', d: 'M105 76 L255 76', lx: 180, ly: 90 },
  { from: 'open', to: 'half-open', d: 'M285 55 L230 28', lx: 262, ly: 34 },
  { from: 'half-open', to: 'closed', d: 'M130 28 L75 55', lx: 96, ly: 34 },
  { from: 'half-open', to: 'open', d: 'M222 36 L272 60', lx: 236, ly: 58 },
];

export function BreakerStateDiagram({
  current,
  counts,
  label,
  names,
}: {
  current: BreakerState;
  counts: Record<string, number>;
  label: string;
  names: Record<BreakerState, string>;
}) {
  return (
    <svg
      className="cb-diagram"
      width={360}
      height={100}
      role="img"
      aria-label={`${label} ${names[current]}`}
      data-testid="cb-diagram"
      data-state={current}
    >
      <defs>
        <marker id="cb-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0 0 L8 4 L0 8 z" style={{ fill: 'var(--fg-muted)' }} />
        </marker>
      </defs>
      {EDGES.map((e) => (
        <g key={`${e.from}>${e.to}`}>
          <path d={e.d} className="cb-edge" markerEnd="url(#cb-arrow)" />
          <text x={e.lx} y={e.ly} className="cb-count" textAnchor="middle" data-edge={`${e.from}>${e.to}`}>
            {counts[`${e.from}>${e.to}`] ?? 0}
          </text>
        </g>
      ))}
      {(Object.keys(NODES) as BreakerState[]).map((s) => (
        <g key={s}>
          <rect
            x={NODES[s].x - 45}
            y={NODES[s].y - 14}
            width={90}
            height={26}
            rx={13}
            className={`cb-node${s === current ? ' current' : ''}`}
            style={{ stroke: s === current ? NODES[s].colour : undefined }}
          />
          <text x={NODES[s].x} y={NODES[s].y + 4} textAnchor="middle">
            {names[s]}
          </text>
        </g>
      ))}
    </svg>
  );
}
