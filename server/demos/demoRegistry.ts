// The built-in demos, in the order their ports are given out. Add a demo here to make the lab run it.
import type { Demo } from './demo.js';
import { EchoDemo } from './echo/echoDemo.js';
import { StreamDemo } from './stream/streamDemo.js';
import { FramingDemo } from './framing/framingDemo.js';
import { HandshakeDemo } from './handshake/handshakeDemo.js';
import { GoroutineDemo } from './goroutines/goroutineDemo.js';
import { WorkerPoolDemo } from './workerPool/workerPoolDemo.js';
import { UdpDemo } from './udp/udpDemo.js';

export type DemoFactory = () => Demo;

export const DEMO_FACTORIES: readonly DemoFactory[] = [
  () => new EchoDemo(),
  () => new StreamDemo(),
  () => new FramingDemo(),
  () => new HandshakeDemo(),
  () => new GoroutineDemo(),
  () => new WorkerPoolDemo(),
  () => new UdpDemo(),
];

export function createDemos(): Demo[] {
  return DEMO_FACTORIES.map((make) => make());
}
