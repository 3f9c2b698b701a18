// A child process for the echo benchmark: runs either a plain node:net echo server or the lab's instrumented,
// goroutine-style echo demo (with a browser-like consumer draining batched events), and prints its port.
import net from 'node:net';
import { EchoDemo } from '../server/demos/echo/echoDemo.js';
import { EventBatcher } from '../server/events/eventBatcher.js';
import { EventBus } from '../server/events/eventBus.js';

const mode = process.argv[2];

if (mode === 'plain') {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('data', (d) => socket.write(d));
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`));
} else if (mode === 'lab') {
  const bus = new EventBus();
  // What a connected browser costs the server: every event batched, and serialised every 16 ms.
  const batcher = new EventBatcher();
  bus.subscribe((e) => {
    if (e.demo === 'echo') batcher.push(e);
  });
  let bytes = 0;
  setInterval(() => {
    const batch = batcher.take();
    if (batch) bytes += JSON.stringify({ type: 'events', ...batch }).length;
  }, 16).unref();
  const demo = new EchoDemo();
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('echo') });
  process.stdout.write(`${demo.endpoints()[0]!.port}\n`);
  process.on('SIGTERM', () => {
    process.stderr.write(`wire bytes: ${bytes}\n`);
    process.exit(0);
  });
} else {
  process.stderr.write('usage: echoServerProcess.ts plain|lab\n');
  process.exit(2);
}
