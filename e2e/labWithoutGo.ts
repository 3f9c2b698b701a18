// A second lab for walks that need a machine without Go: its PATH has every command of /usr/bin but go and gofmt,
// and a build cache of its own; stopped and removed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../server/net/freePort';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LabWithoutGo {
  port: number;
  stop(): Promise<void>;
}

export async function startLabWithoutGo(): Promise<LabWithoutGo> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'gonet-lab-nogo-'));
  const bin = path.join(scratch, 'bin');
  mkdirSync(bin);
  for (const name of readdirSync('/usr/bin'))
    if (name !== 'go' && name !== 'gofmt') symlinkSync(`/usr/bin/${name}`, path.join(bin, name));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--demo-ports', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PATH: `${bin}:/usr/sbin`, GONET_LAB_CACHE: path.join(scratch, 'cache') },
    },
  );
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Press Ctrl-C')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`lab exited with ${code}:\n${out}`)));
    });
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
