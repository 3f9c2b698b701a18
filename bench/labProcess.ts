// Starts a real lab server (built app, free ports) and Debian's Chromium for the benchmarks that measure pages.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { freePort } from '../server/net/freePort.js';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromiumOptions.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningLab {
  url: string;
  child: ChildProcess;
  stop(): void;
}

export async function startLab(): Promise<RunningLab> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--demo-ports', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('GoNet Lab is running') && resolve());
    child.once('exit', (code) => reject(new Error(`lab server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => child.kill('SIGTERM') };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}
