// The goroutine timeline: a lane per goroutine coloured by state, hand-off arrows labelled with the values,
// buffered-channel occupancy and WaitGroup counters, with zoom and pan; drawn on a canvas, so a run of a million
// events and ten thousand goroutines stays smooth (rows are virtual, a band above counts every goroutine).
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ChangeEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { LabEvent } from '@core/protocol/events';
import { useLab, useText } from '../../app/labContext';
import { GOROUTINE_UI, type GoroutineUiKey } from '../../i18n/goroutineText';
import { useVersionedFold } from './useVersionedFold';
import {
  drawTimeline,
  formatMs,
  frameOf,
  hitTest,
  LAYOUT,
  type Palette,
  type Viewport,
} from './goroutineTimelineDrawing';
import { isGoroutineEvent, LANE_STATES, LaneState, timelineFold, TimelineModel } from './goroutineTimelineModel';
import {
  followedDemos,
  setGoroutineDemoPin,
  useGoroutineDemoPin,
  useSnippetRunDemo,
  withSnippetRun,
} from './goroutineDemoPin';
import { GoroutineRunOwner, runOwner } from './GoroutineRunOwner';
import { parseRecording, RECORDING_FORMAT } from './goroutineRecording';
import { SourceBadge } from '../common/SourceBadge';
import { readPalette } from '../common/themePalette';
import type { ViewProps } from '../viewRegistry';
import './goroutineTimeline.css';

/** Lanes shown at once: fewer lanes make a shorter canvas; more scroll inside it. */
const MAX_ROWS = 24;

function canvasHeight(model: TimelineModel): number {
  const rows = Math.min(MAX_ROWS, Math.max(3, model.lanes.length));
  const series = Math.min(6, model.occupancy.size + model.waitGroups.size);
  return (
    LAYOUT.axis +
    LAYOUT.summary +
    LAYOUT.sectionGap +
    rows * LAYOUT.row +
    (series > 0 ? series * LAYOUT.series + LAYOUT.sectionGap : 0) +
    2
  );
}
const STATE_VARS = [
  'runnable',
  'running',
  'chan-recv',
  'chan-send',
  'select',
  'sync',
  'wait-group',
  'sleep',
  'io',
  'forever',
  'dead',
];

function timelinePalette(el: Element): Palette {
  const states = readPalette(el, Object.fromEntries(STATE_VARS.map((s) => [s, [`--go-${s}`, '#888']] as const)));
  return {
    ...readPalette(el, { arrow: ['--go-arrow', '#dfe6ee'], panic: ['--err', '#f85149'] }),
    states: STATE_VARS.map((s) => states[s]!),
  };
}

export default function GoroutineTimeline({ demos: lessonDemos }: ViewProps) {
  const t = useText(GOROUTINE_UI);
  const { store } = useLab();
  // By default the latest run among the lesson's demos and the student's own snippet run takes the timeline (a
  // lesson can show a program and a server); the student can pin one demo instead.
  const snippetRun = useSnippetRunDemo();
  const demos = useMemo(() => withSnippetRun(lessonDemos, snippetRun), [lessonDemos, snippetRun]);
  const pinned = useGoroutineDemoPin();
  const demoKey = followedDemos(demos, pinned);
  const fold = useMemo(() => timelineFold(demoKey === null ? null : demoKey.split(',')), [demoKey]);
  const live = useVersionedFold(fold, 10);
  const [imported, setImported] = useState<TimelineModel | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const model = imported ?? live;

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const viewport = useRef<Viewport>({ t0: 0, t1: 1, firstRow: 0 });
  /** While true the view shows the whole run and keeps up with it; any zoom or pan turns it off. */
  const [follow, setFollow] = useState(true);
  const followRef = useRef(true);
  // The drawing loop reads the latest follow flag between renders.
  useLayoutEffect(() => {
    followRef.current = follow;
  });
  const palette = useRef<Palette | null>(null);
  const dirty = useRef(true);
  const frameReq = useRef(0);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const [rows, setRows] = useState({ first: 0, visible: 0 });

  const fitIfFollowing = useCallback(() => {
    if (!followRef.current || Number.isNaN(model.t0)) return;
    const span = Math.max(1, model.tEnd - model.t0);
    viewport.current = { ...viewport.current, t0: -span * 0.01, t1: span * 1.02 };
  }, [model]);

  const draw = useCallback(() => {
    frameReq.current = 0;
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (!palette.current) palette.current = timelinePalette(canvas);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, width);
    const height = canvasHeight(model);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${height}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    fitIfFollowing();
    const f = frameOf(model, w, height);
    const v = viewport.current;
    v.firstRow = Math.max(0, Math.min(v.firstRow, Math.max(0, model.lanes.length - f.visibleRows)));
    drawTimeline(ctx, model, v, f, palette.current);
    dirty.current = false;
    canvas.dataset.t0 = v.t0.toFixed(3);
    canvas.dataset.t1 = v.t1.toFixed(3);
    canvas.dataset.firstRow = String(v.firstRow);
    setRows((r) =>
      r.first === v.firstRow && r.visible === f.visibleRows ? r : { first: v.firstRow, visible: f.visibleRows },
    );
  }, [model, width, fitIfFollowing]);

  const requestDraw = useCallback(() => {
    dirty.current = true;
    if (frameReq.current === 0) frameReq.current = requestAnimationFrame(draw);
  }, [draw]);

  // New events (the fold's state is mutated in place: the version says whether anything changed).
  useEffect(() => {
    requestDraw();
  });
  useEffect(() => () => cancelAnimationFrame(frameReq.current), []);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    // Theme changes: re-read the colours.
    const mo = new MutationObserver(() => {
      palette.current = null;
      requestDraw();
    });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, [requestDraw]);

  const zoom = useCallback(
    (factor: number, anchorX?: number) => {
      const v = viewport.current;
      const f = frameOf(model, Math.max(200, width), canvasHeight(model));
      const ax = anchorX === undefined ? 0.5 : Math.min(1, Math.max(0, (anchorX - f.plotX) / f.plotW));
      const at = v.t0 + ax * (v.t1 - v.t0);
      const span = Math.max(1e-3, (v.t1 - v.t0) * factor);
      viewport.current = { ...v, t0: at - ax * span, t1: at + (1 - ax) * span };
      setFollow(false);
      requestDraw();
    },
    [model, width, requestDraw],
  );

  const panBy = useCallback(
    (dxPx: number, dRows: number) => {
      const v = viewport.current;
      const f = frameOf(model, Math.max(200, width), canvasHeight(model));
      const dt = (dxPx / f.plotW) * (v.t1 - v.t0);
      viewport.current = { t0: v.t0 - dt, t1: v.t1 - dt, firstRow: Math.max(0, v.firstRow + dRows) };
      if (dxPx !== 0) setFollow(false);
      requestDraw();
    },
    [model, width, requestDraw],
  );

  // Wheel: lanes scroll; with Ctrl/⌘ (or a pinch) it zooms; with Shift it pans in time.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) zoom(Math.exp(e.deltaY * 0.002), e.clientX - rect.left);
      else if (e.shiftKey) panBy(-e.deltaY, 0);
      else panBy(0, Math.round(e.deltaY / LAYOUT.row) || Math.sign(e.deltaY));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [zoom, panBy]);

  const drag = useRef<{ x: number; y: number; rowAcc: number } | null>(null);
  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, rowAcc: 0 };
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const rect = e.currentTarget.getBoundingClientRect();
    if (d) {
      const dx = e.clientX - d.x;
      d.rowAcc += e.clientY - d.y;
      const dRows = -Math.trunc(d.rowAcc / LAYOUT.row);
      d.rowAcc -= -dRows * LAYOUT.row;
      d.x = e.clientX;
      d.y = e.clientY;
      panBy(dx, dRows);
      setTip(null);
      return;
    }
    const f = frameOf(model, Math.max(200, width), canvasHeight(model));
    const hit = hitTest(model, viewport.current, f, e.clientX - rect.left, e.clientY - rect.top);
    if (!hit || hit.index < 0) {
      setTip(null);
      return;
    }
    const { lane, index } = hit;
    const state = lane.states.data[index] as LaneState;
    const key = LANE_STATES.find((s) => s.state === state)?.key ?? 'dead';
    const on = lane.waitOn.data[index];
    const since = lane.times.data[index] - model.t0;
    const until = index + 1 < lane.times.n ? lane.times.data[index + 1] - model.t0 : model.tEnd - model.t0;
    const text = `g${lane.gid} ${lane.fn}: ${t(key as GoroutineUiKey)}${on ? ` · ${model.objectLabel(on)}` : ''} · ${formatMs(since)} → ${formatMs(until)} (${formatMs(until - since)})`;
    setTip({ x: e.clientX - rect.left, y: e.clientY - rect.top, text });
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const onImport = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const events = parseRecording(await file.text());
      const m = new TimelineModel();
      for (const ev of events) if (isGoroutineEvent(ev)) m.step(ev, ev.t);
      setImported(m);
      setImportError(null);
      setFollow(true);
      viewport.current = { t0: 0, t1: 1, firstRow: 0 };
    } catch (err) {
      setImportError(`${t('importFailed')}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const onExport = () => {
    const events: LabEvent[] = [];
    for (let p = store.start; p < store.end; p++) {
      const ev = store.at(p);
      if (ev && isGoroutineEvent(ev) && (demos.length === 0 || demos.includes(ev.demo))) events.push(ev);
    }
    // Only the latest run: from its runStart on, of the demo that started it.
    let from = 0;
    events.forEach((ev, i) => {
      if (ev.kind === 'go.runStart') from = i;
    });
    const demo = events[from]?.demo ?? null;
    const run = events.slice(from).filter((ev) => ev.demo === demo);
    const blob = new Blob([JSON.stringify({ format: RECORDING_FORMAT, version: 1, demo, events: run })], {
      type: 'application/json',
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `goroutines-${demo ?? 'run'}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const statusKey: GoroutineUiKey | null =
    model.status === 'running'
      ? 'statusRunning'
      : model.status === 'ok'
        ? 'statusOk'
        : model.status === 'deadlock'
          ? 'statusDeadlock'
          : model.status === 'panic'
            ? 'statusPanic'
            : model.status === 'fatal'
              ? 'statusFatal'
              : model.status === 'stopped'
                ? 'statusStopped'
                : null;
  const lanes = model.lanes.length;
  const { elided } = model;
  return (
    <section
      className="panel goroutine-timeline"
      data-testid="goroutine-timeline"
      data-demo={model.demo ?? ''}
      data-owner={runOwner(model.demo, snippetRun)}
      data-goroutines={lanes + elided.goroutines}
      data-lanes={lanes}
      data-alive={model.live}
      data-events={model.events}
      data-handoffs={model.handoffs.count}
      data-status={model.status}
    >
      <header className="panel-head">
        <h3>{t('timelineTitle')}</h3>
        <SourceBadge source={model.source} />
        {!imported && <GoroutineRunOwner demo={model.demo} snippetRun={snippetRun} />}
        {demos.length > 1 && (
          <select
            value={pinned !== null && demos.includes(pinned) ? pinned : ''}
            onChange={(e) => setGoroutineDemoPin(e.target.value === '' ? null : e.target.value)}
            data-testid="timeline-demo"
            aria-label="demo"
          >
            <option value="">{t('latestRun')}</option>
            {demos.map((d) => (
              <option key={d} value={d}>
                {d === snippetRun ? `${t('yourRun')} (${d})` : d}
              </option>
            ))}
          </select>
        )}
        <span className="muted" data-testid="timeline-counts">
          {(lanes + elided.goroutines).toLocaleString()} {t('goroutines')} ·{' '}
          {(model.live + elided.alive).toLocaleString()} {t('alive')} ·{' '}
          {(model.events + elided.events).toLocaleString()} {t('events')}
          {model.seed !== null ? ` · ${t('seed')} ${model.seed}` : ''}
        </span>
        {statusKey && (
          <span className={`go-status go-status-${model.status}`} data-testid="timeline-status">
            {t(statusKey)}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => zoom(0.5)} data-testid="timeline-zoom-in" title={t('zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoom(2)} data-testid="timeline-zoom-out" title={t('zoomOut')}>
          −
        </button>
        <button
          type="button"
          className={follow ? 'primary' : ''}
          onClick={() => {
            setFollow(true);
            requestDraw();
          }}
          data-testid="timeline-fit"
        >
          {t('fit')}
        </button>
        <button type="button" onClick={onExport} data-testid="timeline-export">
          {t('exportJson')}
        </button>
        <label className="file-button">
          {t('importJson')}
          <input type="file" accept="application/json,.json,.jsonl" onChange={onImport} data-testid="timeline-import" />
        </label>
        {imported && (
          <button type="button" onClick={() => setImported(null)} data-testid="timeline-live">
            {t('follow')}
          </button>
        )}
      </header>
      {importError && (
        <p className="error" role="alert">
          {importError}
        </p>
      )}
      {(elided.goroutines > 0 || elided.events > 0) && (
        <p
          className="muted go-elided"
          data-testid="timeline-elided"
          data-goroutines={elided.goroutines}
          data-events={elided.events}
        >
          {elided.goroutines > 0 && `${elided.goroutines.toLocaleString()} ${t('elidedGoroutines')}`}
          {elided.goroutines > 0 && elided.events > 0 && ' · '}
          {elided.events > 0 && `${elided.events.toLocaleString()} ${t('elidedEvents')}`}
        </p>
      )}
      <ul className="go-legend">
        {LANE_STATES.map(({ state, key }) => (
          <li key={key}>
            <i className={`swatch go-${STATE_VARS[state]}`} /> {t(key as GoroutineUiKey)}
          </li>
        ))}
      </ul>
      <div className="timeline-canvas-wrap" ref={wrapRef}>
        {lanes === 0 ? (
          <p className="muted">{t('noRun')}</p>
        ) : (
          <p className="muted timeline-rows" data-testid="timeline-rows">
            {t('rowsShown')} {(rows.first + 1).toLocaleString()}–
            {Math.min(lanes, rows.first + rows.visible).toLocaleString()} {t('of')} {lanes.toLocaleString()} ·{' '}
            {t('summaryBand')} · {t('howToNavigate')}
          </p>
        )}
        <canvas
          ref={canvasRef}
          data-testid="timeline-canvas"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setTip(null)}
        />
        {tip && (
          <div className="timeline-tip" style={{ left: tip.x + 12, top: tip.y + 12 }} data-testid="timeline-tip">
            {tip.text}
          </div>
        )}
      </div>
    </section>
  );
}
