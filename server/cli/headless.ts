// The headless twin: runs one demo's scenario without a browser and prints the events a browser would receive.
import type { Demo } from '../demos/demo.js';
import { Lab } from '../lab.js';
import type { LabEvent } from '../../core/protocol/events.js';

export interface HeadlessOptions {
  host: string;
  demoPortBase: number;
  seconds: number;
  write(line: string): void;
  format: 'json' | 'text';
}

export function formatEventText(e: LabEvent): string {
  const time = new Date(e.t).toISOString().slice(11, 23);
  const { seq: _seq, t: _t, demo, kind, source, ...rest } = e;
  return `${time} ${demo} ${source.padEnd(8)} ${kind.padEnd(16)} ${JSON.stringify(rest)}`;
}

/** Runs the scenario and resolves with the number of events printed. Rejects when the demo cannot start. */
export async function runHeadless(demo: Demo, options: HeadlessOptions): Promise<number> {
  if (!demo.scenario) throw new Error(`the ${demo.id} demo has no headless scenario`);
  const lab = new Lab({ host: options.host, demoPortBase: options.demoPortBase, build: 'headless' });
  let printed = 0;
  lab.bus.subscribe((e) => {
    printed++;
    options.write(options.format === 'json' ? JSON.stringify(e) : formatEventText(e));
  });
  const failures = await lab.start([demo]);
  if (failures.length > 0) {
    await lab.stop();
    throw failures[0];
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.seconds * 1000);
  try {
    await Promise.race([
      demo.scenario({ signal: controller.signal }),
      new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true })),
    ]);
  } finally {
    clearTimeout(timer);
    await lab.stop();
  }
  return printed;
}
