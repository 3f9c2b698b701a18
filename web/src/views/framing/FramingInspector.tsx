// Lesson 3's view: the three framing servers. Per connection: its read chunks and decoded frames on one byte strip,
// the decoder's state (what it waits for, bytes buffered, length expected, frames out), frames as text, bad frames
// in red. Browser clients send stuck-together messages, pieces of frames, or bad bytes on purpose.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { FRAMING_DEMO, FRAMING_SERVER_CONFIGS } from '@core/protocol/demos/framing';
import type { FramingServerMode } from '@core/protocol/events/frame';
import { useLab, useLabConnection, useText } from '../../app/labContext';
import { FRAMING_UI, type FramingUiKey } from '../../i18n/framingText';
import { useEventFold } from '../../store/useEventFold';
import { drawRuler, rulerHeight, type RulerRow } from '../common/byteRulerDrawing';
import { bytesFromBase64, formatBytes, visibleText } from '../common/bytesFormat';
import { framingFold, stripWindow, type FramedConn } from './framingModel';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand, type DemoCommandRunner } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import '../common/byteRuler.css';
import './framingInspector.css';
import { useElementWidth } from '../common/useElementWidth';

const MODES: { mode: FramingServerMode; key: FramingUiKey }[] = [
  { mode: 'fixed', key: 'modeFixed' },
  { mode: 'delimiter', key: 'modeDelimiter' },
  { mode: 'length-prefix', key: 'modeLength' },
];

/** Bad bytes per mode: [label, hex, repeat, end the stream after]. */
const BAD_INPUT: Record<
  FramingServerMode,
  { key: FramingUiKey; id: string; hex: string; repeat: number; end: boolean }[]
> = {
  'length-prefix': [
    { key: 'badLarge', id: 'too-large', hex: '00100001', repeat: 1, end: false },
    { key: 'badCut', id: 'cut', hex: '0000000a616263', repeat: 1, end: true },
  ],
  delimiter: [
    { key: 'badLine', id: 'long-line', hex: '61', repeat: 5000, end: false },
    { key: 'badCut', id: 'cut', hex: '616263', repeat: 1, end: true },
  ],
  fixed: [{ key: 'badCut', id: 'cut', hex: '616263', repeat: 1, end: true }],
};

interface MyClient {
  client: string;
  conn: string | null;
  mode: FramingServerMode;
}

export default function FramingInspector({ demos }: ViewProps) {
  const demo = demos.includes(FRAMING_DEMO) ? FRAMING_DEMO : (demos[0] ?? FRAMING_DEMO);
  const fold = useMemo(() => framingFold(demo), [demo]);
  const state = useEventFold(fold, 15);
  const { status } = useLabConnection();
  const framing = useDemoCommand(FRAMING_DEMO);
  const t = useText(FRAMING_UI);
  const [mode, setMode] = useState<FramingServerMode>('length-prefix');
  const [mine, setMine] = useState<MyClient[]>([]);
  const endpoints = status?.demos.find((d) => d.id === demo)?.endpoints ?? [];
  const endpoint = endpoints.find((e) => e.name === mode);

  const openClient = async () => {
    const r = await framing.run('connect', { mode });
    if (r) setMine((m) => [...m, { client: r.client, conn: r.conn, mode: r.mode }]);
  };

  // A connection's mode is known from its port or its frames; until then, by its id's prefix.
  const modeOf = (c: FramedConn): FramingServerMode | null =>
    c.mode ??
    (c.conn.startsWith('fx')
      ? 'fixed'
      : c.conn.startsWith('dl')
        ? 'delimiter'
        : c.conn.startsWith('lp')
          ? 'length-prefix'
          : null);
  const conns = [...state.conns.values()]
    .filter((c) => modeOf(c) === mode)
    .sort((a, b) => Number(a.closed) - Number(b.closed) || b.openedAt - a.openedAt);
  const config = FRAMING_SERVER_CONFIGS[mode];

  return (
    <section className="panel framing-inspector" data-testid="framing-inspector">
      <header className="panel-head">
        <h3>{t('inspectorTitle')}</h3>
        <SourceBadge source="observed" />
      </header>
      <div className="tabs framing-tabs" role="tablist">
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            role="tab"
            aria-selected={mode === m.mode}
            data-testid={`mode-${m.mode}`}
            onClick={() => setMode(m.mode)}
          >
            {t(m.key)}
          </button>
        ))}
      </div>
      <p className="muted framing-config" data-testid="framing-config">
        {config.mode === 'fixed' && `${config.size} B records, padded with 0x00`}
        {config.mode === 'delimiter' && `"\\n" ends a line (a "\\r" before it is dropped), at most ${config.maxLine} B`}
        {config.mode === 'length-prefix' &&
          `4-byte big-endian length, then the payload; at most ${formatBytes(config.maxFrame)}`}
        {endpoint && (
          <>
            {' · '}
            <code data-testid="try-command">{endpoint.tryWith ?? `nc ${endpoint.host} ${endpoint.port}`}</code>
          </>
        )}
      </p>
      <div className="panel-head">
        <button type="button" className="primary" onClick={openClient} data-testid="open-framing-client">
          {t('openClient')}
        </button>
      </div>
      {framing.error && (
        <p className="error" role="alert" data-testid="framing-error">
          {framing.error}
        </p>
      )}
      {conns.length === 0 && <p className="muted">{t('noConns')}</p>}
      <div className="framed-conns">
        {conns.map((c) => {
          const client = mine.find((m) => m.conn === c.conn);
          return <ConnCard key={c.conn} c={c} version={c.version} client={client} framing={framing.run} />;
        })}
      </div>
    </section>
  );
}

interface ConnCardProps {
  c: FramedConn;
  version: number;
  client: MyClient | undefined;
  /** The inspector's command runner: a card's failures show at the top, with the inspector's own. */
  framing: DemoCommandRunner<typeof FRAMING_DEMO>['run'];
}

const ConnCard = memo(
  function ConnCard({ c, client, framing }: ConnCardProps) {
    const t = useText(FRAMING_UI);
    const { language } = useLab();
    const [draft, setDraft] = useState('hello\nsticky\npackets');
    const mode = c.mode ?? client?.mode ?? 'length-prefix';
    const messages = draft.split('\n').filter((m, i, all) => m !== '' || i < all.length - 1);
    const st = c.state;
    return (
      <div
        className={`framed-conn${c.error ? ' failed' : ''}`}
        data-testid="framed-conn"
        data-conn={c.conn}
        data-mine={client ? 'true' : 'false'}
        data-closed={c.closed ? 'true' : 'false'}
      >
        <div className="lane-head">
          <strong>{c.conn}</strong>
          <span className={`tag ${client ? 'lab' : 'external'}`}>
            {client ? `${t('yours')} ${client.client}` : t('external')}
          </span>
          {c.remote.port > 0 && (
            <span className="muted">
              {c.remote.host}:{c.remote.port}
            </span>
          )}
          {c.closed && <span className="tag">{t('closedConn')}</span>}
        </div>
        <DecoderStatePanel c={c} />
        <ByteStrip c={c} />
        {c.error && (
          <p className="error frame-error" role="alert" data-testid="frame-error" data-code={c.error.error.code}>
            <b>{c.error.error.code}</b> {c.error.error.message[language]}
            {c.error.error.detail && <span className="muted"> — {c.error.error.detail}</span>}{' '}
            <span className="muted">@ {c.error.offset}</span>
          </p>
        )}
        <ol className="frame-list" data-testid="frame-list" tabIndex={0} aria-label={`${c.conn}: ${t('framesRow')}`}>
          {c.frames.slice(-12).map((f) => (
            <li key={f.index} data-testid="frame-row" data-index={f.index}>
              <span className="muted">#{f.index}</span>
              <span className="bytes">
                {visibleText(bytesFromBase64(f.b64))}
                {f.clipped ? '…' : ''}
              </span>
              <span className="muted">
                {f.payloadLen} B / {f.wireLen} B
              </span>
              {f.zeroCopy && <span className="tag zero-copy">0-copy</span>}
            </li>
          ))}
        </ol>
        {c.elided > 0 && (
          <p className="muted small">
            +{c.elided} {t('elided')}
          </p>
        )}
        {client && !c.closed && (
          <div className="framing-client">
            <label className="muted small">
              {t('messagesLabel')}
              <textarea
                value={draft}
                rows={3}
                onChange={(e) => setDraft(e.target.value)}
                data-testid="framing-messages"
              />
            </label>
            <div className="framing-buttons">
              <button
                type="button"
                data-testid="framing-send"
                onClick={() => void framing('send', { client: client.client, messages })}
              >
                {t('send')}
              </button>
              <button
                type="button"
                data-testid="framing-send-pieces"
                onClick={() =>
                  void framing('send', { client: client.client, messages, chunkBytes: 3, chunkDelayMs: 150 })
                }
              >
                {t('sendPieces')}
              </button>
              {BAD_INPUT[mode].map((b) => (
                <button
                  key={b.id}
                  type="button"
                  className="bad"
                  data-testid={`bad-${b.id}`}
                  onClick={() =>
                    void framing('sendRaw', { client: client.client, hex: b.hex, repeat: b.repeat, end: b.end })
                  }
                >
                  {t(b.key)}
                </button>
              ))}
              <button type="button" className="ghost" onClick={() => void framing('close', { client: client.client })}>
                {t('closeClient')}
              </button>
            </div>
          </div>
        )}
        {st === null && !c.error && <p className="muted small">…</p>}
      </div>
    );
  },
  (a, b) => a.version === b.version && a.client === b.client,
);

function DecoderStatePanel({ c }: { c: FramedConn }) {
  const t = useText(FRAMING_UI);
  const st = c.state;
  if (!st) return null;
  const phaseKey: Record<typeof st.phase, FramingUiKey> = {
    header: 'phaseHeader',
    body: 'phaseBody',
    record: 'phaseRecord',
    line: 'phaseLine',
    failed: 'phaseFailed',
    ended: 'phaseEnded',
  };
  const fill = st.expectedLength ? Math.min(1, st.bufferedBytes / Math.max(1, st.expectedLength)) : 0;
  return (
    <dl
      className="decoder-state"
      data-testid="decoder-state"
      data-phase={st.phase}
      data-buffered={st.bufferedBytes}
      data-frames={st.framesOut}
    >
      <div>
        <dt>{t('phase')}</dt>
        <dd data-testid="decoder-phase">{t(phaseKey[st.phase])}</dd>
      </div>
      <div>
        <dt>{t('buffered')}</dt>
        <dd>
          <span data-testid="decoder-buffered">{st.bufferedBytes}</span> B
          {st.mode === 'length-prefix' && st.phase === 'header' && st.headerBytes > 0
            ? ` (${st.headerBytes}/4 header)`
            : ''}
          {st.expectedLength !== null && <meter min={0} max={1} value={fill} aria-label={t('buffered')} />}
        </dd>
      </div>
      <div>
        <dt>{t('expected')}</dt>
        <dd data-testid="decoder-expected">{st.expectedLength === null ? '—' : `${st.expectedLength} B`}</dd>
      </div>
      <div>
        <dt>{t('framesOut')}</dt>
        <dd data-testid="decoder-frames">{st.framesOut}</dd>
      </div>
      <div>
        <dt>{t('bytesIn')}</dt>
        <dd>{formatBytes(st.bytesIn)}</dd>
      </div>
      <div>
        <dt>{t('zeroCopy')}</dt>
        <dd>
          {st.zeroCopyFrames}/{st.framesOut}
        </dd>
      </div>
      <div>
        <dt>{t('overhead')}</dt>
        <dd data-testid="decoder-overhead">
          {c.overheadBytes} B / {c.payloadBytes} B
        </dd>
      </div>
    </dl>
  );
}

function ByteStrip({ c }: { c: FramedConn }) {
  const t = useText(FRAMING_UI);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [boxRef, width] = useElementWidth(260, 500);
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const css = getComputedStyle(canvas);
    const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
    const rows: RulerRow[] = [
      { label: t('framesRow'), spans: c.frameSpans, fills: [v('--out'), v('--out-2')] },
      { label: t('readChunks'), spans: c.reads, fills: [v('--in'), v('--in-2')] },
    ];
    if (c.error)
      rows.push({
        label: c.error.error.code,
        spans: [{ offset: c.error.offset, len: Math.max(1, c.bytesSeen - c.error.offset) }],
        fills: [v('--err'), v('--err')],
      });
    const dpr = window.devicePixelRatio || 1;
    const height = rulerHeight(rows.length);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawRuler(ctx, width, rows, c.frameSpans, stripWindow(c), {
      fg: v('--fg'),
      muted: v('--fg-muted'),
      border: v('--border'),
      cut: v('--warn'),
    });
  }, [c, c.version, width, t]);
  return (
    <div ref={boxRef} className="ruler-box">
      <canvas
        ref={canvasRef}
        data-testid="byte-strip"
        role="img"
        aria-label={`${c.conn}: ${c.frameSpans.length} ${t('framesRow')}, ${c.reads.length} ${t('readChunks')}`}
      />
      {c.readsMissing && <p className="muted small">(some reads were not reported individually)</p>}
    </div>
  );
}
