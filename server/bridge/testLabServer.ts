// A real lab server on free loopback ports for tests and benchmarks of the bridge: the demos, /ws and the bridge
// endpoint, plus a factory that opens bridge clients from Node with the `ws` package.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createDemos } from '../demos/demoRegistry.js';
import type { Demo } from '../demos/demo.js';
import { createHttpServer } from '../http/httpServer.js';
import { Lab } from '../lab.js';
import { BRIDGE_PATH } from '../../core/protocol/bridge.js';
import { BridgeClient, type BridgeTransport } from '@core/bridge/bridgeClient.js';
import type { BridgeGateway, BridgeGatewayOptions } from './bridgeGateway.js';

export interface TestLabServer {
  lab: Lab;
  server: http.Server;
  bridge: BridgeGateway;
  port: number;
  bridgeUrl: string;
  /** Port of a running demo's first TCP endpoint. */
  demoPort(demo: string): number;
  /** Opens a bridge session from Node, as a snippet worker would. */
  openBridge(): Promise<BridgeClient>;
  stop(): Promise<void>;
}

/** The Origin a page of the lab at `url` sends (the lab refuses WebSockets without one). */
export const labOrigin = (url: string): string => new URL(url).origin.replace(/^ws/, 'http');
export const nodeTransport = (url: string): BridgeTransport =>
  new WebSocket(url, { origin: labOrigin(url) }) as unknown as BridgeTransport;

export async function startTestLab(
  options: { bridge?: BridgeGatewayOptions; demos?: Demo[] } = {},
): Promise<TestLabServer> {
  const lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test-build' });
  const failures = await lab.start(options.demos ?? createDemos());
  if (failures.length > 0) throw failures[0];
  const { server, bridge, gateway } = createHttpServer(lab, {
    webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    lessonsDir: fileURLToPath(new URL('../../lessons', import.meta.url)),
    ...(options.bridge ? { bridge: options.bridge } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const bridgeUrl = `ws://127.0.0.1:${port}${BRIDGE_PATH}`;
  return {
    lab,
    server,
    bridge,
    port,
    bridgeUrl,
    demoPort(demo) {
      const ep = lab
        .status()
        .demos.find((d) => d.id === demo)
        ?.endpoints.find((e) => e.protocol === 'tcp');
      if (!ep) throw new Error(`demo ${demo} has no TCP endpoint`);
      return ep.port;
    },
    openBridge: () => BridgeClient.connect(bridgeUrl, nodeTransport),
    async stop() {
      bridge.close();
      gateway.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await lab.stop();
    },
  };
}
