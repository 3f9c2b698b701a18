// The views a lesson can name in its frontmatter (`views: [echo-lanes, event-log]`), each loaded lazily.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Lesson } from '@core/protocol/lessons';

export interface ViewProps {
  lesson: Lesson;
  /** The demos the lesson subscribed to. */
  demos: string[];
}

type LazyView = LazyExoticComponent<ComponentType<ViewProps>>;

export const VIEW_REGISTRY: Record<string, LazyView> = {
  'echo-lanes': lazy(() => import('./EchoLanes')),
  'event-log': lazy(() => import('./EventLog')),
  'byte-ruler': lazy(() => import('./ByteRuler')),
  'framing-inspector': lazy(() => import('./FramingInspector')),
  'handshake-scenarios': lazy(() => import('./HandshakeScenarios')),
  'flow-graph': lazy(() => import('./FlowGraph')),
  'tcp-state-machine': lazy(() => import('./TcpStateMachine')),
  'goroutine-timeline': lazy(() => import('./GoroutineTimeline')),
  'goroutine-dump': lazy(() => import('./GoroutineDump')),
  'worker-pool': lazy(() => import('./WorkerPool')),
  'goroutine-programs': lazy(() => import('./GoroutinePrograms')),
  'goroutine-cost': lazy(() => import('./GoroutineCost')),
};
