// The head of a run panel: its title, that its figures are observed, whether a run is going, and Run / Stop. The
// worker-pool, rate-limit, circuit-breaker, reconnect-storm and graceful-shutdown views share it.
import type { EventSource } from '@core/protocol/events';
import { SourceBadge } from './SourceBadge';
import './runPanel.css';

export interface RunPanelHeadProps {
  title: string;
  running: boolean;
  /** Words for the state and the buttons, in the page's language. */
  text: { running: string; idle: string; run: string; stop: string };
  /** Test ids `<testId>-state`, `<testId>-run`, `<testId>-stop`. */
  testId: string;
  onRun(): void;
  onStop(): void;
  /** Run is also disabled while a run is going. */
  runDisabled?: boolean;
  /** Where the panel's figures come from (default: observed by the server). */
  sources?: readonly EventSource[];
  /** What is running, shown after the running word (e.g. the mode of the run). */
  runningDetail?: string;
}

export function RunPanelHead(props: RunPanelHeadProps) {
  const {
    title,
    running,
    text,
    testId,
    onRun,
    onStop,
    runDisabled = false,
    sources = ['observed'],
    runningDetail,
  } = props;
  return (
    <header className="panel-head">
      <h3>{title}</h3>
      {sources.map((source) => (
        <SourceBadge key={source} source={source} />
      ))}
      <span className={`run-state ${running ? 'on' : ''}`} data-testid={`${testId}-state`}>
        {running ? `● ${text.running}${runningDetail ? `: ${runningDetail}` : ''}` : text.idle}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="primary"
        onClick={onRun}
        disabled={runDisabled || running}
        data-testid={`${testId}-run`}
      >
        {text.run}
      </button>
      <button type="button" onClick={onStop} disabled={!running} data-testid={`${testId}-stop`}>
        {text.stop}
      </button>
    </header>
  );
}
