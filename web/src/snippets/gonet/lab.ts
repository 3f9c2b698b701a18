// Where the lab's demos listen, for snippets: `await net.dial('tcp', lab.addr('echo'))`.
import { joinHostPort } from '@core/protocol/bridge';
import { GoPanic } from '@core/runtime/panic';
import { currentHost } from './host';

/** "host:port" of a running demo's endpoint (its first, or the one named). Panics if there is none. */
export function addr(demo: string, endpoint?: string): string {
  const d = currentHost().demos.find((x) => x.id === demo);
  const ep = d?.endpoints.find((e) => e.protocol === 'tcp' && (!endpoint || e.name === endpoint));
  if (!ep) {
    const running = currentHost()
      .demos.filter((x) => x.endpoints.length > 0)
      .map((x) => x.id);
    throw new GoPanic(
      `lab.addr: no demo "${demo}"${endpoint ? ` with endpoint "${endpoint}"` : ''}; running: ${running.join(', ') || 'none'}`,
    );
  }
  // Demos may listen on every interface; snippets reach them on loopback.
  const host = ep.host === '0.0.0.0' || ep.host === '::' || ep.host === '' ? '127.0.0.1' : ep.host;
  return joinHostPort(host, ep.port);
}
