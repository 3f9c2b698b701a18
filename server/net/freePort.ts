// Asks the kernel for a port nobody uses right now: for tests and benchmarks that start a lab, and for the handshake
// demo's refused scenario (a port where nothing listens) when the lab hands out ports dynamically.
import net from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, resolve);
  });
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
