// The request guard on a real lab server: real HTTP requests and WebSocket upgrades with forged Host and Origin.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EchoDemo } from '../demos/echo/echoDemo.js';
import { startTestLab, type TestLabServer } from '../bridge/testLabServer.js';

let lab: TestLabServer;
beforeAll(async () => {
  lab = await startTestLab({ demos: [new EchoDemo()] });
});
afterAll(async () => {
  await lab.stop();
});

function get(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: lab.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket with the given headers: 'open', or the HTTP status and error code it was refused with. */
function upgrade(path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(`${res.statusCode}:${(JSON.parse(body) as { error: { code: string } }).error.code}`));
    });
    ws.once('error', () => resolve('error'));
  });
}

describe('DNS rebinding: a Host the lab does not serve', () => {
  it('is refused on the API and the app even when Origin matches the Host', async () => {
    const evil = `evil.example:${lab.port}`;
    const r = await get('/api/status', { host: evil, origin: `http://${evil}` });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'E_HOST_NOT_ALLOWED' } });
    expect((await get('/', { host: evil })).status).toBe(403);
  });
  it('is refused on both WebSockets even when Origin matches the Host', async () => {
    const evil = `evil.example:${lab.port}`;
    expect(await upgrade('/ws', { host: evil, origin: `http://${evil}` })).toBe('403:E_HOST_NOT_ALLOWED');
    expect(await upgrade('/ws/bridge', { host: evil, origin: `http://${evil}` })).toBe('403:E_HOST_NOT_ALLOWED');
  });
});

describe('Origin', () => {
  const self = () => `http://127.0.0.1:${lab.port}`;
  it('a foreign Origin is refused on /ws, /ws/bridge and the API', async () => {
    expect(await upgrade('/ws', { origin: 'http://evil.example' })).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(await upgrade('/ws/bridge', { origin: 'http://evil.example' })).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect((await get('/api/status', { origin: 'http://evil.example' })).status).toBe(403);
  });
  it('a WebSocket without Origin is refused; with the lab’s own Origin it opens', async () => {
    expect(await upgrade('/ws', {})).toBe('403:E_ORIGIN_REQUIRED');
    expect(await upgrade('/ws/bridge', {})).toBe('403:E_ORIGIN_REQUIRED');
    expect(await upgrade('/ws', { origin: self() })).toBe('open');
    expect(await upgrade('/ws/bridge', { origin: `http://localhost:${lab.port}`, host: `localhost:${lab.port}` })).toBe(
      'open',
    );
  });
  it('curl-like GETs without Origin still read the API; other methods without Origin are refused', async () => {
    const r = await get('/api/status', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toHaveProperty('demos');
    const post = await get('/api/status', {}, 'POST');
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body)).toMatchObject({ error: { code: 'E_ORIGIN_REQUIRED' } });
  });
});
