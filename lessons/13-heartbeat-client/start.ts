// Exercise: a client with a heartbeat and a read timeout.
//
// A TCP connection can die without a FIN: a cable pulled, a NAT entry expired, a peer frozen. Reading from it
// then blocks forever. The client below sends "PING\n" every `interval` and prints what the server says.
// Make it notice silence: if nothing at all arrives for `timeout`, close the connection and return the timeout
// error. When the server closes normally (EOF), return null. Either way, leave no goroutine behind.
import { bufio, chan, fmt, go, io, net, recvCase, select, time, WaitGroup } from 'gonet';

export interface HeartbeatOptions {
  /** Milliseconds between two PINGs. */
  interval: number;
  /** Milliseconds of silence after which the server is considered gone. */
  timeout: number;
}

/**
 * Connects to addr, sends "PING\n" every opts.interval, hands the text of every "MSG <text>" line to onMessage
 * (the server answers each PING with "PONG"). Returns null when the server closes the connection, or the error
 * that ended it: a timeout error (net.isTimeout(err) is true) after opts.timeout of silence.
 */
export async function keepAlive(
  addr: string,
  opts: HeartbeatOptions,
  onMessage: (text: string) => void,
): Promise<Error | null> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) return err;

  // The heartbeat. TODO: it stops only when a write fails, a tick after keepAlive closed the conn: until then it
  // is a goroutine leak. Stop it when keepAlive returns.
  go(async () => {
    const ticker = time.newTicker(opts.interval);
    for (;;) {
      await ticker.c.recv();
      const [, werr] = await conn.write('PING\n');
      if (werr !== null) return;
    }
  });

  const reader = bufio.newReader(conn);
  for (;;) {
    // TODO: with no deadline, a silent server makes this wait forever.
    const [line, rerr] = await reader.readString('\n');
    if (rerr !== null) {
      conn.close();
      return rerr === io.EOF ? null : rerr;
    }
    if (line.startsWith('MSG ')) onMessage(line.slice(4).trimEnd());
  }
}

/** A server on this run's own port: answers PINGs and sends a message for a while, then goes silent. */
async function flakyServer(answerFor: number): Promise<{ addr: string; stop: () => Promise<void> }> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  const finished = new WaitGroup();
  finished.add(1);
  go(async () => {
    const [conn, aerr] = await ln.accept();
    if (aerr === null) {
      const started = time.now();
      await conn.write('MSG welcome\n');
      const reader = bufio.newReader(conn);
      for (;;) {
        const [line, rerr] = await reader.readString('\n');
        if (rerr !== null) break;
        // After answerFor ms it keeps reading but never answers: a frozen peer, the connection still "open".
        if (line === 'PING\n' && time.since(started) < answerFor) await conn.write('PONG\n');
      }
      conn.close();
    }
    finished.done();
  });
  // Stopping waits for the server's goroutine, which ends once the client has closed its connection.
  return { addr: ln.addr().string(), stop: () => (ln.close(), finished.wait()) };
}

/** Run: the server answers for one second, then freezes. Does the client notice? */
export async function main(): Promise<void> {
  const server = await flakyServer(1000);
  const started = time.now();
  const result = chan<Error | null>(1);
  go(async () => {
    await result.send(
      await keepAlive(server.addr, { interval: 200, timeout: 600 }, (text) =>
        fmt.printf('%5.0f ms  message: %s\n', time.since(started), text),
      ),
    );
  });
  const { index, value } = await select([recvCase(result), recvCase(time.after(4 * time.Second))]);
  if (index === 0) {
    fmt.printf('%5.0f ms  keepAlive returned: %v\n', time.since(started), value);
    await server.stop();
  } else fmt.println('after 4 s keepAlive is still waiting on a server that went silent at 1 s');
}
