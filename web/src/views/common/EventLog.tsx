// Every event of the lesson's demos, newest first, with its source; pausable, and rate-limited while busy.
import { memo, useMemo, useState } from 'react';
import type { LabEvent } from '@core/protocol/events';
import { useLab, useText } from '../../app/labContext';
import { useEventFold } from '../../store/useEventFold';
import { formatClock } from './bytesFormat';
import { eventLogFold, LOG_ROWS, summarizeEvent } from './eventLogModel';
import { SourceBadge } from './SourceBadge';
import type { ViewProps } from '../viewRegistry';

export default function EventLog({ demos }: ViewProps) {
  const fold = useMemo(() => eventLogFold(demos), [demos]);
  const state = useEventFold(fold, 4);
  const { store } = useLab();
  const t = useText();
  const [frozen, setFrozen] = useState<typeof state.rows | null>(null);
  const rows = (frozen ?? state.rows).slice(-LOG_ROWS).reverse();
  return (
    <section className="panel event-log" data-testid="event-log">
      <header className="panel-head">
        <h3>{t('eventLog')}</h3>
        <span className="muted">
          {state.total} · {state.rate} {t('eventsPerSecond')}
          {store.dropped > 0 && ` · ${store.dropped} ${t('dropped')}`}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setFrozen(frozen ? null : state.rows.slice())}>
          {frozen ? t('resume') : t('pause')}
        </button>
      </header>
      <ol className="log-rows" tabIndex={0} aria-label={t('eventLog')}>
        {rows.map((e) => (
          <LogRow key={e.seq} event={e} />
        ))}
      </ol>
    </section>
  );
}

// Rows never change once shown, so each renders once however often the log refreshes.
const LogRow = memo(function LogRow({ event: e }: { event: LabEvent }) {
  return (
    <li data-kind={e.kind}>
      <time>{formatClock(e.t)}</time> <SourceBadge source={e.source} /> <code>{e.kind}</code>{' '}
      <span className="muted">{summarizeEvent(e)}</span>
    </li>
  );
});
