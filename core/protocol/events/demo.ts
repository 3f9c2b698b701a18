// Demo lifecycle events: a demo started, stopped, noted something or failed.
import type { LocalizedText, WireError } from '../errors.js';

export type DemoEvent =
  | { kind: 'demo.started'; source: 'observed' }
  | { kind: 'demo.stopped'; source: 'observed' }
  | { kind: 'demo.note'; source: 'observed' | 'modelled'; text: LocalizedText }
  | { kind: 'demo.error'; source: 'observed'; error: WireError; conn?: string };
