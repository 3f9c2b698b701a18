// Lesson 25's onion view: each request as nested spans, one per middleware layer (logging outermost, the handler
// innermost), drawn from the spans the layers reported, with each layer's time and the layer that answered instead
// of calling the next one (401 auth, 503 timeout, 500 recovery).
import { useMemo, type ReactElement } from 'react';
import { HTTP_DEMO } from '@core/protocol/demos/http';
import { useText } from '../../app/labContext';
import { HTTP_UI } from '../../i18n/httpText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import type { ViewProps } from '../viewRegistry';
import { httpFold, onionOf, type RequestTrace, type SpanView } from './httpExchangeModel';
import './http.css';

export default function MiddlewareOnion({ demos }: ViewProps) {
  const demo = demos.includes(HTTP_DEMO) ? HTTP_DEMO : (demos[0] ?? HTTP_DEMO);
  const fold = useMemo(() => httpFold(demo), [demo]);
  const state = useEventFold(fold, 10);
  const t = useText(HTTP_UI);
  const traces = [...state.traces.values()].reverse().slice(0, 12);
  return (
    <section className="panel middleware-onion" data-testid="middleware-onion">
      <header className="panel-head">
        <h3>{t('onionTitle')}</h3>
        <SourceBadge source="observed" />
      </header>
      {traces.length === 0 && <p className="muted">{t('noTraces')}</p>}
      <ol className="onion-list" tabIndex={0} aria-label={t('onionTitle')}>
        {traces.map((trace) => (
          <Onion key={trace.id} trace={trace} />
        ))}
      </ol>
    </section>
  );
}

function Onion({ trace }: { trace: RequestTrace }) {
  const t = useText(HTTP_UI);
  const onion = onionOf(trace);
  const total = Math.max(onion.end - onion.start, 0.001);
  const nest = (layers: SpanView[]): ReactElement | null => {
    const [layer, ...inner] = layers;
    if (!layer) return null;
    const ms = layer.end - layer.start;
    return (
      <div
        className="onion-layer"
        data-testid="onion-layer"
        data-layer={layer.layer}
        data-stopped={layer.stopped ? 'true' : 'false'}
        data-status={layer.status}
      >
        <span>
          <b>{layer.layer}</b> <span className="muted">{ms.toFixed(ms < 10 ? 2 : 0)} ms</span>
          {layer.status > 0 && <span> · {layer.status}</span>}
          {layer.stopped && (
            <span className="onion-stop">
              {' '}
              · {t('stoppedBy')} {layer.layer}
            </span>
          )}
          {layer.note && <span className="muted"> · {layer.note}</span>}
        </span>
        <div
          className="onion-bar"
          aria-hidden="true"
          style={{
            marginLeft: `${((layer.start - onion.start) / total) * 100}%`,
            width: `${Math.max(1, (ms / total) * 100)}%`,
          }}
        />
        {nest(inner)}
      </div>
    );
  };
  return (
    <li
      className="onion-request"
      data-testid="onion-request"
      data-id={trace.id}
      data-path={trace.path}
      data-stopped-by={onion.stoppedBy?.layer ?? ''}
      data-status={onion.status}
    >
      <strong>
        {trace.method} {trace.path}
      </strong>{' '}
      <span className="muted">
        {trace.id} · {trace.conn} · {(onion.end - onion.start).toFixed(1)} ms
      </span>{' '}
      <span data-testid="onion-outcome">
        {onion.status || '—'} · {onion.stoppedBy ? `${t('stoppedBy')} ${onion.stoppedBy.layer}` : t('passed')}
      </span>
      {nest(onion.layers)}
    </li>
  );
}
