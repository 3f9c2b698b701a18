// Lesson 4's TCP state diagram with each end of the chosen connection drawn on it: its current state highlighted and
// the path it took, solid into states the kernel table showed, dashed into states inferred from packets only,
// dotted into states filled in from the diagram. Moves with the replay.
import { useMemo, useState } from 'react';
import { TCP_STATE_NAMES, type TcpStateName } from '@core/protocol/events/tcpState';
import { TCP_STATE_LAYOUT, TCP_TRANSITIONS } from '@core/protocol/tcpStateDiagram';
import { useLab, useText } from '../../app/labContext';
import { HANDSHAKE_UI, isHandshakeUiKey, type HandshakeUiKey } from '../../i18n/handshakeText';
import { SourceBadge } from '../common/SourceBadge';
import { connectionPaths, type EndpointPath, type PathStep } from './tcpStatePath';
import { useHandshakeRecording } from './useHandshakeRecording';
import type { ViewProps } from '../viewRegistry';
import './handshake.css';

const NODE_W = 124;
const NODE_H = 30;
const COL_X = [92, 272, 452];
const ROW_Y = (row: number) => 26 + row * 62;
const WIDTH = 544;
const HEIGHT = ROW_Y(6) + 40;

function centre(state: TcpStateName): { x: number; y: number } {
  const p = TCP_STATE_LAYOUT[state];
  return { x: COL_X[p.col]!, y: ROW_Y(p.row) };
}

/** Where the line from a box's centre towards (dx, dy) leaves the box. */
function boxEdge(x: number, y: number, dx: number, dy: number): { x: number; y: number } {
  const sx = dx === 0 ? Infinity : NODE_W / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : NODE_H / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: x + dx * s, y: y + dy * s };
}

/** An SVG path between two states; long jumps go round the outside so they do not cross the diagram. */
export function edgePath(from: TcpStateName, to: TcpStateName, offset = 0): string {
  const a = centre(from);
  const b = centre(to);
  const rowGap = Math.abs(TCP_STATE_LAYOUT[from].row - TCP_STATE_LAYOUT[to].row);
  if (rowGap > 2 && TCP_STATE_LAYOUT[from].col !== 1) {
    // Around the left or right side, into CLOSED's side.
    const left = TCP_STATE_LAYOUT[from].col === 0;
    const sideX = left ? 12 + offset : WIDTH - 12 + offset;
    const ax = left ? a.x - NODE_W / 2 : a.x + NODE_W / 2;
    const bx = left ? b.x - NODE_W / 2 : b.x + NODE_W / 2;
    return `M${ax},${a.y + offset} L${sideX},${a.y + offset} L${sideX},${b.y + offset} L${bx},${b.y + offset}`;
  }
  if (rowGap > 2) {
    // Straight up the middle would run through LISTEN: bow out to the right.
    const s = boxEdge(a.x, a.y, 0.6, -1);
    const e = boxEdge(b.x, b.y, 0.6, 1);
    return `M${s.x + offset},${s.y} Q${a.x + 110 + offset},${(a.y + b.y) / 2} ${e.x + offset},${e.y}`;
  }
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const s = boxEdge(a.x, a.y, dx / len, dy / len);
  const e = boxEdge(b.x, b.y, -dx / len, -dy / len);
  // Shift parallel paths sideways so the client's and the server's do not hide each other.
  const nx = (-dy / len) * offset;
  const ny = (dx / len) * offset;
  return `M${s.x + nx},${s.y + ny} L${e.x + nx},${e.y + ny}`;
}

function causeText(cause: string | undefined, t: (key: HandshakeUiKey) => string): string {
  const key = `cause-${cause ?? ''}`;
  return isHandshakeUiKey(key) ? t(key) : t('legendModelled');
}

const STYLE: Record<PathStep['source'], string> = { polled: 'solid', modelled: 'dashed', diagram: 'dotted' };

export default function TcpStateMachine({ demos }: ViewProps) {
  const t = useText(HANDSHAKE_UI);
  const { language } = useLab();
  const { recording, shown } = useHandshakeRecording(demos, 20);
  const clients = recording?.clients.length
    ? recording.clients
    : [...new Set(recording?.items.flatMap((i) => (i.type === 'segment' ? [i.event.client] : [])) ?? [])];
  const [client, setClient] = useState<string | null>(null);
  const chosen = client && clients.includes(client) ? client : (clients[0] ?? null);
  // A new run starts from its first client again (adjusted while rendering, not in an effect).
  const [clientRun, setClientRun] = useState(recording?.run);
  if (clientRun !== recording?.run) {
    setClientRun(recording?.run);
    setClient(null);
  }

  const until = recording && shown > 0 ? recording.items[shown - 1]!.at : -Infinity;
  const version = recording?.version ?? 0;
  const paths: EndpointPath[] = useMemo(
    () => (recording && chosen ? connectionPaths(recording, chosen, until) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [recording, version, chosen, until],
  );

  return (
    <section className="panel tcp-state-machine" data-testid="tcp-state-machine">
      <header className="panel-head">
        <h3>{t('stateTitle')}</h3>
        <SourceBadge source="polled" />
        <SourceBadge source="modelled" />
        <span className="spacer" />
        {clients.length > 1 && (
          <label>
            {t('connection')}{' '}
            <select value={chosen ?? ''} onChange={(e) => setClient(e.target.value)} data-testid="state-connection">
              {clients.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      <svg className="sm-diagram" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('stateTitle')}>
        <defs>
          <marker
            id="sm-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
          </marker>
        </defs>
        {TCP_TRANSITIONS.map((tr) => (
          <path
            key={`${tr.from}-${tr.to}`}
            className={`sm-edge${tr.minor ? ' minor' : ''}`}
            d={edgePath(tr.from, tr.to)}
            markerEnd="url(#sm-arrow)"
          >
            <title>{tr.label[language]}</title>
          </path>
        ))}
        {paths.map((p, pi) =>
          p.steps
            .slice(1)
            .map((step, i) => (
              <path
                key={`${p.role}-${i}`}
                className={`sm-path ${p.role} ${step.confirmed ? 'solid' : STYLE[step.source]}`}
                d={edgePath(p.steps[i]!.state, step.state, pi === 0 ? -3 : 3)}
                markerEnd="url(#sm-arrow)"
                data-testid="sm-path"
              />
            )),
        )}
        {TCP_STATE_NAMES.map((s) => {
          const c = centre(s);
          const here = paths.filter((p) => p.steps.at(-1)?.state === s);
          const visited = paths.some((p) => p.steps.some((st) => st.state === s));
          return (
            <g
              key={s}
              className={`sm-node${visited ? ' visited' : ''}${here.map((p) => ` current-${p.role}`).join('')}`}
              data-state={s}
              data-current={here.map((p) => p.role).join(' ') || undefined}
            >
              <rect x={c.x - NODE_W / 2} y={c.y - NODE_H / 2} width={NODE_W} height={NODE_H} rx={6} />
              <text x={c.x} y={c.y + 4} textAnchor="middle">
                {s}
              </text>
              {here.map((p, i) => (
                <text
                  key={p.role}
                  className={`sm-tag ${p.role}`}
                  x={c.x + NODE_W / 2 - 2}
                  y={c.y - NODE_H / 2 - 3 - i * 11}
                  textAnchor="end"
                >
                  {t(p.role)}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
      <p className="sm-legend">
        <span className="solid">━ {t('legendPolled')}</span> <span className="dashed">╌ {t('legendModelled')}</span>{' '}
        <span className="dotted">┈ {t('legendDiagram')}</span>
      </p>
      {paths.length === 0 || paths.every((p) => p.steps.length === 0) ? (
        <p className="muted">{t('noStates')}</p>
      ) : (
        paths.map((p) => (
          <div key={p.role} className={`sm-steps ${p.role}`} data-testid={`sm-steps-${p.role}`}>
            <strong>{t(p.role)}</strong> <code>{p.socket.local}</code>:{' '}
            {p.steps.map((s, i) => (
              <span key={i} className={`sm-step src-${s.source}`} data-state={s.state} data-source={s.source}>
                {i > 0 && ' → '}
                {s.state}
                {s.source !== 'diagram' || i > 0 ? (
                  <small>
                    {' '}
                    (
                    {s.source === 'polled'
                      ? t('legendPolled')
                      : s.source === 'modelled'
                        ? causeText(s.cause, t)
                        : t('legendDiagram')}
                    {s.confirmed && s.source !== 'polled' ? `; ${t('confirmed')}` : ''})
                  </small>
                ) : null}
              </span>
            ))}
          </div>
        ))
      )}
    </section>
  );
}
