// Solution: a client with a heartbeat and a read timeout.
//
// Every read gets a deadline of `timeout` from now, so silence ends the read with a timeout error; the
// heartbeat goroutine selects on its ticker and on a `done` channel that keepAlive closes when it returns.
import { bufio, chan, close, fmt, go, io, net, recvCase, select, time, WaitGroup } from 'gonet';

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

  // The heartbeat: a PING every interval until keepAlive returns and closes `done`.
  const done = chan<void>();
  go(async () => {
    const ticker = time.newTicker(opts.interval);
    try {
      for (;;) {
        const { index } = await select([recvCase(done), recvCase(ticker.c)]);
        if (index === 0) return;
        const [, werr] = await conn.write('PING\n');
        if (werr !== null) return;
      }
    } finally {
      ticker.stop();
    }
  });
  const finish = (result: Error | null): Error | null => {
    close(done);
    conn.close();
    return result;
  };

  const reader = bufio.newReader(conn);
  for (;;) {
    // Any line — PONG or MSG — proves the server alive: each read gets a fresh deadline.
    conn.setReadDeadline(time.now() + opts.timeout);
    const [line, rerr] = await reader.readString('\n');
    if (rerr !== null) return finish(rerr === io.EOF ? null : rerr);
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
