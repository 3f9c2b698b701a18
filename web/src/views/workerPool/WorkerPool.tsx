// Lesson 9's view: set the pool (K workers, queue Q, work per request, wait or reject when full, or unbounded),
// run the lab's load generator with N real clients for a bounded time, and watch throughput, latency and queue
// occupancy on a canvas chart, with the current figures and those of the last run. Re-renders a few times a second.
import { useEffect, useMemo, useRef, useState } from 'react';
import { WORKER_POOL_DEMO, WORKER_POOL_LIMITS, type WorkerPoolConfig } from '@core/protocol/demos/workerPool';
import { useLab, useLabConnection } from '../../app/labContext';
import { useWorkerPoolText } from '../../i18n/workerPoolText';
import { CommandError } from '../../net/labSocket';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import type { ViewProps } from '../viewRegistry';
import { CHART_HEIGHT, drawPoolChart, type ChartPalette } from './workerPoolChart';
import { capacityPerSec, chartScales, runFigures, workerPoolFold } from './workerPoolModel';
import './workerPool.css';
import { useElementWidth } from '../common/useElementWidth';

const DEFAULTS: WorkerPoolConfig = { mode: 'pool', workers: 4, queue: 16, workMs: 20, work: 'sleep', whenFull: 'wait' };

function readPalette(el: Element): ChartPalette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg-panel', '#161c24'),
    fg: v('--fg', '#dfe6ee'),
    muted: v('--fg-muted', '#8b98a8'),
    grid: v('--border', '#2a3441'),
    done: v('--wp-done', '#3fb950'),
    rejected: v('--wp-rejected', '#f85149'),
    p50: v('--wp-p50', '#58a6ff'),
    p95: v('--wp-p95', '#d29922'),
    queue: v('--wp-queue', '#a371f7'),
    busy: v('--wp-busy', '#00add8'),
    capacity: v('--wp-capacity', '#8b98a8'),
  };
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v >= 100 ? Math.round(v).toString() : v.toFixed(digits));

function sameConfig(a: WorkerPoolConfig | null, b: WorkerPoolConfig): boolean {
  return a !== null && (Object.keys(b) as (keyof WorkerPoolConfig)[]).every((k) => a[k] === b[k]);
}

function clampInt(value: string, min: number, max: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : min;
}

export default function WorkerPool({ demos }: ViewProps) {
  const demo = demos.includes(WORKER_POOL_DEMO) ? WORKER_POOL_DEMO : (demos[0] ?? WORKER_POOL_DEMO);
  const fold = useMemo(() => workerPoolFold(demo), [demo]);
  const state = useEventFold(fold, 8);
  const { socket, language } = useLab();
  const { status } = useLabConnection();
  const t = useWorkerPoolText();
  const [draft, setDraft] = useState<WorkerPoolConfig>(DEFAULTS);
  const [connections, setConnections] = useState(10);
  const [seconds, setSeconds] = useState(5);
  /** Requests per second per client; 0: each client sends its next request as soon as it has the reply. */
  const [rate, setRate] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  // The form follows the server's configuration when another browser (or the first load) sets it.
  const serverConfig = state.config;
  useEffect(() => {
    if (serverConfig) setDraft(serverConfig);
  }, [serverConfig]);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof CommandError ? `${err.error.code}: ${err.error.detail ?? err.error.message[language]}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  const configure = () => socket.command(demo, 'configure', { ...draft });
  const startLoad = () =>
    run(async () => {
      // Reconfiguring restarts the pool and clears the chart: only when the settings changed, so runs with
      // different N on the same pool sit side by side.
      if (!sameConfig(state.config, draft)) await configure();
      await socket.command(demo, 'load', { connections, durationMs: seconds * 1000, ...(rate > 0 ? { ratePerConnection: rate } : {}) });
    });
  const stopLoad = () => run(() => socket.command(demo, 'stopLoad'));

  // The chart: drawn from the fold's samples whenever they change, on the next animation frame.
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [boxRef, width] = useElementWidth(280, 560);
  const [themeTick, setThemeTick] = useState(0);
  useEffect(() => {
    const mo = new MutationObserver(() => setThemeTick((n) => n + 1));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  const scales = chartScales(state);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(CHART_HEIGHT * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${CHART_HEIGHT}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawPoolChart(ctx, width, state.samples, scales, readPalette(canvas), { throughput: t('throughput'), latency: t('latency'), occupancy: t('occupancy') });
    });
    return () => cancelAnimationFrame(frame);
    // state.version changes whenever a sample arrives (the fold mutates in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.version, width, themeTick, language]);

  const latest = state.latest;
  const figures = runFigures(state.samples, state.load?.startedAt);
  const capacity = state.config ? capacityPerSec(state.config, state.load?.connections ?? null) : null;
  const pool = draft.mode === 'pool';
  const set = <K extends keyof WorkerPoolConfig>(key: K, value: WorkerPoolConfig[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <section className="panel worker-pool" data-testid="worker-pool" data-running={state.running ? 'true' : 'false'} data-samples={state.samples.length}>
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <SourceBadge source="observed" />
        <span className={`wp-state ${state.running ? 'on' : ''}`} data-testid="wp-state">
          {state.running ? `● ${t('running')}` : t('idle')}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={startLoad} disabled={busy || state.running} data-testid="wp-run">
          {t('runLoad')}
        </button>
        <button type="button" onClick={stopLoad} disabled={!state.running} data-testid="wp-stop">
          {t('stopLoad')}
        </button>
      </header>

      <div className="wp-controls">
        <label>
          {t('mode')}
          <select value={draft.mode} onChange={(e) => set('mode', e.target.value as WorkerPoolConfig['mode'])} data-testid="wp-mode">
            <option value="pool">{t('modePool')}</option>
            <option value="unbounded">{t('modeUnbounded')}</option>
          </select>
        </label>
        <label>
          {t('workers')}
          <input type="number" min={1} max={WORKER_POOL_LIMITS.workers} value={draft.workers} disabled={!pool} onChange={(e) => set('workers', clampInt(e.target.value, 1, WORKER_POOL_LIMITS.workers))} data-testid="wp-workers" />
        </label>
        <label>
          {t('queue')}
          <input type="number" min={0} max={WORKER_POOL_LIMITS.queue} value={draft.queue} disabled={!pool} onChange={(e) => set('queue', clampInt(e.target.value, 0, WORKER_POOL_LIMITS.queue))} data-testid="wp-queue" />
        </label>
        <label>
          {t('whenFull')}
          <select value={draft.whenFull} disabled={!pool} onChange={(e) => set('whenFull', e.target.value as WorkerPoolConfig['whenFull'])} data-testid="wp-when-full">
            <option value="wait">{t('fullWait')}</option>
            <option value="reject">{t('fullReject')}</option>
          </select>
        </label>
        <label>
          {t('workMs')}
          <input type="number" min={0} max={WORKER_POOL_LIMITS.workMs} value={draft.workMs} onChange={(e) => set('workMs', clampInt(e.target.value, 0, WORKER_POOL_LIMITS.workMs))} data-testid="wp-work" />
        </label>
        <label>
          {t('workKind')}
          <select value={draft.work} onChange={(e) => set('work', e.target.value as WorkerPoolConfig['work'])} data-testid="wp-work-kind">
            <option value="sleep">{t('workSleep')}</option>
            <option value="cpu">{t('workCpu')}</option>
          </select>
        </label>
        <label>
          {t('clients')}
          <input type="number" min={1} max={WORKER_POOL_LIMITS.connections} value={connections} onChange={(e) => setConnections(clampInt(e.target.value, 1, WORKER_POOL_LIMITS.connections))} data-testid="wp-clients" />
        </label>
        <label>
          {t('seconds')}
          <input type="number" min={1} max={WORKER_POOL_LIMITS.durationMs / 1000} value={seconds} onChange={(e) => setSeconds(clampInt(e.target.value, 1, WORKER_POOL_LIMITS.durationMs / 1000))} data-testid="wp-seconds" />
        </label>
        <label title={t('rateHint')}>
          {t('rate')}
          <input type="number" min={0} max={WORKER_POOL_LIMITS.ratePerConnection} value={rate} onChange={(e) => setRate(clampInt(e.target.value, 0, WORKER_POOL_LIMITS.ratePerConnection))} data-testid="wp-rate" />
        </label>
        <button type="button" onClick={() => void run(configure)} disabled={busy || state.running} data-testid="wp-apply" title={t('reconfigureNote')}>
          {t('apply')}
        </button>
      </div>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <dl className="wp-figures" data-testid="wp-figures">
        <div>
          <dt>
            {t('now')} · {t('perSec')}
          </dt>
          <dd data-testid="wp-throughput" data-value={latest?.completedPerSec ?? ''}>
            {fmt(latest?.completedPerSec, 0)}
          </dd>
        </div>
        <div>
          <dt>{t('capacity')}</dt>
          <dd data-testid="wp-capacity" data-value={capacity ?? ''}>
            {fmt(capacity, 0)}
          </dd>
        </div>
        <div>
          <dt>
            {t('p50')} / {t('p95')} (ms)
          </dt>
          <dd data-testid="wp-latency" data-p50={latest?.p50Ms ?? ''} data-p95={latest?.p95Ms ?? ''}>
            {fmt(latest?.p50Ms)} / {fmt(latest?.p95Ms)}
          </dd>
        </div>
        <div>
          <dt>
            {t('busy')} / K
          </dt>
          <dd data-testid="wp-busy" data-busy-max={latest?.busyMax ?? ''}>
            {latest ? `${latest.busyMax} / ${latest.mode === 'pool' ? latest.workers : '∞'}` : '–'}
          </dd>
        </div>
        <div>
          <dt>
            {t('queued')} / Q
          </dt>
          <dd data-testid="wp-queue-len" data-queue-max={latest?.queueMax ?? ''}>
            {latest ? `${latest.queueMax} / ${latest.mode === 'pool' ? latest.queueCap : '–'}` : '–'}
          </dd>
        </div>
        <div>
          <dt>{t('goroutines')}</dt>
          <dd data-testid="wp-goroutines">{latest?.goroutines ?? '–'}</dd>
        </div>
        <div>
          <dt>{t('connections')}</dt>
          <dd>{latest?.connections ?? '–'}</dd>
        </div>
        <div>
          <dt>
            {t('completed')} / {t('rejected')}
          </dt>
          <dd data-testid="wp-totals" data-completed={latest?.totalCompleted ?? 0} data-rejected={latest?.totalRejected ?? 0}>
            {latest ? `${latest.totalCompleted} / ${latest.totalRejected}` : '–'}
          </dd>
        </div>
      </dl>

      <div ref={boxRef}>
        <canvas
          ref={canvasRef}
          className="wp-chart"
          data-testid="wp-chart"
          data-samples={state.samples.length}
          role="img"
          aria-label={`${t('throughput')}, ${t('latency')}, ${t('occupancy')}`}
        />
      </div>
      <div className="wp-legend">
        <span>
          <i style={{ background: 'var(--wp-done)' }} />
          {t('done')}
        </span>
        <span>
          <i style={{ background: 'var(--wp-rejected)' }} />
          {t('rejectedLegend')}
        </span>
        <span>
          <i style={{ borderTop: '2px dashed var(--wp-capacity)', height: 0 }} />
          {t('capacity')}
        </span>
        <span>
          <i style={{ background: 'var(--wp-p50)' }} />
          p50
        </span>
        <span>
          <i style={{ background: 'var(--wp-p95)' }} />
          p95
        </span>
        <span>
          <i style={{ background: 'var(--wp-queue)' }} />
          {t('queueLegend')}
        </span>
        <span>
          <i style={{ background: 'var(--wp-busy)' }} />
          {t('busyLegend')}
        </span>
      </div>

      {figures && state.load && (
        <p className="wp-run" data-testid="wp-last-run" data-mean={figures.meanPerSec} data-p50={figures.p50Median ?? ''} data-queue-max={figures.queueMax} data-busy-max={figures.busyMax}>
          <strong>{state.running ? t('now') : t('lastRun')}</strong>: N={state.load.connections} · {fmt(figures.meanPerSec, 0)} {t('perSec')} · p50 {fmt(figures.p50Median)} ms · p95 {fmt(figures.p95Median)} ms · {t('busy')} ≤ {figures.busyMax} · {t('queued')} ≤ {figures.queueMax}
          {figures.rejected > 0 && ` · ${t('rejected')} ${figures.rejected}`}
          {state.load.roundTrips !== undefined && ` · ${t('roundTrips')}: ${state.load.roundTrips}${state.load.stoppedEarly ? ` (${t('stoppedEarly')})` : ''}`}
        </p>
      )}
      {state.traceSummarised && <p className="warn-text">{t('summarised')}</p>}
      <p className="muted small">{t('latencyNote')}</p>
      {endpoint && (
        <p className="muted try-it">
          {state.samples.length === 0 ? t('noData') : t('tryIt')} <code data-testid="wp-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}
