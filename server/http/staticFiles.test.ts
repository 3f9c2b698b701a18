// The web app's files through the lab's HTTP server: app routes, caching, ETags and ranges, what is never served,
// the security headers, and a file that vanishes mid-request (it ends that response, never the lab).
import fs from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpServer } from './httpServer.js';
import { Lab } from '../lab.js';
import { isAppRoute } from './staticFiles.js';
import { contentSecurityPolicy } from './securityHeaders.js';

let root: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lab-web-'));
  await mkdir(path.join(root, 'assets'));
  await mkdir(path.join(root, '.vite'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>lab</title>');
  await writeFile(path.join(root, 'assets', 'app-abc123.js'), 'console.log("app")\n'.repeat(100));
  await writeFile(path.join(root, '.vite', 'manifest.json'), '{"secret":true}');
  await writeFile(path.join(root, 'build.json'), '{"build":"x"}');
  const lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test' });
  ({ server } = createHttpServer(lab, { webRoot: root, lessonsDir: root }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  aborted: boolean;
}
function get(p: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      let body = '';
      let aborted = false;
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, aborted: aborted || !res.complete }),
      );
    });
    req.on('error', reject);
  });
}

describe('isAppRoute', () => {
  it('is a path without a file extension', () => {
    expect(isAppRoute('/lessons/01-echo')).toBe(true);
    expect(isAppRoute('/')).toBe(true);
    expect(isAppRoute('/assets/app.js')).toBe(false);
  });
});

describe('the web app’s files', () => {
  it('serves assets with their MIME type, immutable caching and an ETag that answers 304', async () => {
    const r = await get('/assets/app-abc123.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toContain('immutable');
    expect(r.headers.etag).toBeTruthy();
    expect((await get('/assets/app-abc123.js', { 'if-none-match': r.headers.etag! })).status).toBe(304);
  });
  it('answers byte ranges', async () => {
    const r = await get('/assets/app-abc123.js', { range: 'bytes=0-6' });
    expect(r.status).toBe(206);
    expect(r.body).toBe('console');
  });
  it('serves index.html for app routes, 404 for a missing file', async () => {
    const r = await get('/lessons/01-echo');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>lab</title>');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect((await get('/assets/gone-000.js')).status).toBe(404);
  });
  it('never serves Vite’s manifest, dot folders, or anything outside the root', async () => {
    expect((await get('/.vite/manifest.json')).status).toBe(404);
    expect((await get('/.vite/manifest.json')).body).not.toContain('secret');
    for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc%2fpasswd', '/a%00b.js']) {
      const r = await get(p);
      expect(r.body, p).not.toContain('root:');
      // A path without an extension is an app route: it may get the app, never the file.
      if (r.status === 200) expect(r.body, p).toContain('<title>lab</title>');
      else expect([400, 403, 404], p).toContain(r.status);
    }
  });
  it('sends the security headers on files, app routes and the API', async () => {
    for (const p of ['/', '/assets/app-abc123.js', '/api/status']) {
      const r = await get(p);
      const csp = r.headers['content-security-policy'] ?? '';
      expect(csp, p).toContain(`frame-ancestors 'none'`);
      expect(csp, p).toContain(`default-src 'self'`);
      expect(csp, p).not.toContain('unsafe-eval');
      expect(r.headers['x-content-type-options'], p).toBe('nosniff');
      expect(r.headers['referrer-policy'], p).toBe('no-referrer');
    }
    // Only a worker script may evaluate code (the snippet worker runs the student's code with new Function).
    const worker = await get('/assets/app-abc123.js', { 'sec-fetch-dest': 'worker' });
    expect(worker.headers['content-security-policy']).toContain(`'unsafe-eval'`);
  });
});

describe('a file that vanishes between stat and read (issue 12, finding 6)', () => {
  it('ends that one request; the lab keeps serving', async () => {
    const file = path.join(root, 'assets', 'vanishing-1.js');
    await writeFile(file, 'x'.repeat(10_000));
    const original = fs.createReadStream;
    // `npm run build` empties dist/web while the lab serves: the file is stat'ed, then removed before it is opened.
    vi.spyOn(fs, 'createReadStream').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (String(p) === file) fs.rmSync(file);
      return original(p, o as Parameters<typeof original>[1]);
    }) as typeof fs.createReadStream);
    syncBuiltinESMExports();
    const r = await get('/assets/vanishing-1.js');
    expect(r.status === 404 || r.aborted).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    const after = await get('/assets/app-abc123.js');
    expect(after.status).toBe(200);
  });
});

describe('before the app is built', () => {
  it('says how to build it', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'lab-empty-'));
    const lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test' });
    const { server: s } = createHttpServer(lab, { webRoot: empty, lessonsDir: empty });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    } finally {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('contentSecurityPolicy', () => {
  it('names the lab’s WebSocket origin, except for IPv6 literals which the CSP grammar lacks', () => {
    expect(contentSecurityPolicy('127.0.0.1:7400', 'other')).toContain(`connect-src 'self' ws://127.0.0.1:7400`);
    expect(contentSecurityPolicy('[::1]:7400', 'other')).toContain(`connect-src 'self';`);
    expect(contentSecurityPolicy(null, 'worker')).toContain(`script-src 'self' 'unsafe-eval'`);
  });
});
