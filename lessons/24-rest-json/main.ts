// Lesson 24 in TypeScript: the client side of the REST lesson, against the lab's HTTP server (main.go is the server
// in Go). Create an item, get it, update it, list, delete it, then the requests the server refuses: for each, the
// status line and body a client gets. One connection per request, written and read with gonet's http.
import { fmt, http, lab } from 'gonet';

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** Sends one request and prints what came back; returns the response, or null when the exchange failed. */
async function send(
  addr: string,
  method: string,
  target: string,
  body = '',
  header: [string, string][] = body === '' ? [] : [JSON_TYPE],
): Promise<http.Response | null> {
  const [resp, err] = await http.roundTrip(addr, { method, target, body, header });
  if (err !== null) {
    fmt.println(`${method} ${target}: ${err.message}`);
    return null;
  }
  const shown = body.length > 60 ? `${body.slice(0, 20)}… (${body.length} bytes)` : body;
  fmt.println(`${method} ${target} ${shown}`.trimEnd());
  const location = http.headerValue(resp.header, 'Location');
  fmt.println(`  ${resp.statusLine}${location ? `  Location: ${location}` : ''}`);
  fmt.println(`  ${resp.body === '' ? '(no body)' : resp.body.trimEnd()}`);
  return resp;
}

export async function main(): Promise<void> {
  const addr = lab.addr('http');
  fmt.println('2xx: the request worked');
  const created = await send(addr, 'POST', '/items', '{"name":"milk"}');
  // Every page shares the server's items: use the id this POST got, not a guess.
  const location = created ? http.headerValue(created.header, 'Location') : '';
  if (created?.statusCode !== 201 || location === '') {
    fmt.println('no item was created; stopping');
    return;
  }
  await send(addr, 'GET', location);
  await send(addr, 'PUT', location, '{"name":"milk","done":true}');
  await send(addr, 'GET', '/items');
  await send(addr, 'DELETE', location);

  fmt.println('\n4xx: the client must change something');
  await send(addr, 'GET', location); // deleted: 404
  await send(addr, 'DELETE', location); // deleting twice: 404 again
  await send(addr, 'POST', '/items', '{"name":""}'); // JSON, but not a valid item: 422
  await send(addr, 'POST', '/items', '{"name":"milk"'); // not JSON: 400
  await send(addr, 'POST', '/items', `{"name":"${'x'.repeat(5000)}"}`); // over the 4096-byte limit: 413
  await send(addr, 'POST', '/items', 'name=milk', [['Content-Type', 'text/plain']]); // not JSON at all: 415

  fmt.println('\n5xx: the server failed; a safe request may be retried');
  await send(addr, 'GET', '/panic');
}
