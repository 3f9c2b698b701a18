// Lesson 30's view: the Go, Node and thread-per-connection echo servers measured in turn under the same idle and
// busy connections, side by side: OS threads, resident memory, CPU, and system calls per second by kind (bars on
// one scale), with the window and the machine named; and the reactor pattern drawn from the Go server's figures.
import { useMemo, useState } from 'react';
import {
  NETPOLLER_DEMO,
  NetpollerRunArgs,
  NetpollerServers,
  type NetpollerServer,
} from '@core/protocol/demos/netpoller';
import type { ServerMeasurement } from '@core/protocol/events/netpoller';
import { useLab, useText } from '../../app/labContext';
import { NETPOLLER_UI } from '../../i18n/netpollerText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { clampToLimits, fieldLimits, schemaDefaults } from '../common/schemaKnobs';
import { useDemoCommand, wireErrorText } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import {
  formatRate,
  netpollerFold,
  reactorNumbers,
  sharedBarMax,
  straceSlowdown,
  syscallBars,
  type NetpollerState,
} from './netpollerModel';
import '../common/runPanel.css';
import './netpoller.css';

const DEFAULTS = schemaDefaults(NetpollerRunArgs);
const LIMITS = fieldLimits(NetpollerRunArgs, ['idle', 'busy', 'windowMs']);
type Knob = keyof typeof LIMITS;
const KNOBS: readonly Knob[] = ['idle', 'busy', 'windowMs'];

type Key = keyof typeof NETPOLLER_UI;
type Text = (key: Key, vars?: Record<string, string | number>) => string;

export default function Netpoller({ demos }: ViewProps) {
  const demo = demos.includes(NETPOLLER_DEMO) ? NETPOLLER_DEMO : (demos[0] ?? NETPOLLER_DEMO);
  const fold = useMemo(() => netpollerFold(demo), [demo]);
  const state = useEventFold(fold, 20);
  const plain = useText(NETPOLLER_UI);
  const { language } = useLab();
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  const t: Text = (key, vars = {}) => plain(key).replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
  const cmd = useDemoCommand(NETPOLLER_DEMO);
  const [form, setForm] = useState<Record<Knob, number>>({
    idle: DEFAULTS.idle,
    busy: DEFAULTS.busy,
    windowMs: DEFAULTS.windowMs,
  });
  const shown = state.args?.servers ?? NetpollerServers;
  const barMax = sharedBarMax(state.results);
  const done = Object.keys(state.results).length;

  return (
    <section
      className="panel netpoller"
      data-testid="netpoller"
      data-running={state.running ? 'true' : 'false'}
      data-results={done}
    >
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <SourceBadge source="observed" />
        <span className={`netpoller-state ${state.running ? 'on' : ''}`}>
          {state.running ? `● ${t('running')}` : t('ready')}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() => void cmd.run('run', form)}
          disabled={cmd.pending || state.running}
          data-testid="netpoller-run"
        >
          {t('run')}
        </button>
        <button
          type="button"
          onClick={() => void cmd.run('stop')}
          disabled={!state.running}
          data-testid="netpoller-stop"
        >
          {t('stop')}
        </button>
      </header>
      <div className="run-controls">
        {KNOBS.map((k) => (
          <label key={k}>
            {t(k)}
            <input
              type="number"
              min={LIMITS[k].min}
              max={LIMITS[k].max}
              value={form[k]}
              onChange={(e) => setForm((f) => ({ ...f, [k]: clampToLimits(e.target.value, LIMITS[k]) }))}
              data-testid={`netpoller-${k}`}
            />
          </label>
        ))}
      </div>
      {cmd.error && (
        <p className="error" role="alert">
          {cmd.error}
        </p>
      )}
      <p className="netpoller-progress" role="status" aria-live="polite" data-testid="netpoller-progress">
        {state.progress
          ? `${t(state.progress.server)}: ${t(state.progress.phase)}${
              state.progress.phase === 'connecting' && state.progress.of
                ? ` ${state.progress.connected ?? 0} / ${state.progress.of}`
                : ''
            }`
          : state.stoppedEarly
            ? t('stoppedEarly')
            : ''}
      </p>
      {!state.args ? (
        <p className="muted" data-testid="netpoller-empty">
          {t('noRun')}
        </p>
      ) : (
        <>
          <p className="muted small" data-testid="netpoller-machine">
            {state.machine &&
              t('measuredOn', {
                machine: `${state.machine.cpu} · ${t('cores', { n: state.machine.cores })} · Linux ${state.machine.kernel} · ${state.machine.go ?? '—'} · Node ${state.machine.node}`,
              })}{' '}
            · {t('window', { idle: state.args.idle, busy: state.args.busy, ms: state.args.windowMs })}
          </p>
          <div className="netpoller-columns">
            {shown.map((server) => (
              <ServerColumn
                key={server}
                server={server}
                state={state}
                barMax={barMax}
                t={t}
                locale={locale}
                errorText={(e) => wireErrorText(e, language)}
              />
            ))}
          </div>
          {state.results.go && <ReactorDrawing m={state.results.go} t={t} locale={locale} />}
        </>
      )}
    </section>
  );
}

function ServerColumn({
  server,
  state,
  barMax,
  t,
  locale,
  errorText,
}: {
  server: NetpollerServer;
  state: NetpollerState;
  barMax: number;
  t: Text;
  locale: string;
  errorText: (e: NonNullable<NetpollerState['failures'][NetpollerServer]>) => string;
}) {
  const m = state.results[server];
  const failure = state.failures[server];
  const active = state.progress?.server === server;
  return (
    <article
      className={`netpoller-column ${active ? 'active' : ''}`}
      data-testid={`netpoller-col-${server}`}
      data-threads={m?.threads ?? ''}
      data-recorded={m?.recorded ? 'true' : 'false'}
      data-syscalls={m ? m.syscalls.by : ''}
      aria-busy={active}
    >
      <h4>{t(server)}</h4>
      {failure && (
        <p className="error" data-testid={`netpoller-failed-${server}`}>
          {t('failed')}: {errorText(failure)}
        </p>
      )}
      {!m ? (
        !failure && <p className="muted small">{active ? t(state.progress!.phase) : '—'}</p>
      ) : (
        <>
          {m.recorded && (
            <p className="netpoller-recorded" data-testid={`netpoller-recorded-${server}`}>
              {t('recorded', {
                at: m.recorded.at,
                machine: `${m.recorded.machine.cpu}, ${t('cores', { n: m.recorded.machine.cores })}, Linux ${m.recorded.machine.kernel}, ${m.recorded.machine.go ?? ''}`,
              })}
            </p>
          )}
          <dl className="netpoller-figures">
            <div className="big">
              <dt>{t('osThreads')}</dt>
              <dd data-testid={`netpoller-threads-${server}`}>{m.threads.toLocaleString(locale)}</dd>
            </div>
            <div>
              <dt>{t('tasks')}</dt>
              <dd>{m.tasks.toLocaleString(locale)}</dd>
            </div>
            <div>
              <dt>{t('rss')}</dt>
              <dd>{(m.rssKiB / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MiB</dd>
            </div>
            <div>
              <dt>{t('roundTrips')}</dt>
              <dd>{formatRate(m.roundTripsPerSecond, locale)}</dd>
            </div>
            <div>
              <dt>{t('cpu')}</dt>
              <dd>{formatRate(m.cpuMsPerSecond, locale)}</dd>
            </div>
            <div>
              <dt>{t('wakeups')}</dt>
              <dd>{formatRate(m.wakeupsPerSecond, locale)}</dd>
            </div>
          </dl>
          <SyscallChart m={m} barMax={barMax} t={t} locale={locale} />
          <p className="muted small">{m.runtime}</p>
        </>
      )}
    </article>
  );
}

const BAR_ROW = 18;
const LABEL_W = 84;
const VALUE_W = 52;

function SyscallChart({ m, barMax, t, locale }: { m: ServerMeasurement; barMax: number; t: Text; locale: string }) {
  const bars = syscallBars(m);
  if (!bars || m.syscalls.by !== 'strace') {
    return (
      <p className="netpoller-nostrace" data-testid={`netpoller-nostrace-${m.server}`}>
        {t('noStrace', { reason: m.syscalls.by === 'none' ? m.syscalls.reason : '' })}
      </p>
    );
  }
  const width = 260;
  const plot = width - LABEL_W - VALUE_W;
  const slowdown = straceSlowdown(m);
  return (
    <figure className="netpoller-syscalls">
      <figcaption>{t('syscallsTitle')}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${bars.length * BAR_ROW}`}
        role="img"
        aria-label={`${t('syscallsTitle')}: ${bars.map((b) => `${b.label === 'other' ? t('other') : b.label} ${formatRate(b.perSecond, locale)}`).join(', ')}`}
        data-testid={`netpoller-bars-${m.server}`}
      >
        {bars.map((b, i) => (
          <g key={b.label} transform={`translate(0 ${i * BAR_ROW})`}>
            <text x={LABEL_W - 4} y={13} textAnchor="end">
              {b.label === 'other' ? t('other') : b.label}
            </text>
            <rect
              className={`bar bar-${b.label}`}
              x={LABEL_W}
              y={3}
              height={BAR_ROW - 6}
              width={Math.max(b.perSecond > 0 ? 1 : 0, (b.perSecond / barMax) * plot)}
            />
            <text x={width - 2} y={13} textAnchor="end">
              {formatRate(b.perSecond, locale)}
            </text>
          </g>
        ))}
      </svg>
      <p className="muted small">
        {t('traced', {
          ms: m.syscalls.windowMs,
          pct: slowdown === null ? '—' : `${Math.round(slowdown * 100)}%`,
        })}
      </p>
    </figure>
  );
}

function ReactorDrawing({ m, t, locale }: { m: ServerMeasurement; t: Text; locale: string }) {
  const r = reactorNumbers(m);
  const epoll = r.epollPerSecond === null ? t('notCounted') : formatRate(r.epollPerSecond, locale);
  const reads = r.readsPerSecond === null ? t('notCounted') : formatRate(r.readsPerSecond, locale);
  const conns = r.connections.toLocaleString(locale);
  // A few dots stand for the connections (one per hundred, at most 20); the threads are drawn one box each up to 12.
  const dots = Math.min(20, Math.max(1, Math.round(r.connections / 100)));
  const boxes = Math.min(12, r.threads);
  return (
    <figure className="netpoller-reactor" data-testid="netpoller-reactor">
      <figcaption>{t('reactorTitle')}</figcaption>
      <svg
        viewBox="0 0 560 150"
        role="img"
        aria-label={t('reactorLabel', { conns, epoll, threads: r.threads })}
        data-connections={r.connections}
        data-threads={r.threads}
      >
        {Array.from({ length: dots }, (_, i) => (
          <circle key={i} className="conn" cx={14 + (i % 5) * 14} cy={40 + Math.floor(i / 5) * 14} r={5} />
        ))}
        <text x={10} y={20}>
          {t('reactorConns', { n: conns })}
        </text>
        <path className="flow" d="M 90 65 L 190 65" markerEnd="url(#netpoller-arrow)" />
        <rect className="epoll" x={195} y={40} width={150} height={50} rx={6} />
        <text x={270} y={62} textAnchor="middle">
          epoll
        </text>
        <text x={270} y={80} textAnchor="middle" className="small">
          epoll_wait {epoll}/s
        </text>
        <path className="flow" d="M 345 65 L 420 65" markerEnd="url(#netpoller-arrow)" />
        {Array.from({ length: boxes }, (_, i) => (
          <rect
            key={i}
            className="thread"
            x={425 + (i % 6) * 21}
            y={44 + Math.floor(i / 6) * 22}
            width={16}
            height={16}
            rx={2}
          />
        ))}
        <text x={270} y={115} textAnchor="middle">
          {t('reactorReady')}
        </text>
        <text x={10} y={140}>
          {t('reactorEpoll', { n: epoll })} · {t('reactorThreads', { n: r.threads, r: reads })}
        </text>
        <defs>
          <marker
            id="netpoller-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0 0 L10 5 L0 10z" className="arrowhead" />
          </marker>
        </defs>
      </svg>
    </figure>
  );
}
