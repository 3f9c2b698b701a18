// A UDP echo server in a process of its own for the UDP benchmark: `plain` (node:dgram, nothing else), `lab` (the
// lab's UdpEchoServer with its per-source budgets) or `lab-unbounded` (the same with budgets too big to bite).
// Prints its port on the first line and runs until killed.
import dgram from 'node:dgram';
import { UdpEchoServer } from '../server/demos/udp/udpEchoServer.js';
import { UDP_BUDGETS } from '../server/demos/udp/udpDemo.js';

const kind = process.argv[2] ?? 'plain';
if (kind === 'plain') {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  socket.bind(0, '127.0.0.1', () => console.log(socket.address().port));
} else {
  const huge = { perSecond: 1e9, burst: 1e9 };
  const budgets = kind === 'lab' ? UDP_BUDGETS : { perSource: huge, total: huge, maxSources: 1024 };
  const server = new UdpEchoServer({
    host: '127.0.0.1',
    port: 0,
    budgets: { ...budgets, clock: () => performance.now() },
    onFlooded: () => {},
  });
  await server.listen();
  console.log(server.port);
}
