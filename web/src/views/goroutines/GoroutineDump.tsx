// The goroutine dump table: every goroutine of the run with its state, what it waits on and for how long, and
// where it was created, like a Go goroutine dump but live; plus the deadlock report and the leak list.
import { useMemo, useState } from 'react';
import { formatGoroutineDump } from '@core/runtime/goroutineDump';
import { useText } from '../../app/labContext';
import { GOROUTINE_UI, type GoroutineUiKey } from '../../i18n/goroutineText';
import { useVersionedFold } from './useVersionedFold';
import { formatMs } from './goroutineTimelineDrawing';
import { followedDemos, useGoroutineDemoPin, useSnippetRunDemo, withSnippetRun } from './goroutineDemoPin';
import { GoroutineRunOwner, runOwner } from './GoroutineRunOwner';
import { LANE_STATES, LaneState, timelineFold, type Lane, type TimelineModel } from './goroutineTimelineModel';
import { SourceBadge } from '../common/SourceBadge';
import type { ViewProps } from '../viewRegistry';
import './goroutineTimeline.css';

const MAX_ROWS = 400;
const STATE_CLASS: Record<number, string> = {
  [LaneState.Runnable]: 'runnable',
  [LaneState.Running]: 'running',
  [LaneState.ChanRecv]: 'chan-recv',
  [LaneState.ChanSend]: 'chan-send',
  [LaneState.Select]: 'select',
  [LaneState.Sync]: 'sync',
  [LaneState.WaitGroup]: 'wait-group',
  [LaneState.Sleep]: 'sleep',
  [LaneState.Io]: 'io',
  [LaneState.Forever]: 'forever',
  [LaneState.Dead]: 'dead',
};

type Filter = 'all' | 'alive' | 'blocked';

function isBlocked(lane: Lane): boolean {
  return lane.state !== LaneState.Running && lane.state !== LaneState.Runnable && lane.state !== LaneState.Dead;
}

function stateText(lane: Lane, t: (k: GoroutineUiKey) => string): string {
  if (lane.waitReason) return lane.waitReason;
  const key = LANE_STATES.find((s) => s.state === lane.state)?.key ?? 'dead';
  return t(key as GoroutineUiKey);
}

export default function GoroutineDump({ demos }: ViewProps) {
  const t = useText(GOROUTINE_UI);
  const snippetRun = useSnippetRunDemo();
  const demoKey = followedDemos(withSnippetRun(demos, snippetRun), useGoroutineDemoPin());
  const fold = useMemo(() => timelineFold(demoKey === null ? null : demoKey.split(',')), [demoKey]);
  const model: TimelineModel = useVersionedFold(fold, 4);
  const [filter, setFilter] = useState<Filter>('alive');
  const lanes = model.lanes.filter(
    (l) => filter === 'all' || (filter === 'alive' ? l.state !== LaneState.Dead : isBlocked(l)),
  );
  const shown = lanes.slice(0, MAX_ROWS);
  const blocked = model.lanes.filter(isBlocked).length;
  const { elided } = model;
  return (
    <section
      className="panel goroutine-dump"
      data-testid="goroutine-dump"
      data-demo={model.demo ?? ''}
      data-owner={runOwner(model.demo, snippetRun)}
      data-rows={lanes.length}
      data-blocked={blocked}
      data-status={model.status}
    >
      <header className="panel-head">
        <h3>{t('dumpTitle')}</h3>
        <SourceBadge source={model.source} />
        <GoroutineRunOwner demo={model.demo} snippetRun={snippetRun} />
        <span className="muted">
          {model.live + elided.alive} {t('alive')} · {blocked} {t('filterBlocked').toLowerCase()}
          {elided.goroutines > 0 && ` · ${elided.goroutines.toLocaleString()} ${t('elidedGoroutines')}`}
        </span>
        <span className="spacer" />
        <span className="filters">
          {(['alive', 'blocked', 'all'] as const).map((f) => (
            <button
              key={f}
              type="button"
              className={filter === f ? 'primary' : ''}
              onClick={() => setFilter(f)}
              data-testid={`dump-filter-${f}`}
            >
              {t(f === 'all' ? 'filterAll' : f === 'alive' ? 'filterAlive' : 'filterBlocked')}
            </button>
          ))}
        </span>
      </header>
      {model.deadlock && (
        <pre className="go-report error" role="alert" data-testid="deadlock-report">
          {`${model.endMessage || 'fatal error: all goroutines are asleep - deadlock!'}\n\n${formatGoroutineDump(model.deadlock)}`}
        </pre>
      )}
      {(model.status === 'panic' || model.status === 'fatal') && (
        <pre className="go-report error" role="alert" data-testid="panic-report">
          {model.endMessage}
        </pre>
      )}
      {(model.status === 'ok' || model.status === 'stopped') && (
        <p
          className={model.leaks.length + elided.leaks > 0 ? 'warn-text' : 'muted'}
          data-testid="leak-summary"
          data-leaks={model.leaks.length + elided.leaks}
        >
          {model.leaks.length + elided.leaks > 0
            ? `${model.leaks.length + elided.leaks} ${t('leaks')}: ${model.leaks.map((g) => `g${g.id} ${g.fn} [${g.waitReason}]`).join(', ')}${elided.leaks > 0 ? ` … ${elided.leaks.toLocaleString()} ${t('elidedLeaks')}` : ''}`
            : t('noLeaks')}
        </p>
      )}
      <div className="dump-scroll" role="region" tabIndex={0} aria-label={t('dumpTitle')}>
        <table>
          <thead>
            <tr>
              <th>{t('colId')}</th>
              <th>{t('colFn')}</th>
              <th>{t('colState')}</th>
              <th>{t('colWaitingOn')}</th>
              <th>{t('colFor')}</th>
              <th>{t('colCreatedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((lane) => {
              const since = lane.times.n > 0 ? lane.times.data[lane.times.n - 1] : lane.spawnT;
              const parent = model.byGid.get(lane.parent);
              return (
                <tr key={lane.gid} data-testid="dump-row" data-gid={lane.gid} data-state={stateText(lane, t)}>
                  <td>g{lane.gid}</td>
                  <td>
                    <code>{lane.fn}</code>
                  </td>
                  <td>
                    <i className={`swatch go-${STATE_CLASS[lane.state]}`} /> {stateText(lane, t)}
                  </td>
                  <td>{lane.waitIds.length > 0 ? lane.waitIds.map((id) => model.objectLabel(id)).join(', ') : ''}</td>
                  <td>{isBlocked(lane) ? formatMs(model.tEnd - since) : ''}</td>
                  <td>
                    {lane.parent === 0
                      ? lane.gid === 1
                        ? 'run'
                        : // A Go dump before 1.21 names the creating function and line but not its goroutine.
                          model.source === 'sampled' && lane.site
                          ? ''
                          : t('outsideGoroutines')
                      : `g${lane.parent} ${parent?.fn ?? ''}`}
                    {lane.site && <div className="muted">{lane.site}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {lanes.length > shown.length && (
          <p className="muted">
            … {(lanes.length - shown.length).toLocaleString()} {t('goroutines')}
          </p>
        )}
      </div>
    </section>
  );
}
