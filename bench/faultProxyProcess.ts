// A child process for the fault proxy benchmark: the upstream (an echo server that also sinks a bulk upload and
// answers its byte count) or the fault proxy in front of a given port, with no fault set. Prints its port.
import net from 'node:net';
import { FaultProxy } from '../server/demos/faultProxy/faultProxy.js';

const mode = process.argv[2];

if (mode === 'upstream') {
  // A connection that starts with "B" is a bulk upload: count its bytes until FIN, answer the count. Others echo.
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    let bulk: boolean | null = null;
    let count = 0;
    socket.on('data', (d) => {
      bulk ??= d[0] === 0x42;
      if (bulk) count += d.length;
      else socket.write(d);
    });
    socket.on('end', () => (bulk ? socket.end(`${count}\n`) : socket.end()));
    socket.on('error', () => socket.destroy());
  });
  server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () =>
    process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`),
  );
} else if (mode === 'proxy') {
  let emitted = 0;
  const proxy = new FaultProxy({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: Number(process.argv[3]) },
    // As in the lab: every event built and handed on (counted here, not serialised).
    emit: () => void emitted++,
    maxConnections: 4096,
  });
  await proxy.listen();
  process.stdout.write(`${proxy.port}\n`);
  process.on('SIGTERM', () => process.exit(0));
} else {
  process.stderr.write('usage: faultProxyProcess.ts upstream | proxy <upstream port>\n');
  process.exit(2);
}
