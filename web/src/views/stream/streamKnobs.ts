// The byte ruler's knobs: the stream demo's run arguments with their defaults (Go's: TCP_NODELAY on, one write per
// message) and limits read from the command's schema, and the presets that set several knobs at once.
import { StreamRunArgs } from '@core/protocol/demos/stream';
import type { FramingUiKey } from '../../i18n/framingText';
import { fieldLimits, schemaDefaults } from '../common/schemaKnobs';

export type RunArgs = ReturnType<typeof StreamRunArgs.parse>;

export const RUN_DEFAULTS: RunArgs = schemaDefaults(StreamRunArgs);

export const RUN_LIMITS = fieldLimits(StreamRunArgs, [
  'count',
  'size',
  'intervalMs',
  'corkBatch',
  'readDelayMs',
  'readBuffer',
]);

export const PRESETS: { key: FramingUiKey; id: string; args: RunArgs }[] = [
  { key: 'presetGo', id: 'go', args: RUN_DEFAULTS },
  { key: 'presetSlow', id: 'slow', args: { ...RUN_DEFAULTS, readDelayMs: 50 } },
  { key: 'presetBig', id: 'big', args: { ...RUN_DEFAULTS, count: 2, size: 100_000 } },
  { key: 'presetNagle', id: 'nagle', args: { ...RUN_DEFAULTS, count: 200, size: 8, noDelay: false } },
  { key: 'presetCork', id: 'cork', args: { ...RUN_DEFAULTS, count: 24, corkBatch: 6, intervalMs: 20 } },
  { key: 'presetUdp', id: 'udp', args: { ...RUN_DEFAULTS, transport: 'both', readDelayMs: 50 } },
];
