// Lesson 4's flow graph (as Wireshark draws one): a lifeline per endpoint and an arrow per captured segment with
// its flags, seq/ack (relative or absolute), length and Δt; socket calls and states as notes. Only the rows in view
// are in the DOM, so a recording of 10,000 segments scrolls smoothly. Click a segment for every field and its bytes.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useText } from '../../app/labContext';
import { HANDSHAKE_UI } from '../../i18n/handshakeText';
import { buildFlowGraph, formatDelta, visibleRange, type FlowRow, type Lifeline } from './flowGraphModel';
import { SegmentDetail } from './SegmentDetail';
import { SourceBadge } from '../common/SourceBadge';
import { useHandshakeRecording } from './useHandshakeRecording';
import type { SegmentEvent } from './handshakeRecording';
import type { ViewProps } from '../viewRegistry';
import './handshake.css';

const ROW_H = 30;
const VIEW_H = 420;

/** Lifeline x as a percentage of the drawing's width. */
function lifelineX(col: number, count: number): number {
  return count <= 1 ? 50 : 10 + (col * 80) / (count - 1);
}

function clockText(at: number): string {
  const d = new Date(at);
  const ms = (at % 1000).toFixed(3).padStart(7, '0');
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.${ms.replace('.', '')}`;
}

export default function FlowGraph({ demos }: ViewProps) {
  const t = useText(HANDSHAKE_UI);
  const { recording, shown } = useHandshakeRecording(demos, 30);
  const [relative, setRelative] = useState(true);
  const [calls, setCalls] = useState(true);
  const [polledStates, setPolledStates] = useState(true);
  const [modelledStates, setModelledStates] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const followEnd = useRef(true);

  // Stable, so rows that stay in view keep their props and skip rendering while the list scrolls.
  const toggleSelected = useCallback((item: number) => setSelected((current) => (current === item ? null : item)), []);
  const version = recording?.version ?? 0;
  const graph = useMemo(
    () =>
      recording
        ? buildFlowGraph(recording, { relative, calls, polledStates, modelledStates })
        : { lifelines: [], rows: [] },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [recording, version, relative, calls, polledStates, modelledStates],
  );
  // Rows up to the replay position (rows are in item order, so this is a prefix).
  const rowCount = useMemo(() => {
    let lo = 0;
    let hi = graph.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (graph.rows[mid]!.item < shown) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }, [graph, shown]);

  // Keep the newest row in view while a run streams in or a replay plays, unless the student scrolled away.
  useEffect(() => {
    const el = scroller.current;
    if (!el || !followEnd.current) return;
    const bottom = rowCount * ROW_H;
    if (bottom > el.scrollTop + el.clientHeight || bottom < el.scrollTop)
      el.scrollTop = Math.max(0, bottom - el.clientHeight);
  }, [rowCount]);

  // A new run clears the selection (adjusted while rendering, as React advises, rather than in an effect).
  const [selectedRun, setSelectedRun] = useState(recording?.run);
  if (selectedRun !== recording?.run) {
    setSelectedRun(recording?.run);
    setSelected(null);
  }

  const { from, to } = visibleRange(rowCount, ROW_H, scrollTop, VIEW_H);
  const segmentCount = useMemo(() => graph.rows.filter((r) => r.kind === 'segment').length, [graph]);
  const selectedEvent =
    selected !== null && recording ? (recording.items[selected]?.event as SegmentEvent | undefined) : undefined;

  return (
    <section className="panel flow-graph" data-testid="flow-graph" data-rows={rowCount} data-segments={segmentCount}>
      <header className="panel-head">
        <h3>{t('flowTitle')}</h3>
        <SourceBadge source="captured" />
        <span className="spacer" />
        <label className="toggle">
          <input
            type="checkbox"
            checked={relative}
            onChange={(e) => setRelative(e.target.checked)}
            data-testid="toggle-relative"
          />{' '}
          {t('relative')}
        </label>
        <label className="toggle">
          <input type="checkbox" checked={calls} onChange={(e) => setCalls(e.target.checked)} /> {t('calls')}
        </label>
        <label className="toggle">
          <input type="checkbox" checked={polledStates} onChange={(e) => setPolledStates(e.target.checked)} />{' '}
          {t('polledStates')}
        </label>
        <label className="toggle">
          <input type="checkbox" checked={modelledStates} onChange={(e) => setModelledStates(e.target.checked)} />{' '}
          {t('modelledStates')}
        </label>
      </header>
      {recording && segmentCount === 0 && recording.ended && <p className="muted">{t('noSegments')}</p>}
      <Lifelines lifelines={graph.lifelines} />
      <div
        className="fg-scroll"
        role="region"
        tabIndex={0}
        aria-label={t('flowTitle')}
        ref={scroller}
        style={{ height: VIEW_H }}
        data-testid="flow-scroll"
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          followEnd.current = el.scrollTop + el.clientHeight >= rowCount * ROW_H - ROW_H;
        }}
      >
        <svg className="fg-defs" width="0" height="0" aria-hidden="true">
          <defs>
            <marker
              id="fg-arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
            </marker>
          </defs>
        </svg>
        <div style={{ height: rowCount * ROW_H, position: 'relative' }}>
          {graph.rows.slice(from, to).map((row, i) => (
            <Row
              key={row.item}
              row={row}
              top={(from + i) * ROW_H}
              lifelines={graph.lifelines.length}
              latest={from + i === rowCount - 1}
              selected={row.item === selected}
              onSelect={toggleSelected}
            />
          ))}
        </div>
      </div>
      {selectedEvent && selectedEvent.kind === 'packet.segment' && (
        <SegmentDetail segment={selectedEvent} onClose={() => setSelected(null)} />
      )}
    </section>
  );
}

function Lifelines({ lifelines }: { lifelines: Lifeline[] }) {
  const t = useText(HANDSHAKE_UI);
  return (
    <div className="fg-heads">
      <span className="fg-time">{t('time')}</span>
      <span className="fg-dt">{t('delta')}</span>
      <div className="fg-names">
        {lifelines.map((l, i) => (
          <span
            key={l.endpoint}
            style={{ left: `${lifelineX(i, lifelines.length)}%` }}
            className={`fg-name ${l.role}`}
            title={l.endpoint}
          >
            {t(l.role)}
            <br />
            {/* Crowded: the port tells the lifelines apart (the address is the same loopback one). */}
            <code>{lifelines.length > 2 ? l.endpoint.slice(l.endpoint.lastIndexOf(':')) : l.endpoint}</code>
          </span>
        ))}
      </div>
    </div>
  );
}

interface RowProps {
  row: FlowRow;
  top: number;
  lifelines: number;
  latest: boolean;
  selected: boolean;
  onSelect(item: number): void;
}

const Row = memo(function Row({ row, top, lifelines, latest, selected, onSelect }: RowProps) {
  const clickable = row.kind === 'segment';
  const x1 = lifelineX(row.fromCol, lifelines);
  const x2 = lifelineX(row.toCol, lifelines);
  const seq = row.fields.find((f) => f.startsWith('seq='))?.slice(4);
  const ack = row.fields.find((f) => f.startsWith('ack='))?.slice(4);
  const len = row.fields.find((f) => f.startsWith('len='))?.slice(4);
  const className = `fg-row fg-${row.kind}${latest ? ' latest' : ''}${selected ? ' selected' : ''}${row.source ? ` src-${row.source}` : ''}`;
  return (
    <div
      className={className}
      style={{ top, height: ROW_H }}
      data-testid="flow-row"
      data-kind={row.kind}
      data-title={row.title}
      data-connection={row.connection}
      {...(seq !== undefined ? { 'data-seq': seq } : {})}
      {...(ack !== undefined ? { 'data-ack': ack } : {})}
      {...(len !== undefined ? { 'data-len': len } : {})}
      onClick={clickable ? () => onSelect(row.item) : undefined}
      role={clickable ? 'button' : undefined}
      tabIndex={clickable ? 0 : undefined}
      onKeyDown={clickable ? (e) => (e.key === 'Enter' || e.key === ' ') && onSelect(row.item) : undefined}
    >
      <span className="fg-time">{clockText(row.at)}</span>
      <span className="fg-dt">{formatDelta(row.dtMs)}</span>
      <div className="fg-draw">
        <svg width="100%" height={ROW_H} aria-hidden="true">
          {Array.from({ length: lifelines }, (_, i) => (
            <line
              key={i}
              className="fg-lifeline"
              x1={`${lifelineX(i, lifelines)}%`}
              x2={`${lifelineX(i, lifelines)}%`}
              y1="0"
              y2={ROW_H}
            />
          ))}
          {row.kind === 'segment' && (
            <line
              className="fg-arrow"
              x1={`${x1}%`}
              x2={`${x2}%`}
              y1={ROW_H - 7}
              y2={ROW_H - 7}
              markerEnd="url(#fg-arrow)"
            />
          )}
        </svg>
        {row.kind === 'segment' ? (
          <span className="fg-label" style={{ left: `${Math.min(x1, x2)}%`, width: `${Math.abs(x2 - x1)}%` }}>
            <strong
              className={`fg-flags ${row.title.includes('RST') ? 'rst' : row.title.includes('FIN') ? 'fin' : row.title.includes('SYN') ? 'syn' : ''}`}
            >
              {row.title}
            </strong>{' '}
            {row.fields.join(' ')}
            {row.ackNote && <em className="fg-acknote"> ({row.ackNote})</em>}
            {row.options && <span className="fg-options"> {row.options}</span>}
          </span>
        ) : (
          <span
            className={`fg-note ${x1 > 50 ? 'left' : 'right'}`}
            style={x1 > 50 ? { right: `${100 - x1}%` } : { left: `${x1}%` }}
          >
            {row.title}
            {row.kind === 'state' && <small> {row.source}</small>}
          </span>
        )}
      </div>
    </div>
  );
});
