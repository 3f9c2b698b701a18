// Lessons 23–25's bytes view: a request builder and malformed requests on one side; per connection the bytes each
// way as the socket carried them, split into start line, headers, blank line and body (chunk sizes marked), each
// part tagged with the captured segments it travelled in, the handshakes seen, and why the parser refused.
import { useMemo, useState } from 'react';
import { HTTP_DEMO, HTTP_RAW_PRESETS, type HttpRawPreset, type HttpSendMode } from '@core/protocol/demos/http';
import type { HttpExchangeResult } from '@core/protocol/demos/http';
import type { HttpMessageParts, HttpStreamSplit } from '@core/http/httpMessageSplit';
import { useLab, useLabConnection, useText } from '../../app/labContext';
import { HTTP_UI, type HttpUiKey } from '../../i18n/httpText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand } from '../common/useDemoCommand';
import { formatBytes, visibleText } from '../common/bytesFormat';
import type { ViewProps } from '../viewRegistry';
import {
  handshakeCount,
  httpFold,
  segmentSpans,
  segmentsOver,
  splitConn,
  type HttpConnView,
  type SegmentSpan,
  timeAt,
} from './httpExchangeModel';
import './http.css';

const RAW_LABEL: Record<HttpRawPreset, HttpUiKey> = {
  'bad-start-line': 'rawBadStart',
  'header-too-large': 'rawHeaderLarge',
  'cl-and-te': 'rawClTe',
  'duplicate-content-length': 'rawDoubleCl',
  'obfuscated-transfer-encoding': 'rawTeObfuscated',
  'huge-body': 'rawHuge',
  slowloris: 'rawSlowloris',
};

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

function parseHeaders(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
}

export default function HttpBytes({ demos }: ViewProps) {
  const demo = demos.includes(HTTP_DEMO) ? HTTP_DEMO : (demos[0] ?? HTTP_DEMO);
  const fold = useMemo(() => httpFold(demo), [demo]);
  const state = useEventFold(fold, 15);
  const { status } = useLabConnection();
  const http = useDemoCommand(HTTP_DEMO);
  const t = useText(HTTP_UI);
  const [method, setMethod] = useState<Method>('GET');
  const [path, setPath] = useState('/hello');
  const [headers, setHeaders] = useState('');
  const [body, setBody] = useState('');
  const [count, setCount] = useState(1);
  const [mode, setMode] = useState<HttpSendMode>('keep-alive');
  const [result, setResult] = useState<HttpExchangeResult | null>(null);
  // Counts answers, so a walk (or a screen reader) can tell a new result from the same text again.
  const [answers, setAnswers] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const endpoint = status?.demos.find((d) => d.id === demo)?.endpoints[0];

  const send = async (args: {
    method: Method;
    path: string;
    count: number;
    mode: HttpSendMode;
    headers?: [string, string][];
    body?: string;
    then?: string[];
  }) => {
    const r = await http.run('send', { headers: [], body: '', ...args });
    if (r) {
      setResult(r);
      setAnswers((n) => n + 1);
      setSelected(r.conns.at(-1) ?? null);
    }
  };
  const raw = async (preset: HttpRawPreset) => {
    const r = await http.run('raw', { preset });
    if (r) {
      setResult(r);
      setAnswers((n) => n + 1);
      setSelected(r.conns.at(-1) ?? null);
    }
  };

  const conns = [...state.conns.values()].reverse();
  const shown = conns.find((c) => c.conn === selected) ?? conns[0];

  return (
    <section className="panel http-bytes" data-testid="http-bytes">
      <header className="panel-head">
        <h3>{t('bytesTitle')}</h3>
        <SourceBadge source="observed" />
      </header>
      {endpoint?.tryWith && (
        <p className="muted">
          <code data-testid="http-try">{endpoint.tryWith}</code>
        </p>
      )}
      <form
        className="http-builder"
        aria-label={t('builder')}
        onSubmit={(e) => {
          e.preventDefault();
          void send({ method, path, count, mode, headers: parseHeaders(headers), body });
        }}
      >
        <label>
          {t('method')}
          <select value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="http-method">
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          {t('path')}
          <input value={path} onChange={(e) => setPath(e.target.value)} data-testid="http-path" />
        </label>
        <label>
          {t('count')}
          <input
            type="number"
            min={1}
            max={5}
            value={count}
            onChange={(e) => setCount(Math.min(5, Math.max(1, Number(e.target.value) || 1)))}
            data-testid="http-count"
          />
        </label>
        <label>
          {t('mode')}
          <select value={mode} onChange={(e) => setMode(e.target.value as HttpSendMode)} data-testid="http-mode">
            <option value="keep-alive">{t('modeKeepAlive')}</option>
            <option value="close">{t('modeClose')}</option>
            <option value="pipeline">{t('modePipeline')}</option>
          </select>
        </label>
        <label className="wide">
          {t('headers')}
          <textarea rows={2} value={headers} onChange={(e) => setHeaders(e.target.value)} data-testid="http-headers" />
        </label>
        <label className="wide">
          {t('body')}
          <textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} data-testid="http-body" />
        </label>
        <button type="submit" className="primary" disabled={http.pending} data-testid="http-send">
          {http.pending ? t('sending') : t('send')}
        </button>
      </form>
      <div className="http-presets" role="group" aria-label={t('presets')}>
        <span className="muted">{t('presets')}:</span>
        <button
          type="button"
          data-testid="preset-keep-alive"
          disabled={http.pending}
          onClick={() => void send({ method: 'GET', path: '/hello', count: 3, mode: 'keep-alive' })}
        >
          {t('presetKeepAlive')}
        </button>
        <button
          type="button"
          data-testid="preset-close"
          disabled={http.pending}
          onClick={() => void send({ method: 'GET', path: '/hello', count: 3, mode: 'close' })}
        >
          {t('presetClose')}
        </button>
        <button
          type="button"
          data-testid="preset-chunked"
          disabled={http.pending}
          onClick={() => void send({ method: 'GET', path: '/chunked?n=3&ms=200', count: 1, mode: 'keep-alive' })}
        >
          {t('presetChunked')}
        </button>
        <button
          type="button"
          data-testid="preset-pipeline"
          disabled={http.pending}
          onClick={() =>
            void send({ method: 'GET', path: '/slow?ms=1000', count: 1, mode: 'pipeline', then: ['/hello', '/hello'] })
          }
        >
          {t('presetPipeline')}
        </button>
      </div>
      <div className="http-presets" role="group" aria-label={t('malformed')}>
        <span className="muted">{t('malformed')}:</span>
        {HTTP_RAW_PRESETS.map((p) => (
          <button key={p} type="button" data-testid={`raw-${p}`} disabled={http.pending} onClick={() => void raw(p)}>
            {t(RAW_LABEL[p])}
          </button>
        ))}
      </div>
      {http.error && (
        <p className="error" role="alert" data-testid="http-error">
          {http.error}
        </p>
      )}
      {result && (
        <p className="muted" data-testid="http-result" data-sent={answers} aria-live="polite">
          {t('lastResult')}: {result.statusLines.join(' · ') || '—'} ({formatBytes(result.bytesReceived)})
        </p>
      )}
      <h4>{t('connections')}</h4>
      {conns.length === 0 && <p className="muted">{t('noConns')}</p>}
      <div className="tabs http-conn-tabs" role="tablist" aria-label={t('connections')}>
        {conns.slice(0, 12).map((c) => (
          <button
            key={c.conn}
            type="button"
            role="tab"
            aria-selected={c === shown}
            data-testid="http-conn-tab"
            data-conn={c.conn}
            onClick={() => setSelected(c.conn)}
          >
            {c.conn} · {c.requests.length} {t('requests')}
          </button>
        ))}
      </div>
      {shown && <ConnBytes c={shown} segments={state.segments.get(shown.client) ?? []} />}
    </section>
  );
}

function ConnBytes({ c, segments }: { c: HttpConnView; segments: Parameters<typeof segmentSpans>[0] }) {
  const t = useText(HTTP_UI);
  const { language } = useLab();
  const split = splitConn(c);
  const spans = segmentSpans(segments);
  const handshakes = handshakeCount(segments);
  return (
    <div
      className="http-conn"
      data-testid="http-conn"
      data-conn={c.conn}
      data-handshakes={handshakes}
      data-requests={c.requests.length}
      data-closed={c.closed ? 'true' : 'false'}
    >
      <p className="lane-head">
        <strong>{c.conn}</strong>{' '}
        <span className="muted">
          {c.client} → {c.server}
        </span>{' '}
        <span className="tag">{c.closed ? t('closed') : t('open')}</span>{' '}
        <span data-testid="http-handshakes">
          {handshakes} {t('handshakes')}
        </span>{' '}
        <SourceBadge source="captured" /> · <span data-testid="http-request-count">{c.requests.length}</span>{' '}
        {t('requests')}
      </p>
      {c.rejected && (
        <div className="error http-rejected" role="alert" data-testid="http-rejected" data-code={c.rejected.parserCode}>
          <b>
            {t('rejectedTitle')}: {c.rejected.status ?? '—'} · {c.rejected.parserCode}
          </b>{' '}
          <span className="muted">
            ({c.rejected.reason}, @ {c.rejected.offset} B)
          </span>
          <p>{c.rejected.why[language]}</p>
        </div>
      )}
      {segments.length === 0 && <p className="muted small">{t('noCapture')}</p>}
      <StreamParts title={t('clientToServer')} dir="in" split={split.requests} c={c} spans={spans} />
      <StreamParts title={t('serverToClient')} dir="out" split={split.responses} c={c} spans={spans} />
    </div>
  );
}

interface StreamPartsProps {
  title: string;
  dir: 'in' | 'out';
  split: HttpStreamSplit;
  c: HttpConnView;
  spans: SegmentSpan[];
}

function StreamParts({ title, dir, split, c, spans }: StreamPartsProps) {
  const t = useText(HTTP_UI);
  const stream = c[dir];
  const bytes = stream.bytes;
  const text = (start: number, end: number) => visibleText(bytes.subarray(start, end));
  const seg = (start: number, end: number) => {
    const over = segmentsOver(spans, dir, { start, end });
    return over.length === 0 ? null : (
      <span className="http-seg" data-testid="http-seg" title={t('segment')}>
        {over.map((s) => `#${s.index}`).join(' ')}
      </span>
    );
  };
  const row = (kind: string, label: string, start: number, end: number, extra?: string) => (
    <li key={`${kind}-${start}`} className={`http-part http-${kind}`} data-testid="http-part" data-kind={kind}>
      <span className="http-part-label">{label}</span>
      <code className="http-part-bytes">{text(start, end)}</code>
      {extra && <span className="http-part-extra">{extra}</span>}
      {seg(start, end)}
    </li>
  );
  const message = (m: HttpMessageParts, i: number) => {
    const at = timeAt(stream, m.start);
    const ms = at === null ? null : Math.max(0, at - c.openedAt);
    return (
      <li
        key={i}
        className="http-message"
        data-testid="http-message"
        data-framing={m.framing}
        data-dir={dir}
        data-at-ms={ms === null ? '' : Math.round(ms)}
      >
        {ms !== null && <span className="http-message-time muted">+{ms.toFixed(1)} ms</span>}
        <ol className="http-parts">
          {row('start', t('startLine'), m.startLine.start, m.startLine.end)}
          {m.headers.map((h) => row('header', t('header'), h.start, h.end))}
          {row('blank', t('blank'), m.blank.start, m.blank.end)}
          {m.framing === 'chunked'
            ? m.chunks.flatMap((ch) => [
                row(
                  'chunk-size',
                  ch.size === 0 ? t('lastChunk') : t('chunkSize'),
                  ch.sizeLine.start,
                  ch.sizeLine.end,
                  `0x${ch.size.toString(16)} = ${ch.size} B`,
                ),
                ...(ch.size > 0 ? [row('chunk-data', t('bodyPart'), ch.data.start, ch.end.end)] : []),
              ])
            : m.body.end > m.body.start
              ? [
                  row(
                    'body',
                    `${t('bodyPart')} (${m.framing})`,
                    m.body.start,
                    m.body.end,
                    `${m.body.end - m.body.start} B`,
                  ),
                ]
              : []}
          {m.trailer && m.trailer.end > m.trailer.start && row('blank', t('blank'), m.trailer.start, m.trailer.end)}
        </ol>
      </li>
    );
  };
  return (
    <div className="http-stream" data-dir={dir}>
      <h5>
        {title}{' '}
        <span className="muted">
          {formatBytes(bytes.length)}
          {stream.total > bytes.length ? ` ${t('shownOf')} ${formatBytes(stream.total)}` : ''}
        </span>
      </h5>
      <ol className="http-messages" tabIndex={0} aria-label={title}>
        {split.messages.map(message)}
        {split.rest && (
          <li className="http-message" data-testid="http-message" data-framing="rest">
            <ol className="http-parts">
              {row(
                split.rest.why === 'unparsed' ? 'unparsed' : 'incomplete',
                split.rest.why === 'unparsed' ? t('unparsed') : t('incomplete'),
                split.rest.start,
                Math.min(split.rest.end, split.rest.start + 2048),
              )}
            </ol>
          </li>
        )}
      </ol>
    </div>
  );
}
