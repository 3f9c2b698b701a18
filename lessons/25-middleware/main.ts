// Lesson 25 in TypeScript: the requests the lab's onion stops at each layer, sent from the client side against the
// lab's HTTP server (main.go is the server in Go): auth without and with the token, a panic caught by recovery, a
// handler too slow for the timeout. Prints each status and the X-Request-Id the request-id layer sent back.
import { fmt, http, lab, time } from 'gonet';

async function send(addr: string, what: string, target: string, header: [string, string][] = []): Promise<void> {
  const start = time.now();
  const [resp, err] = await http.roundTrip(addr, { method: 'GET', target, header });
  if (err !== null) {
    fmt.println(`${what}: ${err.message}`);
    return;
  }
  const id = http.headerValue(resp.header, 'X-Request-Id');
  fmt.println(`${what}: GET ${target}`);
  fmt.println(`  ${resp.statusLine} after ${Math.round(time.since(start))} ms  X-Request-Id: ${id || '(none)'}`);
  fmt.println(`  ${resp.body.trimEnd()}`);
}

export async function main(): Promise<void> {
  const addr = lab.addr('http');
  await send(addr, 'through every layer', '/hello');
  await send(addr, 'our own request id', '/hello', [['X-Request-Id', 'my-id-1']]);
  await send(addr, 'auth, no token', '/admin');
  await send(addr, 'auth, with the token', '/admin', [['Authorization', 'Bearer lab-secret']]);
  await send(addr, 'recovery', '/panic');
  await send(addr, 'timeout (2 s budget)', '/slow?ms=3000');
  await send(addr, 'within the budget', '/slow?ms=1000');
}
