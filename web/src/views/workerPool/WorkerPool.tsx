// Lesson 9's view: set the pool (K workers, queue Q, work per request, wait or reject when full, or unbounded),
// run the lab's load generator with N real clients for a bounded time, and watch throughput, latency and queue
// occupancy on a canvas chart, with the current figures and those of the last run. Re-renders a few times a second.
import { useEffect, useMemo, useRef, useState } from 'react';
import { WORKER_POOL_DEMO, type WorkerPoolConfig } from '@core/protocol/demos/workerPool';
import { useLab, useLabConnection, useText } from '../../app/labContext';
import { WORKER_POOL_UI } from '../../i18n/workerPoolText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { NumberKnob } from '../common/NumberKnob';
import { readPalette, type BasePalette, type PaletteSpec } from '../common/themePalette';
import { useDemoCommand } from '../common/useDemoCommand';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, LOAD_DEFAULTS, LOAD_LIMITS, loadArgs } from './workerPoolKnobs';
import type { ViewProps } from '../viewRegistry';
import { CHART_HEIGHT, drawPoolChart, type ChartPalette } from './workerPoolChart';
import { capacityPerSec, chartScales, runFigures, workerPoolFold } from './workerPoolModel';
import './workerPool.css';
import { useElementWidth } from '../common/useElementWidth';

const CHART_COLOURS = {
  done: ['--wp-done', '#3fb950'],
  rejected: ['--wp-rejected', '#f85149'],
  p50: ['--wp-p50', '#58a6ff'],
  p95: ['--wp-p95', '#d29922'],
  queue: ['--wp-queue', '#a371f7'],
  busy: ['--wp-busy', '#00add8'],
  capacity: ['--wp-capacity', '#8b98a8'],
} as const satisfies PaletteSpec<Exclude<keyof ChartPalette, keyof BasePalette>>;

const fmt = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '–' : v >= 100 ? Math.round(v).toString() : v.toFixed(digits);

function sameConfig(a: WorkerPoolConfig | null, b: WorkerPoolConfig): boolean {
  return a !== null && (Object.keys(b) as (keyof WorkerPoolConfig)[]).every((k) => a[k] === b[k]);
}

export default function WorkerPool({ demos }: ViewProps) {
  const demo = demos.includes(WORKER_POOL_DEMO) ? WORKER_POOL_DEMO : (demos[0] ?? WORKER_POOL_DEMO);
  const fold = useMemo(() => workerPoolFold(demo), [demo]);
  const state = useEventFold(fold, 8);
  const { language } = useLab();
  const { status } = useLabConnection();
  const t = useText(WORKER_POOL_UI);
  const [draft, setDraft] = useState<WorkerPoolConfig>(CONFIG_DEFAULTS);
  /** The load run: clients, seconds, and requests per second per client (0: as fast as replies come). */
  const [loadForm, setLoadForm] = useState(LOAD_DEFAULTS);
  const pool = useDemoCommand(WORKER_POOL_DEMO);
  const busy = pool.pending;
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  // The form follows the server's configuration when another browser (or the first load) sets it.
  const serverConfig = state.config;
  const [seenConfig, setSeenConfig] = useState(serverConfig);
  if (serverConfig !== seenConfig) {
    setSeenConfig(serverConfig);
    if (serverConfig) setDraft(serverConfig);
  }

  const configure = () => pool.run('configure', { ...draft });
  const startLoad = async () => {
    // Reconfiguring restarts the pool and clears the chart: only when the settings changed, so runs with
    // different N on the same pool sit side by side.
    if (!sameConfig(state.config, draft) && !(await configure())) return;
    await pool.run('load', loadArgs(loadForm));
  };
  const stopLoad = () => pool.run('stopLoad');
  const setLoad = (key: keyof typeof LOAD_DEFAULTS) => (value: number) => setLoadForm((f) => ({ ...f, [key]: value }));

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
      drawPoolChart(ctx, width, state.samples, scales, readPalette(canvas, CHART_COLOURS), {
        throughput: t('throughput'),
        latency: t('latency'),
        occupancy: t('occupancy'),
      });
    });
    return () => cancelAnimationFrame(frame);
    // state.version changes whenever a sample arrives (the fold mutates in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.version, width, themeTick, language]);

  const latest = state.latest;
  const figures = runFigures(state.samples, state.load?.startedAt);
  const capacity = state.config ? capacityPerSec(state.config, state.load?.connections ?? null) : null;
  const isPool = draft.mode === 'pool';
  const set = <K extends keyof WorkerPoolConfig>(key: K, value: WorkerPoolConfig[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  return (
    <section
      className="panel worker-pool"
      data-testid="worker-pool"
      data-running={state.running ? 'true' : 'false'}
      data-samples={state.samples.length}
    >
      <RunPanelHead
        title={t('title')}
        running={state.running}
        text={{ running: t('running'), idle: t('idle'), run: t('runLoad'), stop: t('stopLoad') }}
        testId="wp"
        onRun={() => void startLoad()}
        onStop={() => void stopLoad()}
        runDisabled={busy}
      />

      <div className="run-controls">
        <label>
          {t('mode')}
          <select
            value={draft.mode}
            onChange={(e) => set('mode', e.target.value as WorkerPoolConfig['mode'])}
            data-testid="wp-mode"
          >
            <option value="pool">{t('modePool')}</option>
            <option value="unbounded">{t('modeUnbounded')}</option>
          </select>
        </label>
        <NumberKnob
          label={t('workers')}
          limits={CONFIG_LIMITS.workers}
          value={draft.workers}
          disabled={!isPool}
          onChange={(v) => set('workers', v)}
          testId="wp-workers"
        />
        <NumberKnob
          label={t('queue')}
          limits={CONFIG_LIMITS.queue}
          value={draft.queue}
          disabled={!isPool}
          onChange={(v) => set('queue', v)}
          testId="wp-queue"
        />
        <label>
          {t('whenFull')}
          <select
            value={draft.whenFull}
            disabled={!isPool}
            onChange={(e) => set('whenFull', e.target.value as WorkerPoolConfig['whenFull'])}
            data-testid="wp-when-full"
          >
            <option value="wait">{t('fullWait')}</option>
            <option value="reject">{t('fullReject')}</option>
          </select>
        </label>
        <NumberKnob
          label={t('workMs')}
          limits={CONFIG_LIMITS.workMs}
          value={draft.workMs}
          onChange={(v) => set('workMs', v)}
          testId="wp-work"
        />
        <label>
          {t('workKind')}
          <select
            value={draft.work}
            onChange={(e) => set('work', e.target.value as WorkerPoolConfig['work'])}
            data-testid="wp-work-kind"
          >
            <option value="sleep">{t('workSleep')}</option>
            <option value="cpu">{t('workCpu')}</option>
          </select>
        </label>
        <NumberKnob
          label={t('clients')}
          limits={LOAD_LIMITS.connections}
          value={loadForm.connections}
          onChange={setLoad('connections')}
          testId="wp-clients"
        />
        <NumberKnob
          label={t('seconds')}
          limits={LOAD_LIMITS.seconds}
          value={loadForm.seconds}
          onChange={setLoad('seconds')}
          testId="wp-seconds"
        />
        <NumberKnob
          label={t('rate')}
          limits={LOAD_LIMITS.rate}
          value={loadForm.rate}
          title={t('rateHint')}
          onChange={setLoad('rate')}
          testId="wp-rate"
        />
        <button
          type="button"
          onClick={() => void configure()}
          disabled={busy || state.running}
          data-testid="wp-apply"
          title={t('reconfigureNote')}
        >
          {t('apply')}
        </button>
      </div>

      {pool.error && (
        <p className="error" role="alert">
          {pool.error}
        </p>
      )}

      <dl className="run-figures" data-testid="wp-figures">
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
          <dt>{t('busy')} / K</dt>
          <dd data-testid="wp-busy" data-busy-max={latest?.busyMax ?? ''}>
            {latest ? `${latest.busyMax} / ${latest.mode === 'pool' ? latest.workers : '∞'}` : '–'}
          </dd>
        </div>
        <div>
          <dt>{t('queued')} / Q</dt>
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
          <dd
            data-testid="wp-totals"
            data-completed={latest?.totalCompleted ?? 0}
            data-rejected={latest?.totalRejected ?? 0}
          >
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
        <p
          className="wp-run"
          data-testid="wp-last-run"
          data-mean={figures.meanPerSec}
          data-p50={figures.p50Median ?? ''}
          data-queue-max={figures.queueMax}
          data-busy-max={figures.busyMax}
        >
          <strong>{state.running ? t('now') : t('lastRun')}</strong>: N={state.load.connections} ·{' '}
          {fmt(figures.meanPerSec, 0)} {t('perSec')} · p50 {fmt(figures.p50Median)} ms · p95 {fmt(figures.p95Median)} ms
          · {t('busy')} ≤ {figures.busyMax} · {t('queued')} ≤ {figures.queueMax}
          {figures.rejected > 0 && ` · ${t('rejected')} ${figures.rejected}`}
          {state.load.roundTrips !== undefined &&
            ` · ${t('roundTrips')}: ${state.load.roundTrips}${state.load.stoppedEarly ? ` (${t('stoppedEarly')})` : ''}`}
        </p>
      )}
      {state.traceSummarised && <p className="warn-text">{t('summarised')}</p>}
      <p className="muted small">{t('latencyNote')}</p>
      {endpoint && (
        <p className="muted try-it">
          {state.samples.length === 0 ? t('noData') : t('tryIt')}{' '}
          <code data-testid="wp-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}
