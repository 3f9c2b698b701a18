// Lesson 15's view: N real clients lose their server and reconnect under each policy (no backoff, capped
// exponential, backoff + full jitter); an SVG chart of attempts per 100 ms, one row per policy, and a table of each
// policy's attempts, peak and time to recover (the chart's accessible summary).
import { memo, useMemo, useState } from 'react';
import { BackoffPolicies, type BackoffPolicy } from '@core/backoff/backoffPolicy';
import { RECONNECT_STORM_DEMO, ReconnectStormRunArgs } from '@core/protocol/demos/reconnectStorm';
import { useLabConnection, useText } from '../../app/labContext';
import { RECONNECT_STORM_UI } from '../../i18n/reconnectStormText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { ChoiceBoxes } from '../common/ChoiceBoxes';
import { NumberKnobs } from '../common/NumberKnob';
import { fieldLimits, schemaDefaults } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import { useElementWidth } from '../common/useElementWidth';
import type { ViewProps } from '../viewRegistry';
import { chartScale, reconnectStormFold, type PolicySeries, type StormState } from './reconnectStormModel';
import './reconnectStorm.css';

const DEFAULTS = schemaDefaults(ReconnectStormRunArgs);
const LIMITS = fieldLimits(ReconnectStormRunArgs, ['clients', 'downMs', 'baseMs', 'capMs']);
type Knob = keyof typeof LIMITS;
const KNOBS: readonly Knob[] = ['clients', 'downMs', 'baseMs', 'capMs'];

const LEFT = 52;
const RIGHT = 8;
const ROW_H = 64;
const ROW_GAP = 26;
const TOP = 18;

const fmtInt = (n: number) => Math.round(n).toLocaleString();

export default function ReconnectStorm({ demos }: ViewProps) {
  const demo = demos.includes(RECONNECT_STORM_DEMO) ? RECONNECT_STORM_DEMO : (demos[0] ?? RECONNECT_STORM_DEMO);
  const fold = useMemo(() => reconnectStormFold(demo), [demo]);
  const state = useEventFold(fold, 20);
  const t = useText(RECONNECT_STORM_UI);
  const { status } = useLabConnection();
  const storm = useDemoCommand(RECONNECT_STORM_DEMO);
  const [form, setForm] = useState<Record<Knob, number>>({
    clients: DEFAULTS.clients,
    downMs: DEFAULTS.downMs,
    baseMs: DEFAULTS.baseMs,
    capMs: DEFAULTS.capMs,
  });
  const [chosen, setChosen] = useState<readonly BackoffPolicy[]>(DEFAULTS.policies);
  const [boxRef, width] = useElementWidth(280, 560);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  const run = () =>
    storm.run('run', {
      ...form,
      baseMs: Math.min(form.baseMs, form.capMs),
      policies: BackoffPolicies.filter((p) => chosen.includes(p)),
    });

  return (
    <section
      className="panel reconnect-storm"
      data-testid="reconnect-storm"
      data-running={state.running ? 'true' : 'false'}
      data-policies-done={state.policies.filter((p) => p.result).length}
    >
      <RunPanelHead
        title={t('title')}
        running={state.running}
        text={{ running: t('running'), idle: t('idle'), run: t('run'), stop: t('stop') }}
        testId="storm"
        onRun={() => void run()}
        onStop={() => void storm.run('stop')}
        runDisabled={storm.pending}
      />

      <div className="run-controls">
        <NumberKnobs
          knobs={KNOBS}
          limits={LIMITS}
          values={form}
          onChange={setForm}
          label={(k) => t(k)}
          testId="storm"
        />
        <ChoiceBoxes
          legend={t('policies')}
          all={BackoffPolicies}
          chosen={chosen}
          onChange={setChosen}
          label={(c) => t(c)}
          testId="storm-policy"
        />
      </div>

      {storm.error && (
        <p className="error" role="alert">
          {storm.error}
        </p>
      )}

      <div ref={boxRef}>
        {state.args ? (
          <StormChart state={state} width={width} t={t} />
        ) : (
          <p className="muted" data-testid="storm-empty">
            {t('noRun')}
          </p>
        )}
      </div>

      {state.policies.length > 0 && <StormTable state={state} version={state.version} t={t} />}
      <p className="muted small">{t('recoverNote')}</p>
      {endpoint && (
        <p className="muted try-it">
          <code data-testid="storm-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}

type Text = (key: keyof typeof RECONNECT_STORM_UI) => string;

function StormChart({ state, width, t }: { state: StormState; width: number; t: Text }) {
  const sc = chartScale(state);
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const bw = plotW / sc.buckets;
  const height = TOP + state.policies.length * (ROW_H + ROW_GAP) + 8;
  const clients = state.args?.clients ?? 1;
  return (
    <svg
      className="run-chart"
      width={width}
      height={height}
      role="img"
      aria-label={t('chartLabel')}
      data-testid="storm-chart"
    >
      {state.policies.map((p, row) => (
        <StormRow
          key={p.policy}
          series={p}
          version={p.version}
          y0={TOP + row * (ROW_H + ROW_GAP)}
          plotW={plotW}
          bw={bw}
          max={sc.yMax.get(p.policy) ?? clients}
          clients={clients}
          bucketMs={state.bucketMs}
          t={t}
        />
      ))}
      <SecondTicks buckets={sc.buckets} bucketMs={state.bucketMs} bw={bw} y={height - 2} />
    </svg>
  );
}

interface RowProps {
  series: PolicySeries;
  /** The series mutates in place: its version is what tells memo it changed. */
  version: number;
  y0: number;
  plotW: number;
  bw: number;
  max: number;
  clients: number;
  bucketMs: number;
  t: Text;
}

/** One policy's row; memoised, so while one policy runs the rows of those already done are not drawn again. */
const StormRow = memo(function StormRow({ series: p, y0, plotW, bw, max, clients, bucketMs, t }: RowProps) {
  const nY = y0 + ROW_H * (1 - clients / max);
  const upX = p.upAtMs === null ? null : LEFT + (p.upAtMs / bucketMs) * bw;
  return (
    <g data-testid={`storm-row-${p.policy}`} data-buckets={p.attempts.length}>
      <text className="row-title" x={LEFT} y={y0 - 5}>
        {t(p.policy)} · {t('attemptsLegend')}
      </text>
      <line className="grid" x1={LEFT} x2={LEFT + plotW} y1={y0 + ROW_H + 0.5} y2={y0 + ROW_H + 0.5} />
      <text x={LEFT - 4} y={y0 + 9} textAnchor="end">
        {fmtInt(max)}
      </text>
      <text x={LEFT - 4} y={y0 + ROW_H} textAnchor="end">
        0
      </text>
      <Bars series={p} x0={LEFT} y0={y0} bw={bw} max={max} />
      <line className="marker" x1={LEFT} x2={LEFT + plotW} y1={nY} y2={nY}>
        <title>{t('allAtOnce')}</title>
      </line>
      <line className="marker" x1={LEFT} x2={LEFT} y1={y0} y2={y0 + ROW_H} />
      {upX !== null && (
        <>
          <line className="marker" x1={upX} x2={upX} y1={y0} y2={y0 + ROW_H} />
          <text x={upX + 3} y={y0 + 10}>
            {t('up')}
          </text>
        </>
      )}
      <text x={LEFT + 3} y={y0 + 10}>
        {t('down')}
      </text>
    </g>
  );
});

/** Seconds along the x axis, about eight of them whatever the length. */
const SecondTicks = memo(function SecondTicks(props: { buckets: number; bucketMs: number; bw: number; y: number }) {
  const { buckets, bucketMs, bw, y } = props;
  const every = Math.max(1, Math.ceil((buckets * bucketMs) / 1000 / 8));
  const ticks: number[] = [];
  for (let s = 0; s * 1000 <= buckets * bucketMs; s += every) ticks.push(s);
  return (
    <>
      {ticks.map((s) => (
        <text key={s} x={LEFT + ((s * 1000) / bucketMs) * bw} y={y} textAnchor="middle">
          {s} s
        </text>
      ))}
    </>
  );
});

/** One row's bars as a single path: a few hundred buckets stay one DOM node. */
function Bars({ series, x0, y0, bw, max }: { series: PolicySeries; x0: number; y0: number; bw: number; max: number }) {
  let d = '';
  const w = Math.max(0.5, bw - (bw > 3 ? 1 : 0));
  series.attempts.forEach((n, i) => {
    if (n <= 0) return;
    const h = Math.max(1, (Math.min(n, max) / max) * ROW_H);
    d += `M${(x0 + i * bw).toFixed(1)} ${(y0 + ROW_H).toFixed(1)}h${w.toFixed(1)}v${(-h).toFixed(1)}h${(-w).toFixed(1)}z`;
  });
  return <path className={`bar-${series.policy}`} d={d} />;
}

/** The table; memoised on the fold's version (the state mutates in place). */
const StormTable = memo(function StormTable({ state, t }: { state: StormState; version: number; t: Text }) {
  return (
    <table className="run-table" data-testid="storm-table">
      <caption className="visually-hidden">{t('chartLabel')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('policy')}</th>
          <th scope="col">{t('attempts')}</th>
          <th scope="col">{t('refused')}</th>
          <th scope="col">{t('peak')}</th>
          <th scope="col">{t('recover')}</th>
          <th scope="col">{t('back')}</th>
        </tr>
      </thead>
      <tbody>
        {state.policies.map((p) => {
          const r = p.result;
          const attempts = r?.attempts ?? p.attempts.reduce((a, b) => a + b, 0);
          return (
            <tr
              key={p.policy}
              data-testid={`storm-result-${p.policy}`}
              data-attempts={attempts}
              data-peak={r?.peakPerBucket ?? ''}
              data-recover-ms={r?.recoverMs ?? ''}
              data-done={r ? 'true' : 'false'}
            >
              <th scope="row">
                <span className="swatch" style={{ background: `var(--storm-${p.policy})` }} />
                {t(p.policy)}
              </th>
              <td className="num">{fmtInt(attempts)}</td>
              <td className="num">{r ? fmtInt(r.failed) : '…'}</td>
              <td className="num">{r ? fmtInt(r.peakPerBucket) : fmtInt(p.peak)}</td>
              <td className="num">
                {r ? (r.recoverMs === null ? t('notRecovered') : `${fmtInt(r.recoverMs)} ms`) : '…'}
              </td>
              <td className="num">
                {r ? `${r.connected} / ${r.clients}` : '…'}
                {r?.capped && ` (${t('capped')})`}
              </td>
            </tr>
          );
        })}
      </tbody>
      {state.stoppedEarly && (
        <tfoot>
          <tr>
            <td colSpan={6}>{t('stoppedEarly')}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
});
