// The netpoller demo's Node echo server: one JavaScript thread and libuv's event loop (epoll on Linux), run as a
// plain `node` child (no TypeScript loader, whose hooks thread would be counted too). Prints "listening on ADDR".
import net from 'node:net';

const [host = '127.0.0.1', port = '0'] = (process.argv[2] ?? '127.0.0.1:0').split(/:(?=[^:]*$)/);
const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.maxConnections = 4096;
server.listen({ host, port: Number(port), backlog: 4096 }, () => {
  const a = server.address();
  process.stdout.write(`listening on ${a.address}:${a.port}\n`);
});
