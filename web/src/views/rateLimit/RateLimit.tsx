// Lesson 17's view: set the limiter (global and per-client token buckets), run the lab's open-loop load generator at
// a staircase of offered rates, and watch offered vs accepted vs refused per second and the global bucket's level,
// with a table per step. Everything shown is measured by the server (source: observed).
import { useMemo, useState } from 'react';
import {
  RATE_LIMIT_DEMO,
  RATE_LIMIT_LIMITS,
  RateLimitConfigureArgs,
  type RateLimitConfig,
} from '@core/protocol/demos/rateLimit';
import { useLabConnection, useText } from '../../app/labContext';
import { RATE_LIMIT_UI } from '../../i18n/rateLimitText';
import { useEventFold } from '../../store/useEventFold';
import { RunPanelHead } from '../common/RunPanelHead';
import { TimeSeriesChart, type ChartPanel } from '../common/TimeSeriesChart';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { chartWindow, parseSteps, rateLimitFold, stepSummaries } from './rateLimitModel';
import './rateLimit.css';
import { figureText } from '../common/figureText';

const DEFAULTS: RateLimitConfig = RateLimitConfigureArgs.parse({});

export default function RateLimit({ demos }: ViewProps) {
  const demo = demos.find((d) => d === RATE_LIMIT_DEMO) ?? RATE_LIMIT_DEMO;
  const fold = useMemo(() => rateLimitFold(demo), [demo]);
  const state = useEventFold(fold, 8);
  const { status } = useLabConnection();
  const t = useText(RATE_LIMIT_UI);
  const limiter = useDemoCommand(RATE_LIMIT_DEMO);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  const [draft, setDraft] = useState<RateLimitConfig>(DEFAULTS);
  const [seenConfig, setSeenConfig] = useState(state.config);
  if (state.config !== seenConfig) {
    setSeenConfig(state.config);
    if (state.config) setDraft(state.config);
  }
  const [connections, setConnections] = useState(4);
  const [stepsText, setStepsText] = useState('100, 200, 400');
  const [stepSeconds, setStepSeconds] = useState(3);
  const steps = parseSteps(stepsText);

  const num = (key: keyof RateLimitConfig) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setDraft((d) => ({ ...d, [key]: Number(e.target.value) }));
  const apply = () => limiter.run('configure', { ...draft });
  const run = async () => {
    if (!steps) return;
    const same =
      state.config && (Object.keys(draft) as (keyof RateLimitConfig)[]).every((k) => state.config![k] === draft[k]);
    if (!same && !(await apply())) return;
    await limiter.run('load', { connections, steps, stepMs: Math.round(stepSeconds * 1000) });
  };

  const { samples, t0, t1 } = chartWindow(state);
  const sec = (ms: number) => (ms - t0) / 1000;
  const panels: ChartPanel[] = [
    {
      title: t('rates'),
      series: [
        {
          label: t('target'),
          colour: 'var(--rl-target)',
          dashed: true,
          step: true,
          points: samples.map((s) => [sec(s.t), s.targetPerSec || null]),
        },
        { label: t('offered'), colour: 'var(--rl-offered)', points: samples.map((s) => [sec(s.t), s.offeredPerSec]) },
        {
          label: t('accepted'),
          colour: 'var(--rl-accepted)',
          points: samples.map((s) => [sec(s.t), s.acceptedPerSec]),
        },
        {
          label: t('refused'),
          colour: 'var(--rl-refused)',
          points: samples.map((s) => [sec(s.t), s.refusedClientPerSec + s.refusedGlobalPerSec]),
        },
      ],
    },
    {
      title: t('level'),
      max: state.config?.globalBurst,
      series: [
        {
          label: t('levelNow'),
          colour: 'var(--rl-level)',
          points: samples.map((s) => [sec(s.t), Math.max(0, s.globalLevel)]),
        },
        {
          label: t('levelMin'),
          colour: 'var(--rl-level-min)',
          points: samples.map((s) => [sec(s.t), Math.max(0, s.globalLevelMin)]),
        },
      ],
    },
  ];
  const summary = stepSummaries(state.samples, state.load);
  const latest = state.samples.at(-1);
  const result = state.load?.result;

  return (
    <section
      className="panel limits-view"
      data-testid="rate-limit"
      data-running={state.running ? 'true' : 'false'}
      data-samples={state.samples.length}
    >
      <RunPanelHead
        title={t('title')}
        running={state.running}
        text={{ running: t('running'), idle: t('idle'), run: t('runLoad'), stop: t('stop') }}
        testId="rl"
        onRun={() => void run()}
        onStop={() => void limiter.run('stopLoad')}
        runDisabled={limiter.pending || !steps}
      />

      <div className="run-controls">
        {(['globalRate', 'globalBurst', 'clientRate', 'clientBurst'] as const).map((key) => (
          <label key={key}>
            {t(key)}
            <input
              type="number"
              min={1}
              max={RATE_LIMIT_LIMITS.rate}
              value={draft[key]}
              onChange={num(key)}
              data-testid={`rl-${key}`}
            />
          </label>
        ))}
        <button
          type="button"
          onClick={() => void apply()}
          disabled={limiter.pending || state.running}
          data-testid="rl-apply"
        >
          {t('apply')}
        </button>
      </div>
      <div className="run-controls">
        <label>
          {t('clients')}
          <input
            type="number"
            min={1}
            max={RATE_LIMIT_LIMITS.connections}
            value={connections}
            onChange={(e) =>
              setConnections(
                Math.min(RATE_LIMIT_LIMITS.connections, Math.max(1, Math.round(Number(e.target.value) || 1))),
              )
            }
            data-testid="rl-clients"
          />
        </label>
        <label>
          {t('steps')}
          <input
            type="text"
            value={stepsText}
            onChange={(e) => setStepsText(e.target.value)}
            aria-invalid={!steps}
            data-testid="rl-steps"
          />
        </label>
        <label>
          {t('stepSeconds')}
          <input
            type="number"
            min={0.5}
            max={RATE_LIMIT_LIMITS.stepMs / 1000}
            step={0.5}
            value={stepSeconds}
            onChange={(e) =>
              setStepSeconds(Math.min(RATE_LIMIT_LIMITS.stepMs / 1000, Math.max(0.5, Number(e.target.value) || 0.5)))
            }
            data-testid="rl-step-seconds"
          />
        </label>
      </div>
      {!steps && (
        <p className="error" role="alert">
          {t('badSteps')}
        </p>
      )}
      {limiter.error && (
        <p className="error" role="alert">
          {limiter.error}
        </p>
      )}

      <dl className="run-figures">
        <div>
          <dt>{t('offered')} /s</dt>
          <dd data-testid="rl-offered">{figureText(latest?.offeredPerSec)}</dd>
        </div>
        <div>
          <dt>{t('accepted')} /s</dt>
          <dd data-testid="rl-accepted">{figureText(latest?.acceptedPerSec)}</dd>
        </div>
        <div>
          <dt>{t('refused')} /s</dt>
          <dd data-testid="rl-refused">
            {latest ? figureText(latest.refusedClientPerSec + latest.refusedGlobalPerSec) : '–'}
          </dd>
        </div>
        <div>
          <dt>{t('levelNow')}</dt>
          <dd data-testid="rl-level">{figureText(latest?.globalLevel, 1)}</dd>
        </div>
      </dl>

      <TimeSeriesChart
        panels={panels}
        t0={0}
        t1={(t1 - t0) / 1000}
        label={t('chartLabel')}
        axisLabel={t('seconds')}
        testId="rl-chart"
      />

      {summary.length > 0 && (
        <table className="lv-table" data-testid="rl-steps-table">
          <caption>{t('tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colTarget')}</th>
              <th scope="col">{t('colOffered')}</th>
              <th scope="col">{t('colAccepted')}</th>
              <th scope="col">{t('colRefused')}</th>
              <th scope="col">{t('colLevelMin')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.map((s) => (
              <tr
                key={s.target}
                data-target={s.target}
                data-accepted={s.accepted.toFixed(1)}
                data-refused={s.refused.toFixed(1)}
              >
                <th scope="row">{s.target}</th>
                <td>{figureText(s.offered)}</td>
                <td>{figureText(s.accepted)}</td>
                <td>{figureText(s.refused)}</td>
                <td>{figureText(Math.max(0, s.levelMin), 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result && !state.running && (
        <p className="small" data-testid="rl-last-run" data-accepted={result.accepted} data-refused={result.refused}>
          <strong>{t('lastRun')}</strong>: {t('sent')} {result.sent} · {t('accepted')} {result.accepted} ·{' '}
          {t('refused')} {result.refused}
        </p>
      )}
      {endpoint && (
        <p className="muted try-it">
          {state.samples.length === 0 ? t('noData') : t('tryIt')}{' '}
          <code data-testid="rl-nc">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
    </section>
  );
}
