// Lesson 30 in TypeScript: main.go's echo server, a goroutine per connection, on the lab's goroutine runtime, with
// IDLE silent clients and one busy one in the same program. Every goroutine blocked in read is parked on the
// runtime's I/O wait (like Go's netpoller) and runs again only when its socket has bytes: the idle ones never run
// while the busy one makes ROUND_TRIPS round trips. What it cannot show: the runtime is one JavaScript thread in
// your browser (its sockets are the lab's, through the bridge), so there are no OS threads to count here; the
// netpoller view counts them on real processes.
import { fmt, go, net, time } from 'gonet';

const IDLE = 100; // silent clients
const ROUND_TRIPS = 200; // the busy client's 64-byte messages

/** How often each connection's goroutine came back from read with bytes: 0 for a goroutine that stayed parked. */
const wakeups = new Map<number, number>();

async function echo(id: number, conn: net.Conn): Promise<void> {
  wakeups.set(id, 0);
  const buf = new Uint8Array(4096);
  for (;;) {
    const [n, err] = await conn.read(buf); // parks here until the socket has bytes (or closes)
    if (n > 0) {
      wakeups.set(id, wakeups.get(id)! + 1);
      const [, werr] = await conn.write(buf.subarray(0, n));
      if (werr !== null) break;
    }
    if (err !== null) break;
  }
  conn.close();
}

async function serve(ln: net.Listener): Promise<void> {
  for (let id = 0; ; id++) {
    const [conn, err] = await ln.accept(); // parked until a client connects
    if (err !== null) return;
    go(echo, id, conn);
  }
}

export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  const addr = ln.addr().string();
  go(serve, ln);
  fmt.printf('echo server listening on %s\n', addr);

  const idle: net.Conn[] = [];
  for (let i = 0; i < IDLE; i++) {
    const [c, derr] = await net.dial('tcp', addr);
    if (derr !== null) throw derr;
    idle.push(c);
  }
  const [busy, berr] = await net.dial('tcp', addr);
  if (berr !== null) throw berr;
  await time.sleep(100); // let the server accept the last ones

  const msg = new Uint8Array(64).fill(0x61);
  const back = new Uint8Array(64);
  const started = time.now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    await busy.write(msg);
    for (let got = 0; got < 64;) {
      const [n, rerr] = await busy.read(back.subarray(got));
      if (rerr !== null) throw rerr;
      got += n;
    }
  }
  const ms = time.since(started);

  const counts = [...wakeups.values()];
  const woke = counts.filter((n) => n > 0).length;
  fmt.printf('%d connections, %d goroutines serving them\n', counts.length, counts.length);
  fmt.printf('%d round trips in %d ms on one JavaScript thread\n', ROUND_TRIPS, Math.round(ms));
  fmt.printf('goroutines that ran: %d; parked the whole time: %d\n', woke, counts.length - woke);
  fmt.printf(
    "the busy connection's goroutine woke %d times (once per message or more: TCP may split it)\n",
    Math.max(...counts),
  );

  for (const c of [...idle, busy]) c.close();
  ln.close();
}
