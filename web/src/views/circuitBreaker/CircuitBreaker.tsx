// Lesson 18's view: run callers against an upstream that fails and recovers on a script, once directly and once
// through the lab's circuit breaker, at the same rate. The breaker's state machine is drawn from its own events
// (a diagram with counts, bands on the chart, a table of transitions) beside callers waiting and p95 latency on each
// path. Everything shown is measured by the server (source: observed).
import { useMemo, useState } from 'react';
import {
  BreakerRunArgs,
  CIRCUIT_BREAKER_DEMO,
  CIRCUIT_BREAKER_LIMITS,
  MAX_WAITING_PER_PATH,
  UpstreamModes,
  type UpstreamMode,
} from '@core/protocol/demos/circuitBreaker';
import type { BreakerState } from '@core/limits/circuitBreaker';
import { useLabConnection, useText } from '../../app/labContext';
import { CIRCUIT_BREAKER_UI } from '../../i18n/circuitBreakerText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { TimeSeriesChart, type ChartPanel } from '../common/TimeSeriesChart';
import { useDemoCommand } from '../common/useDemoCommand';
import '../rateLimit/rateLimit.css';
import type { ViewProps } from '../viewRegistry';
import { BreakerStateDiagram } from './BreakerStateDiagram';
import { circuitBreakerFold, edgeCounts, pathPeaks, stateBands } from './circuitBreakerModel';
import './circuitBreaker.css';
import { figureText } from '../common/figureText';

type RunForm = ReturnType<typeof BreakerRunArgs.parse>;
const DEFAULTS: RunForm = BreakerRunArgs.parse({});
const BAND_COLOUR: Record<BreakerState, string | null> = {
  closed: null,
  open: 'var(--cb-open)',
  'half-open': 'var(--cb-half-open)',
};

export default function CircuitBreaker(_props: ViewProps) {
  const fold = useMemo(() => circuitBreakerFold(CIRCUIT_BREAKER_DEMO), []);
  const state = useEventFold(fold, 8);
  const { status } = useLabConnection();
  const t = useText(CIRCUIT_BREAKER_UI);
  const cmd = useDemoCommand(CIRCUIT_BREAKER_DEMO);
  const endpoint = status?.demos.find((d) => d.id === CIRCUIT_BREAKER_DEMO)?.endpoints[0];
  const [form, setForm] = useState<RunForm>(DEFAULTS);
  const [upstreamDraft, setUpstreamDraft] = useState<UpstreamMode>('healthy');

  const rateOk =
    (form.ratePerSec * form.callTimeoutMs) / 1000 <= MAX_WAITING_PER_PATH && form.faultAtMs <= form.recoverAtMs;
  const setNum = (key: 'ratePerSec' | 'callTimeoutMs', max: number) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [key]: Math.min(max, Math.max(1, Number(e.target.value) || 1)) }));
  const setSec = (key: 'faultAtMs' | 'recoverAtMs' | 'runMs') => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [key]: Math.round(Math.min(60, Math.max(0, Number(e.target.value) || 0)) * 1000) }));
  const setBreaker = (key: keyof RunForm['breaker'], max: number) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({
      ...f,
      breaker: { ...f.breaker, [key]: Math.min(max, Math.max(1, Math.round(Number(e.target.value) || 1))) },
    }));

  const run = state.run;
  const t0 = run?.startedAt ?? 0;
  const tEnd = run ? Math.max(run.startedAt + run.args.runMs, state.samples.at(-1)?.t ?? 0) : 1;
  const sec = (ms: number) => (ms - t0) / 1000;
  const lastT = run?.endedAt ?? state.samples.at(-1)?.t ?? t0;
  const bands = stateBands(state.transitions, t0, lastT)
    .filter((b) => BAND_COLOUR[b.state])
    .map((b) => ({ from: sec(b.from), to: sec(b.to), colour: BAND_COLOUR[b.state]!, label: t(b.state) }));
  const panels: ChartPanel[] = [
    {
      title: t('waiting'),
      bands,
      series: [
        {
          label: `${t('waiting')} · ${t('direct')}`,
          colour: 'var(--cb-direct)',
          points: state.samples.map((s) => [sec(s.t), s.direct.waitingMax]),
        },
        {
          label: `${t('waiting')} · ${t('viaBreaker')}`,
          colour: 'var(--cb-breaker)',
          points: state.samples.map((s) => [sec(s.t), s.breaker.waitingMax]),
        },
      ],
    },
    {
      title: t('latency'),
      bands,
      series: [
        {
          label: `p95 · ${t('direct')}`,
          colour: 'var(--cb-direct)',
          dashed: true,
          points: state.samples.map((s) => [sec(s.t), s.direct.p95Ms]),
        },
        {
          label: `p95 · ${t('viaBreaker')}`,
          colour: 'var(--cb-breaker)',
          dashed: true,
          points: state.samples.map((s) => [sec(s.t), s.breaker.p95Ms]),
        },
      ],
    },
  ];
  const current: BreakerState = state.transitions.at(-1)?.to ?? 'closed';
  const liveState: BreakerState = state.running ? (state.samples.at(-1)?.state ?? current) : current;
  const counts = edgeCounts(state.transitions);
  const peaks = pathPeaks(state.samples);
  const names = { closed: t('closed'), open: t('open'), 'half-open': t('half-open') };

  return (
    <section
      className="panel limits-view"
      data-testid="circuit-breaker"
      data-running={state.running ? 'true' : 'false'}
      data-samples={state.samples.length}
    >
      <RunPanelHead
        title={t('title')}
        running={state.running}
        text={{ running: t('running'), idle: t('idle'), run: t('run'), stop: t('stop') }}
        testId="cb"
        onRun={() => void cmd.run('run', form)}
        onStop={() => void cmd.run('stop')}
        runDisabled={cmd.pending || !rateOk}
      />

      <div className="run-controls">
        <label>
          {t('fault')}
          <select
            value={form.fault}
            onChange={(e) => setForm((f) => ({ ...f, fault: e.target.value as RunForm['fault'] }))}
            data-testid="cb-fault"
          >
            {(['stalled', 'failing', 'down'] as const).map((m) => (
              <option key={m} value={m}>
                {t(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('faultAt')}
          <input
            type="number"
            min={0}
            max={60}
            step={0.5}
            value={form.faultAtMs / 1000}
            onChange={setSec('faultAtMs')}
            data-testid="cb-fault-at"
          />
        </label>
        <label>
          {t('recoverAt')}
          <input
            type="number"
            min={0}
            max={60}
            step={0.5}
            value={form.recoverAtMs / 1000}
            onChange={setSec('recoverAtMs')}
            data-testid="cb-recover-at"
          />
        </label>
        <label>
          {t('runSeconds')}
          <input
            type="number"
            min={1}
            max={60}
            value={form.runMs / 1000}
            onChange={setSec('runMs')}
            data-testid="cb-run-seconds"
          />
        </label>
        <label>
          {t('rate')}
          <input
            type="number"
            min={1}
            max={CIRCUIT_BREAKER_LIMITS.ratePerSec}
            value={form.ratePerSec}
            onChange={setNum('ratePerSec', CIRCUIT_BREAKER_LIMITS.ratePerSec)}
            data-testid="cb-rate"
          />
        </label>
        <label>
          {t('callTimeout')}
          <input
            type="number"
            min={50}
            max={CIRCUIT_BREAKER_LIMITS.callTimeoutMs}
            value={form.callTimeoutMs}
            onChange={setNum('callTimeoutMs', CIRCUIT_BREAKER_LIMITS.callTimeoutMs)}
            data-testid="cb-timeout"
          />
        </label>
      </div>
      <div className="run-controls">
        <label>
          {t('threshold')}
          <input
            type="number"
            min={1}
            max={CIRCUIT_BREAKER_LIMITS.failureThreshold}
            value={form.breaker.failureThreshold}
            onChange={setBreaker('failureThreshold', CIRCUIT_BREAKER_LIMITS.failureThreshold)}
            data-testid="cb-threshold"
          />
        </label>
        <label>
          {t('windowMs')}
          <input
            type="number"
            min={100}
            max={CIRCUIT_BREAKER_LIMITS.windowMs}
            value={form.breaker.windowMs}
            onChange={setBreaker('windowMs', CIRCUIT_BREAKER_LIMITS.windowMs)}
            data-testid="cb-window"
          />
        </label>
        <label>
          {t('openMs')}
          <input
            type="number"
            min={100}
            max={CIRCUIT_BREAKER_LIMITS.openMs}
            value={form.breaker.openMs}
            onChange={setBreaker('openMs', CIRCUIT_BREAKER_LIMITS.openMs)}
            data-testid="cb-open-ms"
          />
        </label>
        <label>
          {t('probes')}
          <input
            type="number"
            min={1}
            max={CIRCUIT_BREAKER_LIMITS.halfOpenProbes}
            value={form.breaker.halfOpenProbes}
            onChange={setBreaker('halfOpenProbes', CIRCUIT_BREAKER_LIMITS.halfOpenProbes)}
            data-testid="cb-probes"
          />
        </label>
        <label>
          {t('upstream')}
          <select
            value={upstreamDraft}
            onChange={(e) => setUpstreamDraft(e.target.value as UpstreamMode)}
            disabled={state.running}
            data-testid="cb-upstream-mode"
          >
            {UpstreamModes.map((m) => (
              <option key={m} value={m}>
                {t(m)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void cmd.run('setUpstream', { mode: upstreamDraft })}
          disabled={cmd.pending || state.running}
          data-testid="cb-set-upstream"
        >
          ✓<span className="visually-hidden">{t('upstream')}</span>
        </button>
        <span data-testid="cb-upstream" data-mode={state.upstream?.mode ?? ''}>
          {state.upstream ? t(state.upstream.mode) : '–'}
        </span>
      </div>
      {cmd.error && (
        <p className="error" role="alert">
          {cmd.error}
        </p>
      )}

      <BreakerStateDiagram current={liveState} counts={counts} label={t('diagram')} names={names} />

      <TimeSeriesChart
        panels={panels}
        t0={0}
        t1={Math.max(1, sec(tEnd))}
        label={t('chartLabel')}
        axisLabel={t('seconds')}
        testId="cb-chart"
      />

      {state.transitions.length > 0 && (
        <table className="lv-table" data-testid="cb-transitions">
          <caption>{t('transitions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colTime')}</th>
              <th scope="col">{t('colChange')}</th>
              <th scope="col">{t('colReason')}</th>
            </tr>
          </thead>
          <tbody>
            {state.transitions.slice(-12).map((tr) => (
              <tr key={`${tr.t}-${tr.to}`} data-to={tr.to}>
                <td>{sec(tr.t).toFixed(2)}</td>
                <td>
                  {names[tr.from]} → {names[tr.to]}
                </td>
                <td>
                  {t(tr.reason as 'failures')}
                  {tr.reason === 'failures' ? `: ${tr.count}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {run?.totals && (
        <table className="lv-table" data-testid="cb-summary">
          <caption>{t('summary')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colPath')}</th>
              <th scope="col">{t('colOk')}</th>
              <th scope="col">{t('colFailed')}</th>
              <th scope="col">{t('colFast')}</th>
              <th scope="col">{t('colWaiting')}</th>
              <th scope="col">{t('colP95')}</th>
            </tr>
          </thead>
          <tbody>
            {(['direct', 'breaker'] as const).map((p) => (
              <tr
                key={p}
                data-path={p}
                data-max-waiting={run.totals![p].maxWaiting}
                data-fast-failed={run.totals![p].fastFailed}
              >
                <th scope="row">{p === 'direct' ? t('direct') : t('viaBreaker')}</th>
                <td>{run.totals![p].ok}</td>
                <td>{run.totals![p].failed}</td>
                <td>{run.totals![p].fastFailed}</td>
                <td>{run.totals![p].maxWaiting}</td>
                <td>{figureText(peaks[p].p95Max)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {endpoint && (
        <p className="muted try-it">
          {t('tryIt')} <code data-testid="cb-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}
