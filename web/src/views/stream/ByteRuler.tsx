// Lesson 2's view: run the stream demo with chosen knobs and see one byte stream cut three ways — the sender's
// writes above, captured TCP segments between (when capture runs), the receiver's reads below — TCP beside UDP.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { STREAM_DEMO } from '@core/protocol/demos/stream';
import type { ByteSpan } from '@core/protocol/events/stream';
import { useLab, useText } from '../../app/labContext';
import { FRAMING_UI } from '../../i18n/framingText';
import { useEventFold } from '../../store/useEventFold';
import { formatBytes } from '../common/bytesFormat';
import { drawRuler, rulerHeight, type RulerRow } from '../common/byteRulerDrawing';
import { readContents, segmentsOf, streamRunsFold, type CaptureInfo, type RunView } from './streamRunsModel';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand, wireErrorText } from '../common/useDemoCommand';
import { PRESETS, RUN_DEFAULTS, RUN_LIMITS, type RunArgs } from './streamKnobs';
import type { ViewProps } from '../viewRegistry';
import '../common/byteRuler.css';
import { useElementWidth } from '../common/useElementWidth';

export default function ByteRuler({ demos }: ViewProps) {
  const demo = demos.includes(STREAM_DEMO) ? STREAM_DEMO : (demos[0] ?? STREAM_DEMO);
  const fold = useMemo(() => streamRunsFold(demo), [demo]);
  const state = useEventFold(fold, 15);
  const t = useText(FRAMING_UI);
  const [args, setArgs] = useState<RunArgs>(RUN_DEFAULTS);
  const stream = useDemoCommand(STREAM_DEMO);
  const busy = stream.pending;
  const run = () => stream.run('run', { ...args });
  const num = (key: keyof typeof RUN_LIMITS) => ({
    min: RUN_LIMITS[key].min,
    max: RUN_LIMITS[key].max,
    value: args[key],
    // The server refuses what its schema refuses; values typed out of range wait there for the run to say so.
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setArgs({ ...args, [key]: Number(e.target.value) }),
  });

  const shown = [state.latest.tcp, state.latest.udp]
    .map((id) => (id ? state.runs.get(id) : undefined))
    .filter((r): r is RunView => r !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt);

  return (
    <section className="panel byte-ruler" data-testid="byte-ruler">
      <header className="panel-head">
        <h3>{t('rulerTitle')}</h3>
        <SourceBadge source="observed" />
        {state.capture?.status === 'capturing' && <SourceBadge source="captured" />}
      </header>
      <div className="ruler-presets" role="group" aria-label={t('presets')}>
        <span className="muted">{t('presets')}:</span>
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="ghost"
            data-testid={`preset-${p.id}`}
            onClick={() => setArgs(p.args)}
          >
            {t(p.key)}
          </button>
        ))}
      </div>
      <form
        className="ruler-knobs"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          {t('transport')}
          <select
            value={args.transport}
            onChange={(e) => setArgs({ ...args, transport: e.target.value as RunArgs['transport'] })}
            data-testid="knob-transport"
          >
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
            <option value="both">{t('both')}</option>
          </select>
        </label>
        <label>
          {t('count')}
          <input type="number" {...num('count')} data-testid="knob-count" />
        </label>
        <label>
          {t('size')}
          <input type="number" {...num('size')} data-testid="knob-size" />
        </label>
        <label>
          {t('interval')}
          <input type="number" {...num('intervalMs')} data-testid="knob-interval" />
        </label>
        <label>
          {t('cork')}
          <input type="number" {...num('corkBatch')} data-testid="knob-cork" />
        </label>
        <label>
          {t('readPause')}
          <input type="number" {...num('readDelayMs')} data-testid="knob-read-pause" />
        </label>
        <label>
          {t('readBuffer')}
          <input type="number" {...num('readBuffer')} data-testid="knob-read-buffer" />
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={!args.noDelay}
            onChange={(e) => setArgs({ ...args, noDelay: !e.target.checked })}
            data-testid="knob-nagle"
          />
          {t('nagle')}
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="run-stream">
          {busy ? t('running') : t('run')}
        </button>
      </form>
      {stream.error && (
        <p className="error" role="alert" data-testid="run-error">
          {stream.error}
        </p>
      )}
      {shown.length === 0 && <p className="muted">{t('noRun')}</p>}
      {shown.map((r) => (
        <RunRuler
          key={r.run}
          run={r}
          version={r.version}
          segments={segmentsOf(state, r)}
          segmentCount={segmentsOf(state, r)?.length ?? 0}
          capture={state.capture}
        />
      ))}
    </section>
  );
}

interface RunRulerProps {
  run: RunView;
  version: number;
  segments: ByteSpan[] | undefined;
  segmentCount: number;
  capture: CaptureInfo | null;
}

const ZOOMS = [1, 4, 16, 64, 256];

const RunRuler = memo(
  function RunRuler({ run, segments, capture }: RunRulerProps) {
    const t = useText(FRAMING_UI);
    const { language } = useLab();
    const canvasRef = useRef<HTMLCanvasElement>(null);
    const [boxRef, width] = useElementWidth(300, 600);
    const [zoom, setZoom] = useState(1);
    const [start, setStart] = useState(0);
    const total = Math.max(run.settings.count * run.settings.size, 1);
    const span = Math.max(1, Math.ceil(total / zoom));
    const from = Math.min(start, total - span);
    const hasSegments = segments !== undefined && segments.length > 0;

    // Fills are CSS variables, resolved at draw time so the theme applies. run.version changes with its spans.
    const rows = useMemo<{ label: string; spans: readonly ByteSpan[]; vars: [string, string] }[]>(() => {
      const out: { label: string; spans: readonly ByteSpan[]; vars: [string, string] }[] = [
        { label: t('rowWrites'), spans: run.writes, vars: ['--out', '--out-2'] },
      ];
      if (hasSegments) out.push({ label: t('rowSegments'), spans: segments, vars: ['--captured', '--captured-2'] });
      out.push({
        label: run.transport === 'udp' ? t('rowDatagrams') : t('rowReads'),
        spans: sortedSpans(run.reads),
        vars: ['--in', '--in-2'],
      });
      return out;
      // The run and its segment list are folded in place: their version and length say when they changed.
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [run, run.version, segments?.length, hasSegments, t]);

    useEffect(() => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const css = getComputedStyle(canvas);
      const v = (name: string) => css.getPropertyValue(name).trim();
      const resolved: RulerRow[] = rows.map((r) => ({
        label: r.label,
        spans: r.spans,
        fills: [v(r.vars[0]) || '#888', v(r.vars[1]) || '#666'],
      }));
      const dpr = window.devicePixelRatio || 1;
      const height = rulerHeight(rows.length);
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawRuler(
        ctx,
        width,
        resolved,
        run.writes,
        { from, to: from + span },
        { fg: v('--fg'), muted: v('--fg-muted'), border: v('--border'), cut: v('--err') },
      );
    }, [rows, width, from, span, run.writes]);

    const s = run.summary;
    const reads = run.reads.length;
    const label = `${run.transport.toUpperCase()} ${run.run}: ${run.writes.length} ${t('writes')}, ${hasSegments ? `${run.segments ?? segments.length} ${t('segments')}, ` : ''}${reads} ${t('reads')}`;
    return (
      <div
        className="run-ruler"
        data-testid="run-ruler"
        data-run={run.run}
        data-transport={run.transport}
        data-ended={run.ended ? 'true' : 'false'}
      >
        <div className="run-head">
          <strong>{run.transport.toUpperCase()}</strong>
          <code>{run.run}</code>
          <span className="muted">
            {run.settings.count} × {formatBytes(run.settings.size)}
            {run.transport === 'tcp' &&
              ` · ${run.settings.noDelay ? 'NoDelay' : 'Nagle'} · cork ${run.settings.corkBatch} · ${t('readBuffer')} ${run.settings.readBuffer} · ${t('readPause')} ${run.settings.readDelayMs}`}
            {run.settings.intervalMs > 0 && ` · ${t('interval')} ${run.settings.intervalMs}`}
          </span>
          {!run.ended && <span className="muted">{t('running')}</span>}
        </div>
        <div className="run-counts">
          <span>
            <b data-testid="count-writes">{s?.writes ?? run.writes.length}</b> {t('writes')}
          </span>
          {run.transport === 'tcp' && (hasSegments || run.segments !== undefined) && (
            <span>
              <b data-testid="count-segments">{run.segments ?? segments?.length ?? 0}</b> {t('segments')}{' '}
              <SourceBadge source="captured" />
            </span>
          )}
          <span>
            <b data-testid="count-reads">{s?.reads ?? reads}</b> {t('reads')}
          </span>
          {s && (
            <>
              <span className={s.coalescedReads > 0 ? 'hot' : ''}>
                <b data-testid="count-coalesced">{s.coalescedReads}</b> {t('coalesced')}
              </span>
              <span className={s.splitMessages > 0 ? 'hot' : ''}>
                <b data-testid="count-split">{s.splitMessages}</b> {t('split')}
              </span>
              <span>
                <b data-testid="count-max-per-read">{s.maxMessagesPerRead}</b> {t('maxPerRead')}
              </span>
            </>
          )}
          {run.lost !== undefined && (
            <span>
              <b data-testid="count-lost">{run.lost}</b> {t('lost')}
            </span>
          )}
          {run.durationMs !== undefined && (
            <span className="muted">
              {t('duration')} {run.durationMs} ms
            </span>
          )}
        </div>
        {run.error && <p className="error">{wireErrorText(run.error, language)}</p>}
        <div ref={boxRef} className="ruler-box">
          <canvas ref={canvasRef} data-testid="ruler-canvas" role="img" aria-label={label} />
        </div>
        <div className="ruler-zoom">
          <span className="muted">{t('zoom')}</span>
          {ZOOMS.map((z) => (
            <button key={z} type="button" className="ghost" aria-pressed={zoom === z} onClick={() => setZoom(z)}>
              ×{z}
            </button>
          ))}
          {zoom > 1 && (
            <input
              type="range"
              min={0}
              max={Math.max(0, total - span)}
              value={from}
              onChange={(e) => setStart(Number(e.target.value))}
              aria-label={t('zoom')}
            />
          )}
        </div>
        {run.transport === 'tcp' && !hasSegments && run.ended && (
          <p className="muted small" data-testid="no-capture">
            {t('noCapture')}{' '}
            {capture ? `(${capture.status}${capture.error ? `: ${wireErrorText(capture.error, language)}` : ''})` : ''}
          </p>
        )}
        {run.ended && hasSegments && covered(segments) < (s?.bytes ?? 0) && (
          <p className="warn-text small" data-testid="capture-gap">
            {t('captureGap')} ({covered(segments)} / {s?.bytes} {t('bytes')})
          </p>
        )}
        {run.transport === 'udp' && <p className="muted small">{t('udpNoPause')}</p>}
        <details className="read-list">
          <summary>{t('readList')}</summary>
          <ol tabIndex={0} aria-label={t('readList')}>
            {sortedSpans(run.reads)
              .slice(0, 60)
              .map((r, i) => {
                const c = readContents(run.writes, r);
                return (
                  <li key={i} data-testid="read-row" data-whole={c.whole.length} data-partial={c.partial.length}>
                    <code>
                      {r.offset}–{r.offset + r.len}
                    </code>{' '}
                    ({r.len} {t('bytes')})
                    {c.whole.length > 0 && ` · ${t('holdsWhole')} ${c.whole.map((m) => `m${m}`).join(' ')}`}
                    {c.partial.length > 0 && (
                      <span className="cut">
                        {' '}
                        · {t('holdsPart')} {c.partial.map((m) => `m${m}`).join(' ')}
                      </span>
                    )}
                  </li>
                );
              })}
          </ol>
        </details>
      </div>
    );
  },
  (a, b) => a.run === b.run && a.version === b.version && a.segmentCount === b.segmentCount && a.capture === b.capture,
);

/** Bytes of the stream the spans cover (retransmitted bytes counted once). */
function covered(spans: readonly ByteSpan[]): number {
  const sorted = sortedSpans(spans);
  let total = 0;
  let end = 0;
  for (const sp of sorted) {
    const from = Math.max(sp.offset, end);
    const to = sp.offset + sp.len;
    if (to > from) total += to - from;
    end = Math.max(end, to);
  }
  return total;
}

function sortedSpans<T extends ByteSpan>(spans: readonly T[]): T[] {
  for (let i = 1; i < spans.length; i++)
    if (spans[i].offset < spans[i - 1].offset) return [...spans].sort((a, b) => a.offset - b.offset);
  return spans as T[];
}
