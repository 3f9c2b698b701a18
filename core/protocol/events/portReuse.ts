// Events of the port-reuse demo (lesson 29): each run's outcome, as the lab observed it.
import type { PortReuseRunResult } from '../demos/portReuse.js';

export type PortReuseEvent = {
  kind: 'portReuse.runEnd';
  /** 'polled' when the result carries a row of the kernel's table (the restart), 'observed' otherwise. */
  source: 'observed' | 'polled';
  result: PortReuseRunResult;
};
