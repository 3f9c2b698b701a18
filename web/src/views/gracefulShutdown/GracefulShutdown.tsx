// Lesson 16's view: a request server under load from the lab's load generator is shut down hard and gracefully in
// turn; an SVG chart of its requests in flight over time (one row per shutdown, the shutdown marked) and a table of
// what each lost, counted by the server and by the clients (the chart's accessible summary).
import { useMemo, useState } from 'react';
import {
  GRACEFUL_SHUTDOWN_DEMO,
  ShutdownModes,
  ShutdownRunArgs,
  type ShutdownMode,
} from '@core/protocol/demos/gracefulShutdown';
import { useLabConnection, useText } from '../../app/labContext';
import { GRACEFUL_SHUTDOWN_UI } from '../../i18n/gracefulShutdownText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { ChoiceBoxes } from '../common/ChoiceBoxes';
import { NumberKnobs } from '../common/NumberKnob';
import { fieldLimits, schemaDefaults } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import { useElementWidth } from '../common/useElementWidth';
import type { ViewProps } from '../viewRegistry';
import { gracefulShutdownFold, shutdownScale, type ShutdownState } from './gracefulShutdownModel';
import './gracefulShutdown.css';

const DEFAULTS = schemaDefaults(ShutdownRunArgs);
const LIMITS = fieldLimits(ShutdownRunArgs, ['clients', 'workMs', 'loadMs', 'deadlineMs']);
type Knob = keyof typeof LIMITS;
const KNOBS: readonly Knob[] = ['clients', 'workMs', 'loadMs', 'deadlineMs'];

const LEFT = 40;
const RIGHT = 8;
const ROW_H = 56;
const ROW_GAP = 26;
const TOP = 18;

type Text = (key: keyof typeof GRACEFUL_SHUTDOWN_UI) => string;

export default function GracefulShutdown({ demos }: ViewProps) {
  const demo = demos.includes(GRACEFUL_SHUTDOWN_DEMO) ? GRACEFUL_SHUTDOWN_DEMO : (demos[0] ?? GRACEFUL_SHUTDOWN_DEMO);
  const fold = useMemo(() => gracefulShutdownFold(demo), [demo]);
  const state = useEventFold(fold, 20);
  const t = useText(GRACEFUL_SHUTDOWN_UI);
  const { status } = useLabConnection();
  const cmd = useDemoCommand(GRACEFUL_SHUTDOWN_DEMO);
  const [form, setForm] = useState<Record<Knob, number>>({
    clients: DEFAULTS.clients,
    workMs: DEFAULTS.workMs,
    loadMs: DEFAULTS.loadMs,
    deadlineMs: DEFAULTS.deadlineMs,
  });
  const [chosen, setChosen] = useState<readonly ShutdownMode[]>(DEFAULTS.modes);
  const [boxRef, width] = useElementWidth(280, 560);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  return (
    <section
      className="panel graceful-shutdown"
      data-testid="graceful-shutdown"
      data-running={state.running ? 'true' : 'false'}
      data-modes-done={state.modes.filter((m) => m.result).length}
    >
      <RunPanelHead
        title={t('title')}
        running={state.running}
        text={{ running: t('running'), idle: t('idle'), run: t('run'), stop: t('stop') }}
        testId="shutdown"
        onRun={() => void cmd.run('run', { ...form, modes: ShutdownModes.filter((m) => chosen.includes(m)) })}
        onStop={() => void cmd.run('stop')}
        runDisabled={cmd.pending}
      />
      <div className="run-controls">
        <NumberKnobs
          knobs={KNOBS}
          limits={LIMITS}
          values={form}
          onChange={setForm}
          label={(k) => t(k)}
          testId="shutdown"
        />
        <ChoiceBoxes
          legend={t('modes')}
          all={ShutdownModes}
          chosen={chosen}
          onChange={setChosen}
          label={(c) => t(c)}
          testId="shutdown-mode"
        />
      </div>
      {cmd.error && (
        <p className="error" role="alert">
          {cmd.error}
        </p>
      )}
      <div ref={boxRef}>
        {state.args ? (
          <ShutdownChart state={state} width={width} t={t} />
        ) : (
          <p className="muted" data-testid="shutdown-empty">
            {t('noRun')}
          </p>
        )}
      </div>
      {state.modes.length > 0 && <ShutdownTable state={state} t={t} />}
      <p className="muted small">{t('countsNote')}</p>
      {endpoint && (
        <p className="muted try-it">
          <code data-testid="shutdown-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}

function ShutdownChart({ state, width, t }: { state: ShutdownState; width: number; t: Text }) {
  const { spanMs, yMax } = shutdownScale(state);
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const x = (ms: number) => LEFT + (ms / spanMs) * plotW;
  const height = TOP + state.modes.length * (ROW_H + ROW_GAP) + 8;
  const step = spanMs > 8000 ? 2 : 1;
  const ticks: number[] = [];
  for (let s = 0; s * 1000 <= spanMs; s += step) ticks.push(s);
  return (
    <svg
      className="run-chart"
      width={width}
      height={height}
      role="img"
      aria-label={t('chartLabel')}
      data-testid="shutdown-chart"
    >
      {state.modes.map((m, row) => {
        const y0 = TOP + row * (ROW_H + ROW_GAP);
        const yOf = (v: number) => y0 + ROW_H * (1 - v / yMax);
        let d = `M${x(0).toFixed(1)} ${(y0 + ROW_H).toFixed(1)}`;
        for (const s of m.samples) d += `L${x(s.atMs).toFixed(1)} ${yOf(s.inFlight).toFixed(1)}`;
        const last = m.samples.at(-1);
        if (last) d += `L${x(last.atMs).toFixed(1)} ${(y0 + ROW_H).toFixed(1)}z`;
        return (
          <g key={m.mode} data-testid={`shutdown-row-${m.mode}`} data-samples={m.samples.length}>
            <text className="row-title" x={LEFT} y={y0 - 5}>
              {t(m.mode)} · {t('inFlight')}
            </text>
            <line className="grid" x1={LEFT} x2={LEFT + plotW} y1={y0 + ROW_H + 0.5} y2={y0 + ROW_H + 0.5} />
            <text x={LEFT - 4} y={y0 + 9} textAnchor="end">
              {yMax}
            </text>
            <text x={LEFT - 4} y={y0 + ROW_H} textAnchor="end">
              0
            </text>
            <path className={`area-${m.mode}`} d={d} opacity={0.8} />
            {m.shutdownAtMs !== null && (
              <line className="marker" x1={x(m.shutdownAtMs)} x2={x(m.shutdownAtMs)} y1={y0} y2={y0 + ROW_H} />
            )}
          </g>
        );
      })}
      {ticks.map((s) => (
        <text key={s} x={x(s * 1000)} y={height - 2} textAnchor="middle">
          {s} s
        </text>
      ))}
    </svg>
  );
}

function ShutdownTable({ state, t }: { state: ShutdownState; t: Text }) {
  const cols: (keyof typeof GRACEFUL_SHUTDOWN_UI)[] = [
    'read',
    'answered',
    'lost',
    'cut',
    'unanswered',
    'refused',
    'drain',
  ];
  return (
    <table className="run-table" data-testid="shutdown-table">
      <caption className="visually-hidden">{t('chartLabel')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('mode')}</th>
          {cols.map((c) => (
            <th key={c} scope="col">
              {t(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {state.modes.map((m) => {
          const r = m.result;
          const cell = (v: number | undefined, unit = '') =>
            r && v !== undefined ? `${v.toLocaleString()}${unit}` : '…';
          return (
            <tr
              key={m.mode}
              data-testid={`shutdown-result-${m.mode}`}
              data-done={r ? 'true' : 'false'}
              data-lost={r?.lostInFlight ?? ''}
              data-unanswered={r?.unanswered ?? ''}
              data-answered={r?.answered ?? ''}
              data-cut={r?.cutAtDeadline ?? ''}
            >
              <th scope="row">
                <span className="swatch" style={{ background: `var(--shutdown-${m.mode})` }} />
                {t(m.mode)}
              </th>
              <td className="num">{cell(r?.read)}</td>
              <td className="num">{cell(r?.answered)}</td>
              <td className="num">{cell(r?.lostInFlight)}</td>
              <td className="num">{cell(r?.cutAtDeadline)}</td>
              <td className="num">{cell(r?.unanswered)}</td>
              <td className="num">{cell(r?.refusedConnects)}</td>
              <td className="num">{cell(r?.drainMs, ' ms')}</td>
            </tr>
          );
        })}
      </tbody>
      {state.stoppedEarly && (
        <tfoot>
          <tr>
            <td colSpan={8}>{t('stoppedEarly')}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
