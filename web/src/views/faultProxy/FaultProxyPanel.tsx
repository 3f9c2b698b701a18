// The fault proxy's view: set a fault from a list of named ones, see and clear your faults, open clients through the
// proxy and send lines, and follow each proxied connection's lane: what its client sent and received, and every
// fault the proxy injected, in order. The proxy's shared switches (refuse, server down) are here too.
import { memo, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { FAULT_PROXY_DEMO, type FaultRuleInput, type FaultRuleView } from '@core/protocol/demos/faultProxy';
import type { FaultAction } from '@core/protocol/events/fault';
import { useLabConnection, useText } from '../../app/labContext';
import { FAULT_UI } from '../../i18n/faultText';
import { useEventFold } from '../../store/useEventFold';
import { bytesFromBase64, formatClock, visibleText } from '../common/bytesFormat';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { faultLanesFold, type FaultLane } from './faultLanesModel';
import './faultProxy.css';

type UiKey = keyof typeof FAULT_UI;

/** The faults the view offers, each as the rule it sets. */
export const FAULT_PRESETS = {
  stall: { label: 'presetStall', rule: { fault: { type: 'stall' }, direction: 'down' } },
  blackhole: { label: 'presetBlackhole', rule: { fault: { type: 'timeout', ms: 0 } } },
  latency: { label: 'presetLatency', rule: { fault: { type: 'latency', ms: 300, jitterMs: 50 }, direction: 'down' } },
  reset: { label: 'presetReset', rule: { fault: { type: 'reset_peer' }, direction: 'up', trigger: { onMessage: 1 } } },
  slicer: {
    label: 'presetSlicer',
    rule: { fault: { type: 'slicer', averageBytes: 1, delayMs: 30 }, direction: 'down' },
  },
  bandwidth: {
    label: 'presetBandwidth',
    rule: { fault: { type: 'bandwidth', bytesPerSecond: 100 }, direction: 'down' },
  },
  limit: { label: 'presetLimit', rule: { fault: { type: 'limit_data', bytes: 10 }, direction: 'down' } },
  halfClose: { label: 'presetHalfClose', rule: { fault: { type: 'half_close' }, direction: 'down' } },
  slowClose: { label: 'presetSlowClose', rule: { fault: { type: 'slow_close', delayMs: 2000 }, direction: 'down' } },
} as const satisfies Record<string, { label: UiKey; rule: FaultRuleInput }>;
type PresetName = keyof typeof FAULT_PRESETS;

const ACTION_TEXT: Record<FaultAction, UiKey> = {
  started: 'actStarted',
  ended: 'actEnded',
  held: 'actHeld',
  dropped: 'actDropped',
  reset: 'actReset',
  'half-closed': 'actHalfClosed',
  closed: 'actClosed',
  'fin-delayed': 'actFinDelayed',
};

/** A rule in a few words: its fault's settings, direction and trigger. Pure. */
export function describeRule(rule: FaultRuleView): string {
  const { type, ...settings } = rule.fault;
  const values = Object.entries(settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const trigger = rule.trigger ? ` when ${JSON.stringify(rule.trigger)}` : '';
  return `${type}${values ? ` ${values}` : ''} · ${rule.direction}${rule.conn === 'all' ? '' : ` · ${rule.conn}`}${trigger}`;
}

export default function FaultProxyPanel({ demos }: ViewProps) {
  const demo = demos.includes(FAULT_PROXY_DEMO) ? FAULT_PROXY_DEMO : (demos[0] ?? FAULT_PROXY_DEMO);
  const fold = useMemo(() => faultLanesFold(demo), [demo]);
  const state = useEventFold(fold, 20);
  const { status } = useLabConnection();
  const proxy = useDemoCommand(FAULT_PROXY_DEMO);
  const t = useText(FAULT_UI);
  const [preset, setPreset] = useState<PresetName>('stall');
  const [rules, setRules] = useState<FaultRuleView[]>([]);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints.find((e) => e.name === 'fault-proxy');
  const { run } = proxy;

  const refresh = useCallback(async () => {
    const r = await run('list');
    if (r) setRules(r.rules);
  }, [run]);
  useEffect(() => {
    // The faults this page set before a reload are gone (cleared when it left); ask once what is set now.
    let live = true;
    void run('list').then((r) => {
      if (live && r) setRules(r.rules);
    });
    return () => {
      live = false;
    };
  }, [run]);

  const setFault = async () => {
    if (await proxy.run('set', { rule: FAULT_PRESETS[preset].rule })) await refresh();
  };
  const clear = async (id?: string) => {
    if (await proxy.run('clear', id === undefined ? {} : { id })) await refresh();
  };
  const lanes = [...state.lanes.values()];
  return (
    <section className="panel fault-proxy" data-testid="fault-proxy">
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <SourceBadge source="observed" />
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          data-testid="fault-open-client"
          onClick={() => void proxy.run('connect')}
        >
          {t('openClient')}
        </button>
      </header>
      <p className="muted">{t('intro')}</p>
      {endpoint && (
        <p className="muted try-it">
          {t('tryIt')} <code data-testid="fault-nc-command">{`nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
      {proxy.error && (
        <p className="error" role="alert" data-testid="fault-error">
          {proxy.error}
        </p>
      )}
      <div className="fault-controls">
        <label>
          {t('fault')}{' '}
          <select value={preset} onChange={(e) => setPreset(e.target.value as PresetName)} data-testid="fault-preset">
            {(Object.keys(FAULT_PRESETS) as PresetName[]).map((name) => (
              <option key={name} value={name}>
                {t(FAULT_PRESETS[name].label)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void setFault()} data-testid="fault-set">
          {t('setFault')}
        </button>
        <button type="button" onClick={() => void clear()} data-testid="fault-clear-all" disabled={rules.length === 0}>
          {t('clearAll')}
        </button>
      </div>
      <h4 className="fault-subhead">{t('myFaults')}</h4>
      {rules.length === 0 ? (
        <p className="muted" data-testid="fault-none">
          {t('noFaults')}
        </p>
      ) : (
        <ul className="fault-rules">
          {rules.map((r) => (
            <li key={r.id} data-testid="fault-rule" data-fault={r.fault.type}>
              <code>{r.id}</code> {describeRule(r)}{' '}
              <button type="button" onClick={() => void clear(r.id)} aria-label={`${t('clear')} ${r.id}`}>
                {t('clear')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="fault-switches">
        <span className="muted">{t('switches')}</span>
        <button
          type="button"
          data-testid="fault-switch-accept"
          onClick={() =>
            void proxy.run('switch', { accepting: state.switches.accepting === 'open' ? 'refuse' : 'open' })
          }
        >
          {state.switches.accepting === 'open' ? t('refuse') : t('accept')}
        </button>
        <button
          type="button"
          data-testid="fault-switch-upstream"
          onClick={() => void proxy.run('switch', { upstream: state.switches.upstream === 'up' ? 'down' : 'up' })}
        >
          {state.switches.upstream === 'up' ? t('upstreamDown') : t('upstreamUp')}
        </button>
      </div>
      {lanes.length === 0 ? (
        <p className="muted">{t('noLanes')}</p>
      ) : (
        <div className="lanes">
          {lanes.slice(-12).map((lane) => (
            <FaultLaneView
              key={lane.conn}
              lane={lane}
              version={lane.version}
              onSend={(text) => proxy.run('send', { client: lane.client!, text })}
              onClose={() => proxy.run('close', { client: lane.client! })}
            />
          ))}
        </div>
      )}
      {state.closed.length > 0 && (
        <details className="closed-lanes">
          <summary>
            {t('closed')} ({state.closed.length})
          </summary>
          <ul>
            {state.closed.map((lane) => (
              <li key={lane.conn} data-testid="fault-closed-lane" data-conn={lane.conn}>
                <code>{lane.conn}</code> {lane.client ?? t('otherClient')} · {formatClock(lane.openedAt)} →{' '}
                {formatClock(lane.closedAt ?? 0)} · {lane.items.filter((i) => i.kind === 'fault').length} {t('fault')}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

interface LaneProps {
  lane: FaultLane;
  version: number;
  onSend(text: string): Promise<unknown>;
  onClose(): Promise<unknown>;
}

// A lane re-renders only when its own version changes.
const FaultLaneView = memo(
  function FaultLaneView({ lane, onSend, onClose }: LaneProps) {
    const t = useText(FAULT_UI);
    const [draft, setDraft] = useState('');
    const submit = (e: FormEvent) => {
      e.preventDefault();
      if (draft === '') return;
      void onSend(draft);
      setDraft('');
    };
    return (
      <div className="lane" data-testid="fault-lane" data-conn={lane.conn} data-client={lane.client ?? ''}>
        <div className="lane-head">
          <strong>{lane.conn}</strong>
          <span className={`tag ${lane.client ? 'lab' : 'external'}`}>
            {lane.client ? `${t('yourClient')} ${lane.client}` : t('otherClient')}
          </span>
          <span className="muted">:{lane.remotePort}</span>
        </div>
        <ol className="messages" tabIndex={0} aria-label={`${t('laneItems')} ${lane.conn}`}>
          {lane.items.slice(-16).map((item) =>
            item.kind === 'data' ? (
              <li
                key={item.seq}
                className={`msg ${item.dir === 'sent' ? 'in' : 'out'}`}
                data-testid="fault-lane-data"
                data-dir={item.dir}
              >
                <time>{formatClock(item.t)}</time>
                <span className="dir" title={item.dir === 'sent' ? t('sent') : t('received')}>
                  {item.dir === 'sent' ? '→' : '←'}
                </span>
                <span className="bytes">{visibleText(bytesFromBase64(item.b64))}</span>
                <span className="muted len">{item.len} B</span>
              </li>
            ) : (
              <li
                key={item.seq}
                className="msg fault-item"
                data-testid="fault-lane-fault"
                data-fault={item.fault}
                data-action={item.action}
              >
                <time>{formatClock(item.t)}</time>
                <span className="dir" aria-hidden="true">
                  ⚡
                </span>
                <span className="bytes">
                  {item.fault} · {t(ACTION_TEXT[item.action])} · {item.dir === 'up' ? t('up') : t('down')}
                </span>
                <span className="muted len">{item.bytes === undefined ? '' : `${item.bytes} B`}</span>
              </li>
            ),
          )}
        </ol>
        {lane.client && (
          <form className="lane-input" onSubmit={submit}>
            <input
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('message')}
              aria-label={t('message')}
              data-testid="fault-lane-input"
            />
            <button type="submit">{t('send')}</button>
            <button type="button" onClick={() => void onClose()}>
              {t('closeConn')}
            </button>
          </form>
        )}
      </div>
    );
  },
  (a, b) => a.version === b.version,
);
