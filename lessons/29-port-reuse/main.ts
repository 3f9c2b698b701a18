// Lesson 29 in TypeScript: the restart of main.go with the option Node always sets. The lab's bridge listens with
// Node's net, which turns SO_REUSEADDR on for every listener and has no call to clear it, nor (on Node 20) to set
// SO_REUSEPORT: so this twin can show the restart that works, and a second live listener refused, but not the
// failing restart or the spread across listeners (main.go and the view show those).
import { fmt, net } from 'gonet';

export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) return fmt.println('listen:', err);
  const addr = ln.addr().string();

  // A client that reads until the server closes, then closes too.
  const client = (async () => {
    const [c, derr] = await net.dial('tcp', addr);
    if (derr !== null) return;
    const buf = new Uint8Array(64);
    for (;;) {
      const [, rerr] = await c.read(buf);
      if (rerr !== null) break; // EOF: the server closed
    }
    c.close();
  })();

  const [conn, aerr] = await ln.accept();
  if (aerr !== null) return fmt.println('accept:', aerr);
  fmt.printf('served %s -> %s, the server closes first\n', conn.localAddr().string(), conn.remoteAddr().string());
  await conn.write('bye\n');
  conn.close(); // the server's end of this connection waits in TIME_WAIT now
  await client;

  // While the first listener is still open, a second one on the same port is refused.
  const [twin, terr] = await net.listen('tcp', addr);
  if (terr !== null) fmt.println('second live listener:', terr);
  else twin.close();

  ln.close();
  const [again, rerr] = await net.listen('tcp', addr);
  if (rerr !== null) return fmt.println('restart failed:', rerr);
  fmt.println('restart listens on', again.addr().string(), '(SO_REUSEADDR is on, as Node sets it)');
  again.close();
}
