// A DNS server in a process of its own for the DNS benchmark: `plain` (node:dgram sending back one fixed answer,
// nothing decoded), `lab` (the lab's DnsServer with its per-source budgets) or `lab-unbounded` (budgets too big to
// bite). Prints its port on the first line and runs until killed.
import dgram from 'node:dgram';
import { DnsServer } from '../server/demos/dns/dnsServer.js';
import { DNS_BUDGETS } from '../server/demos/dns/dnsDemo.js';
import { LabZone } from '../server/demos/dns/labZone.js';
import { craftedQuery } from '../server/demos/dns/craftedQueries.js';

const kind = process.argv[2] ?? 'plain';
if (kind === 'plain') {
  const zone = new LabZone();
  const decision = zone.answer(craftedQuery('valid', 0), 'udp');
  const answer = decision.kind === 'answer' ? Buffer.from(decision.bytes) : Buffer.alloc(12);
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    // The query's id copied in: a client matches answers by it.
    answer[0] = msg[0];
    answer[1] = msg[1];
    socket.send(answer, rinfo.port, rinfo.address);
  });
  socket.bind(0, '127.0.0.1', () => console.log(socket.address().port));
} else {
  const huge = { perSecond: 1e9, burst: 1e9 };
  const budgets = kind === 'lab' ? DNS_BUDGETS : { perSource: huge, total: huge, maxSources: 1024 };
  const server = new DnsServer({
    host: '127.0.0.1',
    port: 0,
    zone: new LabZone(),
    budgets: { ...budgets, clock: () => performance.now() },
    onServed: () => {},
    onFlooded: () => {},
  });
  await server.listen();
  console.log(server.port);
}
