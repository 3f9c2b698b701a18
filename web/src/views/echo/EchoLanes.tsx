// Lesson 1's main view: every connection to the echo server as a lane, with what was sent and echoed,
// text or hex, timestamps and counters. Browser-opened clients get an input to type into.
import { memo, useMemo, useState, type FormEvent } from 'react';
import { ECHO_DEMO } from '@core/protocol/demos/echo';
import { isGoRunDemo } from '@core/protocol/demos/goRun';
import { useLabConnection, useText } from '../../app/labContext';
import { useEventFold } from '../../store/useEventFold';
import { bytesFromBase64, formatBytes, formatClock, hexBytes, visibleText } from '../common/bytesFormat';
import { echoLanesFold, type Lane } from './echoLanesModel';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';

const FULL_LANES_MAX = 12;

export default function EchoLanes({ demos }: ViewProps) {
  const demo = demos.includes(ECHO_DEMO) ? ECHO_DEMO : (demos[0] ?? ECHO_DEMO);
  const fold = useMemo(() => echoLanesFold(demo), [demo]);
  // Re-render rate follows the crowd: many busy lanes are summarised and refreshed a few times a second.
  const [crowded, setCrowded] = useState(false);
  const state = useEventFold(fold, crowded ? 4 : 20);
  if (crowded !== state.open.size > FULL_LANES_MAX) setCrowded(state.open.size > FULL_LANES_MAX);
  const { status } = useLabConnection();
  const echo = useDemoCommand(ECHO_DEMO);
  const t = useText();
  const [mine, setMine] = useState<Set<string>>(new Set());
  const [hex, setHex] = useState(false);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];
  // A student's Go program (the Go tab): its connections come from the kernel's socket table and captured payload,
  // and the lab's clients talk to the echo demo, not to it.
  const goRun = isGoRunDemo(demo);

  const openClient = async () => {
    const r = await echo.run('connect');
    if (r) setMine((m) => new Set(m).add(r.client));
  };

  const lanes = [...state.open.values()];
  return (
    <section className="panel echo-lanes" data-testid="echo-lanes">
      <header className="panel-head">
        <h3>
          {t('openConnections')}{' '}
          <span className="count" data-testid="open-count">
            {lanes.length}
          </span>
        </h3>
        {goRun ? (
          <>
            <SourceBadge source="polled" />
            <SourceBadge source="captured" />
          </>
        ) : (
          <SourceBadge source="observed" />
        )}
        <span className="spacer" />
        <label className="toggle">
          <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} /> {t('showHex')}
        </label>
        {!goRun && (
          <button type="button" className="primary" onClick={openClient} data-testid="open-client">
            {t('openClient')}
          </button>
        )}
      </header>
      {echo.error && (
        <p className="error" role="alert">
          {echo.error}
        </p>
      )}
      {endpoint && (
        <p className="muted try-it">
          {lanes.length === 0 ? t('noConnections') : t('tryIt')}{' '}
          <code data-testid="nc-command">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
        </p>
      )}
      {lanes.length <= FULL_LANES_MAX ? (
        <div className="lanes">
          {lanes.map((lane) => (
            <LaneView
              key={lane.conn}
              lane={lane}
              version={lane.version}
              hex={hex}
              owned={lane.clientLabel !== undefined && mine.has(lane.clientLabel)}
              onSend={(text) => echo.run('send', { client: lane.clientLabel!, text })}
              onClose={() => echo.run('close', { client: lane.clientLabel! })}
            />
          ))}
        </div>
      ) : (
        <CompactLanes lanes={lanes} />
      )}
      {state.closed.length > 0 && (
        <details className="closed-lanes">
          <summary>
            {t('closedConnections')} ({state.closed.length})
          </summary>
          <ul>
            {state.closed.map((lane) => (
              <li key={lane.conn} data-testid="closed-lane" data-conn={lane.conn}>
                <code>{lane.conn}</code> {lane.remote.host}:{lane.remote.port} · {formatClock(lane.openedAt)} →{' '}
                {formatClock(lane.closedAt ?? 0)} ·{' '}
                {lane.closeReason === 'eof'
                  ? t('reasonEof')
                  : lane.closeReason === 'local'
                    ? t('reasonLocal')
                    : t('reasonError')}{' '}
                · {t('bytesIn')} {formatBytes(lane.bytesIn)}, {t('bytesOut')} {formatBytes(lane.bytesOut)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

interface LaneProps {
  lane: Lane;
  version: number;
  hex: boolean;
  owned: boolean;
  onSend(text: string): Promise<unknown>;
  onClose(): Promise<unknown>;
}

// Lanes re-render only when their own version changes: 100 busy connections must not re-render each other.
const LaneView = memo(
  function LaneView({ lane, hex, owned, onSend, onClose }: LaneProps) {
    const t = useText();
    const [draft, setDraft] = useState('');
    const submit = (e: FormEvent) => {
      e.preventDefault();
      if (draft === '') return;
      void onSend(draft);
      setDraft('');
    };
    return (
      <div className="lane" data-testid="lane" data-conn={lane.conn} data-client={lane.clientLabel ?? ''}>
        <div className="lane-head">
          <strong>{lane.conn}</strong>
          <span className={`tag ${lane.clientLabel ? 'lab' : 'external'}`}>
            {lane.clientLabel ? `${t('browserClient')} ${lane.clientLabel}` : t('externalClient')}
          </span>
          <span className="muted">
            {lane.remote.host}:{lane.remote.port} → :{lane.local.port} · {t('opened')} {formatClock(lane.openedAt)}
          </span>
          <span className="spacer" />
          <span className="counters" data-testid="lane-counters">
            ↓ {formatBytes(lane.bytesIn)} ({lane.readsIn} {t('reads')}) · ↑ {formatBytes(lane.bytesOut)} (
            {lane.writesOut} {t('writes')})
          </span>
        </div>
        {lane.paused && <p className="warn-text">{t('paused')}</p>}
        <ol
          className="messages"
          tabIndex={0}
          aria-label={`${t('laneMessages')} ${lane.remote.host}:${lane.remote.port}`}
        >
          {lane.messages.slice(-12).map((m) => {
            const bytes = bytesFromBase64(m.b64);
            return (
              <li key={`${m.seq}`} className={`msg ${m.dir}`} data-testid="lane-message" data-dir={m.dir}>
                <time>{formatClock(m.t)}</time>
                <span className="dir" title={m.dir === 'in' ? t('sentByClient') : t('echoedByServer')}>
                  {m.dir === 'in' ? '→' : '←'}
                </span>
                <span className="bytes">{hex ? hexBytes(bytes) : visibleText(bytes)}</span>
                <span className="muted len">
                  {m.len} B{m.clipped ? ' …' : ''}
                </span>
              </li>
            );
          })}
        </ol>
        {owned && (
          <form className="lane-input" onSubmit={submit}>
            <input
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('messagePlaceholder')}
              data-testid="lane-input"
              aria-label={t('messagePlaceholder')}
            />
            <button type="submit">{t('send')}</button>
            <button type="button" onClick={() => void onClose()} data-testid="lane-close">
              {t('closeConn')}
            </button>
          </form>
        )}
      </div>
    );
  },
  (a, b) => a.version === b.version && a.hex === b.hex && a.owned === b.owned,
);

function CompactLanes({ lanes }: { lanes: Lane[] }) {
  const t = useText();
  const totalIn = lanes.reduce((s, l) => s + l.bytesIn, 0);
  return (
    <div className="compact-lanes" role="region" tabIndex={0} aria-label={t('manyConnectionsRegion')}>
      <p className="muted">
        {lanes.length} {t('manyConnections')} · ↓ {formatBytes(totalIn)}
      </p>
      <table>
        <tbody>
          {lanes.slice(0, 200).map((l) => (
            <tr key={l.conn} data-testid="lane" data-conn={l.conn} data-client={l.clientLabel ?? ''}>
              <td>{l.conn}</td>
              <td>
                {l.remote.host}:{l.remote.port}
              </td>
              <td>↓ {formatBytes(l.bytesIn)}</td>
              <td>↑ {formatBytes(l.bytesOut)}</td>
              <td>
                {l.readsIn}/{l.writesOut}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
