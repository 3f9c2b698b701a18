// The security headers of every response: a Content-Security-Policy the app (Monaco's workers, mermaid, the snippet
// worker, the lab's WebSockets) works under, no framing, no MIME sniffing, no referrer beyond the lab. Pure.

/**
 * What asks for the response: a worker script (Sec-Fetch-Dest: worker) gets 'unsafe-eval', because the snippet
 * worker runs the student's transpiled code with `new Function`; documents never do.
 */
export type FetchDestination = 'worker' | 'other';

export function contentSecurityPolicy(host: string | null, dest: FetchDestination): string {
  // 'self' covers ws: on the same host in CSP3; the explicit ws:// source keeps older engines working (CSP's grammar
  // has no IPv6 literals, so [::1] relies on 'self').
  const connect = host && !host.startsWith('[') ? `'self' ws://${host}` : `'self'`;
  const script = dest === 'worker' ? `'self' 'unsafe-eval'` : `'self'`;
  return [
    `default-src 'self'`,
    `script-src ${script}`,
    // Monaco and mermaid set styles at run time (style elements and attributes).
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src ${connect}`,
    `worker-src 'self' blob:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

export function securityHeaders(host: string | null, dest: FetchDestination): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(host, dest),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
