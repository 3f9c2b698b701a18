// The worker-pool view's knobs: the pool's configuration and the load run, with defaults and limits read from the
// configure and load commands' schemas. The form shows the run's length in seconds and 0 for "no rate limit".
import { WorkerPoolConfigureArgs, WorkerPoolLoadArgs, type WorkerPoolConfig } from '@core/protocol/demos/workerPool';
import { fieldLimits, schemaDefaults, type NumberLimits } from '../common/schemaKnobs';

export const CONFIG_DEFAULTS: WorkerPoolConfig = schemaDefaults(WorkerPoolConfigureArgs);
export const CONFIG_LIMITS = fieldLimits(WorkerPoolConfigureArgs, ['workers', 'queue', 'workMs']);

const load = schemaDefaults(WorkerPoolLoadArgs);
const loadLimits = fieldLimits(WorkerPoolLoadArgs, ['connections', 'durationMs', 'ratePerConnection']);

export const LOAD_DEFAULTS = { connections: load.connections, seconds: load.durationMs / 1000, rate: 0 };

export const LOAD_LIMITS: Record<keyof typeof LOAD_DEFAULTS, NumberLimits> = {
  connections: loadLimits.connections,
  seconds: {
    min: Math.ceil(loadLimits.durationMs.min / 1000),
    max: Math.floor(loadLimits.durationMs.max / 1000),
    integer: true,
  },
  // 0 stands for "absent": each client sends its next request as soon as it has the reply.
  rate: { min: 0, max: loadLimits.ratePerConnection.max, integer: true },
};

/** The load command's arguments for what the form shows. */
export function loadArgs(form: typeof LOAD_DEFAULTS): WorkerPoolLoadArgs {
  return {
    connections: form.connections,
    durationMs: form.seconds * 1000,
    ...(form.rate > 0 ? { ratePerConnection: form.rate } : {}),
  };
}
