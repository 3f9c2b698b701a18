// Lesson 23 in TypeScript: a client on a plain TCP connection to the lab's HTTP server, printing the bytes as they
// come. Three requests on one kept-alive connection: two with a Content-Length body, then a chunked one. The lab's
// runtime has no net/http: gonet's http.readResponse finds each body's end from the head, as net/http's parser does
// for main.go, and hands each head line, body and chunk to this program as it reads them.
import { bufio, fmt, http, lab, net } from 'gonet';

/** Shows CR and LF, which HTTP's framing is made of. */
function visible(s: string): string {
  return s.split('\r').join('␍').split('\n').join('␊');
}

function show(part: http.ResponsePart): void {
  if (part.kind === 'head') fmt.println(`  head   ${visible(part.line)}`);
  if (part.kind === 'body') fmt.println(`  body   ${visible(part.text)} (Content-Length: ${part.length})`);
  if (part.kind === 'chunk') {
    fmt.println(`  chunk  ${visible(part.sizeLine)} = ${part.size} bytes`);
    if (part.size > 0) fmt.println(`  data   ${visible(part.text)}`);
  }
}

export async function main(): Promise<void> {
  const addr = lab.addr('http');
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) {
    fmt.println(`dial: ${err.message}`);
    return;
  }
  const r = bufio.newReader(conn);
  for (const path of ['/hello', '/hello', '/chunked?n=3&ms=100']) {
    // One connection, three requests: only the first paid for a handshake.
    const request = http.formatRequest({ method: 'GET', target: path, host: addr });
    fmt.println(`request (${request.length} bytes): ${visible(request)}`);
    const [, werr] = await conn.write(request);
    if (werr !== null) {
      fmt.println(`write: ${werr.message}`);
      break;
    }
    const [, rerr] = await http.readResponse(r, show);
    if (rerr !== null) {
      fmt.println(`read: ${rerr.message}`);
      break;
    }
  }
  conn.close();
}
