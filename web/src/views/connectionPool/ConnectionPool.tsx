// Lesson 19's view: runs of N callers through the fault proxy, dialling per request or through the lab's pool, drawn
// side by side (the last run of each mode): requests/s, handshakes/s counted from the packet capture beside the
// pool's own dials, the pool's open/idle/in-use counts, and what the health check did with the connections the proxy
// reset. Everything shown is measured by the server (observed) or captured off the wire (captured).
import { useMemo, useState } from 'react';
import {
  CONNECTION_POOL_DEMO,
  CONNECTION_POOL_LIMITS,
  PoolModes,
  PoolRunArgs,
  type PoolMode,
} from '@core/protocol/demos/connectionPool';
import type { PoolRunTotals } from '@core/protocol/events/connectionPool';
import { useLabConnection, useText } from '../../app/labContext';
import { CONNECTION_POOL_UI } from '../../i18n/connectionPoolText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { TimeSeriesChart, type ChartPanel, type ChartSeries } from '../common/TimeSeriesChart';
import { useDemoCommand } from '../common/useDemoCommand';
import '../rateLimit/rateLimit.css';
import type { ViewProps } from '../viewRegistry';
import { connectionPoolFold, handshakesAgree, peakWaiting, requestsPerHandshake } from './connectionPoolModel';
import './connectionPool.css';
import { figureText } from '../common/figureText';

type RunForm = ReturnType<typeof PoolRunArgs.parse>;
const DEFAULTS: RunForm = PoolRunArgs.parse({});
const COLOUR: Record<PoolMode, string> = { dial: 'var(--cp-dial)', pool: 'var(--cp-pool)' };
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(v)));

type UiKey = keyof typeof CONNECTION_POOL_UI;
/** The summary's rows: a figure of the run's totals per mode (a column each, so the table stays narrow). */
const SUMMARY_ROWS: [UiKey, (tot: PoolRunTotals, t: (key: UiKey) => string) => string | number][] = [
  ['colRps', (tot) => figureText(tot.requestsPerSec)],
  ['colOk', (tot) => tot.ok],
  ['colFailed', (tot) => tot.failed],
  ['colCaptured', (tot) => (tot.capturedHandshakes ? tot.capturedHandshakes.toProxy : '–')],
  ['colDials', (tot) => tot.counters.dials],
  [
    'colAgree',
    (tot, t) => {
      const agree = handshakesAgree(tot);
      return agree === null ? '–' : agree ? t('yes') : t('no');
    },
  ],
  ['colPerHandshake', (tot) => figureText(requestsPerHandshake(tot), 1)],
  ['colDiscarded', (tot) => tot.counters.discardedUnhealthy],
  ['colDeadFailed', (tot) => tot.failedOnDeadConn],
];

export default function ConnectionPool(_props: ViewProps) {
  const fold = useMemo(() => connectionPoolFold(CONNECTION_POOL_DEMO), []);
  const state = useEventFold(fold, 8);
  const { status } = useLabConnection();
  const t = useText(CONNECTION_POOL_UI);
  const cmd = useDemoCommand(CONNECTION_POOL_DEMO);
  const endpoint = status?.demos.find((d) => d.id === CONNECTION_POOL_DEMO)?.endpoints[0];
  const [form, setForm] = useState<RunForm>(DEFAULTS);
  const [resetAt, setResetAt] = useState('');

  const resetSec = resetAt.trim() === '' ? null : Number(resetAt);
  const resetOk = resetSec === null || (Number.isFinite(resetSec) && resetSec >= 0 && resetSec * 1000 < form.runMs);
  const setTop =
    (key: 'callers' | 'runMs', min: number, max: number, scale = 1) =>
    (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm((f) => ({ ...f, [key]: clamp((Number(e.target.value) || 0) * scale, min, max) }));
  const setPool =
    (key: 'maxOpen' | 'maxIdle' | 'idleTimeoutMs', min: number, max: number) =>
    (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm((f) => ({ ...f, pool: { ...f.pool, [key]: clamp(Number(e.target.value) || 0, min, max) } }));
  const start = () =>
    void cmd.run('run', { ...form, resetIdleAtMs: resetSec === null ? [] : [Math.round(resetSec * 1000)] });

  const series = (pick: (s: RunForm['mode']) => ChartSeries[]) => PoolModes.flatMap(pick);
  const samplesOf = (mode: PoolMode) => state.runs[mode]?.samples ?? [];
  const panels: ChartPanel[] = [
    {
      title: t('requestsPerSec'),
      series: series((mode) =>
        state.runs[mode]
          ? [{ label: t(mode), colour: COLOUR[mode], points: samplesOf(mode).map((s) => [s.atMs / 1000, s.okPerSec]) }]
          : [],
      ),
    },
    {
      title: t('handshakesPerSec'),
      series: series((mode) =>
        state.runs[mode]
          ? [
              {
                label: `${t(mode)} · ${t('handshakesPerSec')}`,
                colour: COLOUR[mode],
                points: samplesOf(mode).map((s) => [s.atMs / 1000, s.handshakesPerSec]),
              },
              {
                label: `${t(mode)} · ${t('dialsPerSec')}`,
                colour: COLOUR[mode],
                dashed: true,
                points: samplesOf(mode).map((s) => [s.atMs / 1000, s.dialsPerSec]),
              },
            ]
          : [],
      ),
    },
  ];
  const longest = Math.max(1, ...PoolModes.map((m) => (state.runs[m]?.args.runMs ?? 0) / 1000));
  // The run going now, or else the last pool run: its newest window.
  const shownRun = state.running ? state.runs[state.running] : state.runs.pool;
  const gauges = shownRun?.samples.at(-1);
  const noCapture = PoolModes.map((m) => state.runs[m]).find((r) => r && !r.capture.capturing);
  const shownModes = PoolModes.flatMap((mode) => {
    const run = state.runs[mode];
    return run?.totals ? [{ mode, run, totals: run.totals }] : [];
  });

  return (
    <section className="panel limits-view" data-testid="connection-pool" data-running={state.running ?? ''}>
      <RunPanelHead
        title={t('title')}
        running={state.running !== null}
        runningDetail={state.running ? t(state.running) : undefined}
        sources={['observed', 'captured']}
        text={{ running: t('running'), idle: t('idle'), run: t('run'), stop: t('stop') }}
        testId="cp"
        onRun={start}
        onStop={() => void cmd.run('stop')}
        runDisabled={cmd.pending || !resetOk}
      />

      <div className="run-controls">
        <label>
          {t('mode')}
          <select
            value={form.mode}
            onChange={(e) => setForm((f) => ({ ...f, mode: e.target.value as PoolMode }))}
            data-testid="cp-mode"
          >
            {PoolModes.map((m) => (
              <option key={m} value={m}>
                {t(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('callers')}
          <input
            type="number"
            min={1}
            max={CONNECTION_POOL_LIMITS.callers}
            value={form.callers}
            onChange={setTop('callers', 1, CONNECTION_POOL_LIMITS.callers)}
            data-testid="cp-callers"
          />
        </label>
        <label>
          {t('runSeconds')}
          <input
            type="number"
            min={1}
            max={CONNECTION_POOL_LIMITS.runMs / 1000}
            value={form.runMs / 1000}
            onChange={setTop('runMs', 1000, CONNECTION_POOL_LIMITS.runMs, 1000)}
            data-testid="cp-run-seconds"
          />
        </label>
        <label>
          {t('resetAt')}
          <input
            type="number"
            min={0}
            step={0.5}
            value={resetAt}
            onChange={(e) => setResetAt(e.target.value)}
            aria-invalid={!resetOk}
            data-testid="cp-reset-at"
          />
        </label>
      </div>
      <div className="run-controls">
        <label>
          {t('maxOpen')}
          <input
            type="number"
            min={1}
            max={CONNECTION_POOL_LIMITS.maxOpen}
            value={form.pool.maxOpen}
            onChange={setPool('maxOpen', 1, CONNECTION_POOL_LIMITS.maxOpen)}
            disabled={form.mode === 'dial'}
            data-testid="cp-max-open"
          />
        </label>
        <label>
          {t('maxIdle')}
          <input
            type="number"
            min={0}
            max={CONNECTION_POOL_LIMITS.maxOpen}
            value={form.pool.maxIdle}
            onChange={setPool('maxIdle', 0, CONNECTION_POOL_LIMITS.maxOpen)}
            disabled={form.mode === 'dial'}
            data-testid="cp-max-idle"
          />
        </label>
        <label>
          {t('idleTimeout')}
          <input
            type="number"
            min={0}
            max={CONNECTION_POOL_LIMITS.idleTimeoutMs}
            value={form.pool.idleTimeoutMs}
            onChange={setPool('idleTimeoutMs', 0, CONNECTION_POOL_LIMITS.idleTimeoutMs)}
            disabled={form.mode === 'dial'}
            data-testid="cp-idle-timeout"
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={form.pool.healthCheck}
            onChange={(e) => setForm((f) => ({ ...f, pool: { ...f.pool, healthCheck: e.target.checked } }))}
            disabled={form.mode === 'dial'}
            data-testid="cp-health-check"
          />
          {t('healthCheck')}
        </label>
      </div>
      {cmd.error && (
        <p className="error" role="alert">
          {cmd.error}
        </p>
      )}

      {gauges && (
        <dl className="run-figures" data-testid="cp-gauges" aria-label={t('gauges')}>
          <div>
            <dt>{t('open')}</dt>
            <dd data-testid="cp-open">{gauges.open}</dd>
          </div>
          <div>
            <dt>{t('idleConns')}</dt>
            <dd data-testid="cp-idle">{gauges.idle}</dd>
          </div>
          <div>
            <dt>{t('inUse')}</dt>
            <dd data-testid="cp-in-use">{gauges.inUse}</dd>
          </div>
          <div>
            <dt>{t('waiting')}</dt>
            <dd>{gauges.waiting}</dd>
          </div>
          <div>
            <dt>{t('peakWaiting')}</dt>
            <dd data-testid="cp-peak-waiting">{peakWaiting(shownRun)}</dd>
          </div>
        </dl>
      )}

      <TimeSeriesChart
        panels={panels}
        t0={0}
        t1={longest}
        label={t('chartLabel')}
        axisLabel={t('seconds')}
        testId="cp-chart"
      />

      {noCapture && (
        <p className="muted" data-testid="cp-no-capture">
          {t('noCapture')} {noCapture.capture.error?.detail ?? ''}{' '}
          {noCapture.capture.enableCommand && <code>{noCapture.capture.enableCommand}</code>}
        </p>
      )}

      {shownModes.length > 0 && (
        <table className="lv-table" data-testid="cp-summary">
          <caption>{t('summary')}</caption>
          <thead>
            <tr>
              <td />
              {shownModes.map(({ mode, run, totals: tot }) => (
                <th
                  key={mode}
                  scope="col"
                  data-mode={mode}
                  data-rps={Math.round(tot.requestsPerSec)}
                  data-handshakes={tot.capturedHandshakes?.toProxy ?? ''}
                  data-dials={tot.counters.dials}
                  data-ok={tot.ok}
                  data-failed={tot.failed}
                  data-discarded={tot.counters.discardedUnhealthy}
                  data-dead-failed={tot.failedOnDeadConn}
                >
                  {t(mode)} {run.stoppedEarly ? t('stoppedEarly') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SUMMARY_ROWS.map(([key, cell]) => (
              <tr key={key}>
                <th scope="row">{t(key)}</th>
                {shownModes.map(({ mode, totals: tot }) => (
                  <td key={mode}>{cell(tot, t)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {(state.runs.pool?.resets.length ?? 0) > 0 && (
        <p className="muted" data-testid="cp-resets">
          {t('resets')}:{' '}
          {state.runs
            .pool!.resets.map((r) =>
              t('resetLine')
                .replace('{s}', (r.atMs / 1000).toFixed(1))
                .replace('{n}', String(r.connections)),
            )
            .join('; ')}
        </p>
      )}

      {endpoint && (
        <p className="muted try-it">
          {t('tryIt')} <code data-testid="cp-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}
