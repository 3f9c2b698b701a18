// The lab: one event bus and the running demos, with their ports. HTTP, WebSocket and the headless twin sit on top.
import { EventBus } from './events/eventBus.js';
import type { Demo } from './demos/demo.js';
import { LabError, wireError } from '../core/protocol/errors.js';
import { PROTOCOL_VERSION, type Capability, type DemoStatus, type LabStatus } from '../core/protocol/wire.js';

export interface LabOptions {
  host: string;
  /** First port of the demos' range; 0 gives every demo a free port of the kernel's choosing. */
  demoPortBase: number;
  build: string;
}

interface RunningDemo {
  demo: Demo;
  state: DemoStatus['state'];
  error?: DemoStatus['error'];
}

export class Lab {
  readonly bus = new EventBus();
  private readonly demos = new Map<string, RunningDemo>();
  private readonly capabilities: Record<string, Capability> = {};

  constructor(readonly options: LabOptions) {}

  /**
   * Starts the demos one after another, each on its ports. A demo that fails to start is reported in the status
   * (and the error is returned) while the others carry on.
   */
  async start(demos: Demo[]): Promise<LabError[]> {
    const failures: LabError[] = [];
    let nextPort = this.options.demoPortBase;
    for (const demo of demos) {
      const base = nextPort;
      if (nextPort > 0) nextPort += demo.portCount;
      const entry: RunningDemo = { demo, state: 'stopped' };
      this.demos.set(demo.id, entry);
      try {
        await demo.start({
          host: this.options.host,
          port: (i) => (base > 0 ? base + i : 0),
          emit: this.bus.forDemo(demo.id),
          setCapability: (name, capability) => this.setCapability(name, capability),
          emitAs: (id, body) => this.bus.forDemo(id)(body),
          forget: (id) => this.bus.forget(id),
          labPorts: () => this.status().demos.flatMap((d) => d.endpoints.map((e) => e.port)),
          demoEndpoint: (id) => {
            const e = this.status().demos.find((d) => d.id === id && d.state === 'running')?.endpoints[0];
            return e ? { host: e.host, port: e.port } : undefined;
          },
        });
        entry.state = 'running';
      } catch (err) {
        const labErr = err instanceof LabError ? err : new LabError('E_INTERNAL', `${demo.id}: ${String(err)}`);
        entry.state = 'failed';
        entry.error = labErr.toWire();
        failures.push(labErr);
      }
    }
    return failures;
  }

  demo(id: string): Demo | undefined {
    const entry = this.demos.get(id);
    return entry?.state === 'running' ? entry.demo : undefined;
  }

  setCapability(name: string, capability: Capability): void {
    this.capabilities[name] = capability;
  }

  status(): LabStatus {
    return {
      protocol: PROTOCOL_VERSION,
      build: this.options.build,
      demos: [...this.demos.values()].map(({ demo, state, error }) => ({
        id: demo.id,
        title: demo.title,
        state,
        endpoints: state === 'running' ? demo.endpoints() : [],
        ...(error ? { error } : {}),
      })),
      capabilities: { ...this.capabilities },
    };
  }

  sessionClosed(session: string): void {
    for (const { demo, state } of this.demos.values()) if (state === 'running') demo.sessionClosed?.(session);
  }

  /** Stops every demo; errors are collected, not thrown, so one bad demo cannot keep ports open. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.demos.values()].map(async (entry) => {
        try {
          await entry.demo.stop();
        } catch (err) {
          entry.error = wireError('E_INTERNAL', String(err));
        }
        entry.state = 'stopped';
      }),
    );
  }
}
