// Starts a benchmark's server in a Node process of its own (through tsx) and waits for its first printed line,
// which the bench's server scripts use to say their port.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `node --import tsx <args>` from the project's folder; resolves with the first line it prints. */
export function startChild(args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, firstLine: out.slice(0, nl).trim() });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** Starts a server script that prints its port on its first line. */
export async function startServerProcess(
  script: string,
  ...args: string[]
): Promise<{ child: ChildProcess; port: number }> {
  const { child, firstLine } = await startChild([script, ...args]);
  return { child, port: Number(firstLine) };
}
