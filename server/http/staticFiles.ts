// Serves the built web app from dist/web with serve-static (MIME types, ETags, ranges, traversal and read errors
// handled there): hashed assets cached for good, index.html for every app route, nothing under a dot folder
// (Vite's .vite/manifest.json is for the bundle benchmark, not for browsers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import serveStatic from 'serve-static';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** True for URL paths that name an app route (no file extension), which get index.html when no file matches. */
export function isAppRoute(urlPath: string): boolean {
  return path.posix.extname(urlPath) === '';
}

export function createStaticFiles(root: string): StaticHandler {
  const files = serveStatic(root, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders(res, file) {
      const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const serve = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<Error | 'missing' | 'sent'>((resolve) => {
      res.once('finish', () => resolve('sent'));
      res.once('close', () => resolve('sent'));
      files(req as Parameters<typeof files>[0], res as Parameters<typeof files>[1], (err?: unknown) =>
        resolve(err instanceof Error ? err : 'missing'),
      );
    });

  return async (req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://lab').pathname;
    let outcome = await serve(req, res);
    // A read that failed after the headers went out (the file vanished mid-request): end this response only.
    if (outcome !== 'sent' && res.headersSent) return void res.destroy();
    if (outcome === 'missing' && isAppRoute(urlPath) && (req.method === 'GET' || req.method === 'HEAD')) {
      const original = req.url;
      req.url = '/index.html';
      outcome = await serve(req, res);
      req.url = original;
      if (outcome !== 'sent' && res.headersSent) return void res.destroy();
      if (outcome === 'missing') {
        res
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The web app is not built yet. Run `npm start` (it builds first) or `npm run build`.\n');
        return;
      }
    }
    if (outcome === 'sent') return;
    const status = outcome === 'missing' ? 404 : 500;
    res
      .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      .end(status === 404 ? 'not found\n' : 'could not read the file\n');
  };
}
