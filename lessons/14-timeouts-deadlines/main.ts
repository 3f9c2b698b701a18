// Lesson 14 in TypeScript: clients of the lab's fault proxy, with and without deadlines. The run sets its faults
// itself through the proxy's control endpoint (they reach only this run's own connections and are cleared when the
// control connection closes). A reader without a deadline stays blocked after main returns: the run reports it.
import { bufio, context, errors, fmt, go, lab, net, os, time, type Context } from 'gonet';

/** Sets a fault on this run's connections; closing the returned control connection clears it. */
async function setFault(rule: object): Promise<net.Conn> {
  const [control, err] = await net.dial('tcp', lab.addr('fault-proxy', 'fault-control'));
  if (err !== null) throw err;
  await control.write(`${JSON.stringify({ action: 'set', rule })}\n`);
  const [reply] = await bufio.newReader(control).readString('\n');
  fmt.println('fault set:', reply.trim());
  return control;
}

/** One request: write a line, read the echo, with nothing to stop the read. */
async function askForever(conn: net.Conn, line: string): Promise<[string, Error | null]> {
  await conn.write(`${line}\n`);
  return bufio.newReader(conn).readString('\n');
}

/** The same request with a deadline: an absolute time on the clock, set before the read. */
async function ask(conn: net.Conn, r: bufio.Reader, line: string, timeout: number): Promise<[string, Error | null]> {
  conn.setReadDeadline(time.now() + timeout);
  await conn.write(`${line}\n`);
  return r.readString('\n');
}

/** Layered: the read waits for the per-call timeout or the request's context, whichever ends first. */
async function askWithin(ctx: Context, conn: net.Conn, r: bufio.Reader, line: string, perCall: number) {
  let deadline = time.now() + perCall;
  const [ctxDeadline, has] = ctx.deadline();
  if (has && ctxDeadline < deadline) deadline = ctxDeadline;
  conn.setReadDeadline(deadline);
  await conn.write(`${line}\n`);
  return r.readString('\n');
}

async function dialProxy(): Promise<net.Conn> {
  const [conn, err] = await net.dial('tcp', lab.addr('fault-proxy'));
  if (err !== null) throw err;
  return conn;
}

export async function main() {
  // 1. Deadlines are absolute: reset before each message, every reply makes it; set once, it covers them all.
  const slow = await setFault({ fault: { type: 'latency', ms: 200 }, direction: 'down' });
  const conn = await dialProxy();
  const r = bufio.newReader(conn);
  for (let i = 1; i <= 3; i++) {
    const [line, e] = await ask(conn, r, `message ${i}`, 500);
    fmt.println(`deadline reset per message: ${e === null ? `echo ${line.trim()}` : String(e)}`);
  }
  conn.setReadDeadline(time.now() + 500);
  for (let i = 4; i <= 6; i++) {
    await conn.write(`message ${i}\n`);
    const [line, e] = await r.readString('\n');
    fmt.println(`one deadline for all three: ${e === null ? `echo ${line.trim()}` : String(e)}`);
    if (e !== null) break;
  }
  conn.close();
  slow.close();

  // 2. Layered: a blackhole (accepted, never answered) under a 300 ms budget per request and 1 s per call.
  const hole = await setFault({ fault: { type: 'timeout', ms: 0 } });
  const c = await dialProxy();
  const [ctx, cancel] = context.withTimeout(context.background(), 300);
  const [, lerr] = await askWithin(ctx, c, bufio.newReader(c), 'hello?', 1000);
  cancel();
  fmt.println('layered (300 ms per request, 1 s per call):', String(lerr));
  c.close();
  hole.close();

  // 3. The stall: nothing comes back and the connection stays open. It stays set until the run ends.
  await setFault({ fault: { type: 'stall' }, direction: 'down' });
  go(async function readerWithoutDeadline() {
    const plain = await dialProxy();
    const [line] = await askForever(plain, 'are you there?');
    fmt.println('not printed while the stall holds:', line);
  });
  const timed = await dialProxy();
  const t0 = time.now();
  const [, err] = await ask(timed, bufio.newReader(timed), 'are you there?', 500);
  fmt.println(`with a 500 ms deadline, after ${Math.round(time.since(t0))} ms: ${String(err)}`);
  fmt.println('net.isTimeout(err):', net.isTimeout(err));
  fmt.println('errors.is(err, os.ErrDeadlineExceeded):', errors.is(err, os.ErrDeadlineExceeded));
  timed.close();
  // main returns; readerWithoutDeadline is still blocked in its read, and the run reports it.
}
