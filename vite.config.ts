// Vite config: web/ is the app root; code shared with the server comes from core/ (the @core alias in tsconfig.json).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const labPort = Number(process.env.LAB_PORT ?? 7400);
// One id per build: baked into the app and written to build.json, so the server can tell a stale tab to reload.
const buildId = process.env.LAB_BUILD ?? `${Date.now().toString(36)}`;

export default defineConfig({
  root: here('./web'),
  plugins: [
    react(),
    {
      name: 'lab-build-id',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'build.json', source: JSON.stringify({ build: buildId }) });
      },
    },
  ],
  // The aliases (@core/*, gonet) are declared once, in tsconfig.json.
  resolve: { tsconfigPaths: true },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    // The manifest lets the bundle benchmark follow exactly what the first lesson loads.
    manifest: true,
    // Two pages: the app, and the classroom's join page (a small bundle of its own, all a guest may load).
    rollupOptions: { input: { main: here('./web/index.html'), join: here('./web/join.html') } },
  },
  worker: { format: 'es' },
  server: {
    // `npm run dev`: the lab server (npm run serve) keeps the API and WebSocket; Vite proxies to it.
    // The lab answers only to its own Host and Origin (server/http/requestGuard.ts): the proxy speaks as the lab.
    proxy: {
      '/api': {
        target: `http://127.0.0.1:${labPort}`,
        changeOrigin: true,
        headers: { origin: `http://127.0.0.1:${labPort}` },
      },
      '/ws': {
        target: `ws://127.0.0.1:${labPort}`,
        ws: true,
        changeOrigin: true,
        headers: { origin: `http://127.0.0.1:${labPort}` },
      },
    },
  },
  define: {
    __LAB_BUILD__: JSON.stringify(buildId),
  },
});
