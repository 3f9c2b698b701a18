// Lesson 23 in TypeScript: a client on a plain TCP connection to the lab's HTTP server, printing the bytes as they
// come. Three requests on one kept-alive connection: two with a Content-Length body, then a chunked one. The lab's
// runtime has no HTTP package, so this client finds each body's end itself, as net/http's parser does for main.go.
import { bufio, fmt, io, lab, net } from 'gonet';

/** Shows CR and LF, which HTTP's framing is made of. */
function visible(s: string): string {
  return s.split('\r').join('␍').split('\n').join('␊');
}

/** Reads one response: status line and headers up to the empty line, then the body its headers describe. */
async function readResponse(r: bufio.Reader): Promise<Error | null> {
  let length = -1;
  let chunked = false;
  for (;;) {
    const [line, err] = await r.readString('\n');
    if (err !== null) return err;
    fmt.println(`  head   ${visible(line)}`);
    if (line === '\r\n') break;
    const [name, value] = [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()];
    if (name === 'content-length') length = Number(value);
    if (name === 'transfer-encoding' && value.toLowerCase() === 'chunked') chunked = true;
  }
  if (!chunked) {
    const body = new Uint8Array(Math.max(0, length));
    const [, err] = await io.readFull(r, body);
    if (err !== null) return err;
    fmt.println(`  body   ${visible(new TextDecoder().decode(body))} (Content-Length: ${length})`);
    return null;
  }
  for (;;) {
    // Each chunk: its size in hex on a line, that many bytes, CRLF. Size 0 ends the body.
    const [sizeLine, err] = await r.readString('\n');
    if (err !== null) return err;
    const size = parseInt(sizeLine, 16);
    fmt.println(`  chunk  ${visible(sizeLine)} = ${size} bytes`);
    const data = new Uint8Array(size + 2);
    const [, derr] = await io.readFull(r, data);
    if (derr !== null) return derr;
    if (size === 0) return null;
    fmt.println(`  data   ${visible(new TextDecoder().decode(data))}`);
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
    const request = `GET ${path} HTTP/1.1\r\nHost: ${addr}\r\n\r\n`;
    fmt.println(`request (${request.length} bytes): ${visible(request)}`);
    const [, werr] = await conn.write(request);
    if (werr !== null) {
      fmt.println(`write: ${werr.message}`);
      break;
    }
    const rerr = await readResponse(r);
    if (rerr !== null) {
      fmt.println(`read: ${rerr.message}`);
      break;
    }
  }
  conn.close();
}
