// Lesson 29's view: a restart against TIME_WAIT with SO_REUSEADDR cleared or set (the kernel's row and the error
// as Go prints it), two live listeners on one port, and SO_REUSEPORT's spread of 1,000 connections as bars.
import { useState } from 'react';
import type { DemoResult } from '@core/protocol/demoCommands';
import { MAX_REUSEPORT_LISTENERS, PORT_REUSE_DEMO, type ListenOutcome } from '@core/protocol/demos/portReuse';
import { useText } from '../../app/labContext';
import { PORT_REUSE_UI } from '../../i18n/portReuseText';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { outcomeWord, spreadBars, timerSeconds } from './portReuseModel';
import { LabPart } from '../common/LabPart';
import '../common/labSections.css';
import './portReuse.css';

type Result<A extends 'restart' | 'live' | 'spread' | 'queue'> = DemoResult<typeof PORT_REUSE_DEMO, A>;

function Outcome({ outcome, testId }: { outcome: ListenOutcome; testId: string }) {
  const t = useText(PORT_REUSE_UI);
  return (
    <span data-testid={testId} data-outcome={outcomeWord(outcome)}>
      {outcome.ok ? (
        <span className="ok-text">
          ✓ {t('listening')} <code>{outcome.addr}</code>
        </span>
      ) : (
        <span className="err-text">
          ✗ <code>{outcome.error}</code>
        </span>
      )}
    </span>
  );
}

export default function PortReuse(_props: ViewProps) {
  const t = useText(PORT_REUSE_UI);
  const cmd = useDemoCommand(PORT_REUSE_DEMO);
  const [firstReuseAddr, setFirstReuseAddr] = useState(false);
  const [restartReuseAddr, setRestartReuseAddr] = useState(false);
  const [restart, setRestart] = useState<Result<'restart'> | null>(null);
  const [live, setLive] = useState<Result<'live'> | null>(null);
  const [listeners, setListeners] = useState(4);
  const [spread, setSpread] = useState<Result<'spread'> | null>(null);
  const [queue, setQueue] = useState<Result<'queue'> | null>(null);
  const busy = cmd.pending;
  const total = spread ? spread.counts.reduce((a, b) => a + b, 0) : 0;

  return (
    <section className="panel lab-view port-reuse" data-testid="port-reuse">
      <header className="panel-head">
        <h3>{t('title')}</h3>
      </header>
      {cmd.error && (
        <p className="warn-text" role="alert" data-testid="port-reuse-error">
          {cmd.error}
        </p>
      )}

      <LabPart titleId="reuse-restart-title" title={t('restartTitle')}>
        <div className="lab-controls">
          <label>
            <input
              type="checkbox"
              checked={firstReuseAddr}
              onChange={(e) => setFirstReuseAddr(e.target.checked)}
              data-testid="reuse-first-option"
            />{' '}
            {t('firstOption')}
          </label>
          <label>
            <input
              type="checkbox"
              checked={restartReuseAddr}
              onChange={(e) => setRestartReuseAddr(e.target.checked)}
              data-testid="reuse-restart-option"
            />{' '}
            {t('restartOption')}
          </label>
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="reuse-restart"
          onClick={async () => {
            const r = await cmd.run('restart', { firstReuseAddr, restartReuseAddr });
            if (r) setRestart(r);
          }}
        >
          {t('restartRun')}
        </button>
        {restart && (
          <div data-testid="reuse-restart-result" data-outcome={outcomeWord(restart.restart)}>
            <p>
              {t('served')}: <code>{restart.served.local}</code> ⇄ <code>{restart.served.remote}</code>{' '}
              <SourceBadge source="observed" />
            </p>
            <p>
              {t('kernelRow')} <SourceBadge source="polled" />:{' '}
              {restart.timeWait ? (
                <span data-testid="reuse-timewait" data-state={restart.timeWait.state}>
                  <code>
                    {restart.timeWait.local} {restart.timeWait.remote}
                  </code>{' '}
                  <strong>{restart.timeWait.state}</strong>
                  {timerSeconds(restart.timeWait.timerMs) !== null && (
                    <span className="muted">
                      {' '}
                      ({timerSeconds(restart.timeWait.timerMs)} s {t('timerLeft')})
                    </span>
                  )}
                </span>
              ) : (
                <span data-testid="reuse-timewait" data-state="none">
                  {t('notFound')} <span className="muted">({restart.tableFrom})</span>
                </span>
              )}
            </p>
            <p>
              {restart.restart.ok ? t('restartOk') : t('restartFailed')}{' '}
              <Outcome outcome={restart.restart} testId="reuse-restart-outcome" />
            </p>
          </div>
        )}
      </LabPart>

      <LabPart titleId="reuse-live-title" title={t('liveTitle')} source="observed">
        <button
          type="button"
          disabled={busy}
          data-testid="reuse-live-addr"
          onClick={async () => {
            const r = await cmd.run('live', { reusePort: false });
            if (r) setLive(r);
          }}
        >
          {t('liveAddr')}
        </button>{' '}
        <button
          type="button"
          disabled={busy}
          data-testid="reuse-live-port"
          onClick={async () => {
            const r = await cmd.run('live', { reusePort: true });
            if (r) setLive(r);
          }}
        >
          {t('livePort')}
        </button>
        {live && (
          <ul className="reuse-live" data-testid="reuse-live-result" data-reuseport={live.reusePort}>
            <li>
              {t('firstListener')}: <Outcome outcome={live.first} testId="reuse-live-first" />
            </li>
            <li>
              {t('secondListener')}: <Outcome outcome={live.second} testId="reuse-live-second" />
            </li>
          </ul>
        )}
      </LabPart>

      <LabPart titleId="reuse-spread-title" title={t('spreadTitle')} source="observed">
        <div className="lab-controls">
          <label>
            {t('listeners')}{' '}
            <input
              type="number"
              min={2}
              max={MAX_REUSEPORT_LISTENERS}
              value={listeners}
              onChange={(e) =>
                setListeners(Math.min(MAX_REUSEPORT_LISTENERS, Math.max(2, Math.round(Number(e.target.value)) || 2)))
              }
              data-testid="reuse-listeners"
            />
          </label>
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="reuse-spread"
          onClick={async () => {
            const r = await cmd.run('spread', { listeners, connections: 1000, hashTuples: 10 });
            if (r) setSpread(r);
          }}
        >
          {t('spreadRun')}
        </button>
        {spread && (
          <div data-testid="reuse-spread-result" data-listeners={spread.listeners} data-total={total}>
            <ul className="reuse-bars" aria-label={t('chartLabel')}>
              {spreadBars(spread.counts).map((bar) => (
                <li key={bar.listener} data-testid="reuse-bar" data-count={bar.count}>
                  <span className="reuse-bar-name">
                    {t('listener')} {bar.listener}
                  </span>
                  <span className="reuse-bar-track" aria-hidden="true">
                    <span className="reuse-bar-fill" style={{ width: `${bar.length}%` }} />
                  </span>
                  <span className="reuse-bar-count">
                    {bar.count} <span className="muted">({bar.share}%)</span>
                  </span>
                </li>
              ))}
            </ul>
            <p>
              {t('total')}: <strong data-testid="reuse-spread-total">{total}</strong> · {t('failed')}: {spread.failed} ·{' '}
              {t('took')} {spread.ms} ms
            </p>
            <p data-testid="reuse-hash">
              <strong>{spread.hash.sameListener}</strong> {t('of')} {spread.hash.tuples} {t('hash')}
            </p>
          </div>
        )}
      </LabPart>

      <LabPart titleId="reuse-queue-title" title={t('queueTitle')} source="observed">
        <button
          type="button"
          disabled={busy}
          data-testid="reuse-queue"
          onClick={async () => {
            const r = await cmd.run('queue', { listeners, connections: 100 });
            if (r) setQueue(r);
          }}
        >
          {t('queueRun')}
        </button>
        {queue && (
          <dl className="reuse-figures" data-testid="reuse-queue-result">
            <dt>{t('queued')}</dt>
            <dd data-testid="reuse-queued">{queue.queued}</dd>
            <dt>{t('reset')}</dt>
            <dd data-testid="reuse-reset">{queue.reset}</dd>
            <dt>{t('moved')}</dt>
            <dd data-testid="reuse-after-close">{queue.answeredAfterClose}</dd>
            <dt>{t('migrate')}</dt>
            <dd>{queue.migrateReq ?? t('absent')}</dd>
          </dl>
        )}
      </LabPart>
    </section>
  );
}
