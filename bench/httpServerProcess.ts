// A child process for the HTTP benchmark: the lab's HTTP server (middleware and all) on a kernel-chosen loopback
// port, with its observer on (every event stamped by the lab's bus and serialised, as for a page) or off. Prints
// the port on its first line; stops when its parent closes stdin.
import { EventBus } from '../server/events/eventBus.js';
import { LabHttpServer } from '../server/demos/http/labHttpServer.js';

const observe = process.argv.includes('--observe');
const bus = new EventBus();
let serialised = 0;
// The /ws edge serialises every event it sends: the observer's cost includes that.
bus.subscribe((e) => {
  serialised += JSON.stringify(e).length;
});
const emit = bus.forDemo('http');
const server = new LabHttpServer({ host: '127.0.0.1', port: 0, emit: observe ? emit : null });
await server.listen();
process.stdout.write(`${server.port}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stderr.write(observe ? `  (observer serialised ${(serialised / 1e6).toFixed(1)} MB of events)\n` : '');
  void server.close().then(() => process.exit(0));
});
