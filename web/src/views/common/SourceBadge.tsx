// Says where a value came from: captured packets, polled kernel state, observed socket events, or a model.
import type { EventSource } from '@core/protocol/events';

const LABELS: Record<EventSource, { en: string; zh: string; title: string }> = {
  captured: { en: 'captured', zh: '抓包', title: 'Real packets captured with tcpdump' },
  polled: { en: 'polled', zh: '内核采样', title: "Sampled from the kernel's socket table" },
  observed: { en: 'observed', zh: '观测', title: 'Seen through the socket API or the runtime' },
  sampled: { en: 'sampled', zh: '定时采样', title: "A real Go program's goroutine states, seen at sample times" },
  modelled: { en: 'modelled', zh: '推断', title: 'Inferred by a model, not observed' },
};

export function SourceBadge({ source }: { source: EventSource }) {
  const l = LABELS[source];
  return (
    <span className={`source source-${source}`} title={l.title} data-source={source}>
      {l.en} · {l.zh}
    </span>
  );
}
