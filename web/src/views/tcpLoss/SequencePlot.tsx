// The classic sequence/time plot (Stevens): each data segment a dot at (time, byte offset), retransmissions marked
// with a cross, the receiver's cumulative ACK as a line under them. One labelled image; the tables carry the figures.
import type { TcpLossRunResult } from '@core/protocol/demos/tcpLoss';
import { useElementWidth } from '../common/useElementWidth';
import { seqPlotExtent } from './tcpLossModel';

const LEFT = 56;
const RIGHT = 8;
const TOP = 8;
const HEIGHT = 240;
const AXIS = 20;

export function SequencePlot({
  result,
  label,
  legend,
}: {
  result: TcpLossRunResult;
  label: string;
  legend: { firstSend: string; retransmit: string; ack: string; time: string; seq: string };
}) {
  const [boxRef, width] = useElementWidth(280, 620);
  const a = result.analysis;
  if (!a) return null;
  const { maxSeq, maxT } = seqPlotExtent(result);
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const x = (t: number) => LEFT + (t / maxT) * plotW;
  const y = (s: number) => TOP + HEIGHT - (s / maxSeq) * HEIGHT;
  const ackPath = a.ackPoints.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.ack).toFixed(1)}`).join('');
  return (
    <div ref={boxRef} className="ts-chart loss-seq">
      <svg width={width} height={TOP + HEIGHT + AXIS} role="img" aria-label={label} data-testid="loss-seq-plot">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={LEFT} x2={LEFT + plotW} y1={y(maxSeq * f)} y2={y(maxSeq * f)} className="ts-grid" />
            <text x={LEFT - 4} y={y(maxSeq * f) + 3} className="ts-tick" textAnchor="end">
              {Math.round((maxSeq * f) / 1024)}K
            </text>
          </g>
        ))}
        <path d={ackPath} className="loss-ack-line" />
        {a.seqPoints
          .filter((p) => !p.retransmit)
          .map((p, i) => (
            <circle key={i} cx={x(p.t)} cy={y(p.seq)} r={1.4} className="loss-send" />
          ))}
        {a.seqPoints
          .filter((p) => p.retransmit)
          .map((p, i) => (
            <path
              key={`r${i}`}
              d={`M${x(p.t) - 3},${y(p.seq) - 3}l6,6m0,-6l-6,6`}
              className="loss-retransmit"
              data-testid="loss-retransmit-mark"
            />
          ))}
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <text key={f} x={LEFT + plotW * f} y={TOP + HEIGHT + AXIS - 4} className="ts-tick" textAnchor="middle">
            {(maxT * f).toFixed(maxT < 5 ? 2 : 1)}
          </text>
        ))}
      </svg>
      <div className="ts-legend">
        <span>
          <b className="loss-key loss-key-send" aria-hidden="true">
            ●
          </b>{' '}
          {legend.firstSend}
        </span>
        <span>
          <b className="loss-key loss-key-retransmit" aria-hidden="true">
            ×
          </b>{' '}
          {legend.retransmit}
        </span>
        <span>
          <i className="loss-key-ack" /> {legend.ack}
        </span>
        <span className="ts-axis-label">
          {legend.seq} / {legend.time}
        </span>
      </div>
    </div>
  );
}
