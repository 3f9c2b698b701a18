// Builds and starts the netpoller demo's three echo servers as child processes of their own: the lesson's Go
// server (goroutine per connection), Node (one JS thread, libuv's epoll) and the thread-per-connection Go
// server. The Go programs are built once by the lab's own-program builder (shared Go build cache, offline).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../../core/protocol/errors.js';
import type { NetpollerServer } from '../../../core/protocol/demos/netpoller.js';
import type { GoToolchain } from '../../gorun/goToolchain.js';
import { LabProgram } from '../../gorun/labProgramBuild.js';

const SOURCES = {
  go: fileURLToPath(new URL('../../../lessons/30-netpoller/main.go', import.meta.url)),
  threads: fileURLToPath(new URL('./threadServer/main.go', import.meta.url)),
  node: fileURLToPath(new URL('./nodeEchoServer.mjs', import.meta.url)),
} as const;

const START_TIMEOUT_MS = 15_000;

export interface RunningServer {
  server: NetpollerServer;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Starts any of the three servers; the Go ones are built on first use and kept in the lab's cache folder. */
export class EchoServers {
  private readonly programs: Record<'go' | 'threads', LabProgram>;
  private readonly children = new Set<ChildProcess>();

  constructor(cacheDir: string, toolchain: () => Promise<GoToolchain>) {
    this.programs = {
      go: new LabProgram(SOURCES.go, 'netpoller-go', { cacheDir, toolchain }),
      threads: new LabProgram(SOURCES.threads, 'netpoller-threads', { cacheDir, toolchain }),
    };
  }

  /** Builds a Go server once (later calls share the first build); rejects with E_GO_BUILD_FAILED and the output. */
  build(server: 'go' | 'threads'): Promise<string> {
    return this.programs[server].path();
  }

  async start(server: NetpollerServer, host: string): Promise<RunningServer> {
    const [command, args] =
      server === 'node'
        ? [process.execPath, [SOURCES.node, `${host}:0`]]
        : [await this.build(server), ['-addr', `${host}:0`]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    void exited.then(() => this.children.delete(child));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(
        () => fail(`did not say it was listening within ${START_TIMEOUT_MS} ms`),
        START_TIMEOUT_MS,
      );
      function fail(why: string) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new LabError('E_ACTION_FAILED', `the ${server} echo server ${why}${err ? `: ${err.trim()}` : ''}`));
      }
      child.stderr!.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-2000)));
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /listening on \S*:(\d+)\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('error', (e) => fail(`could not start (${e.message})`));
      child.once('close', (code) => fail(`exited (code ${code})`));
    });
    child.stdout!.resume();
    return {
      server,
      pid: child.pid!,
      port,
      stop: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** Kills what is still running (the built programs stay in the cache for the next lab). */
  dispose(): Promise<void> {
    for (const c of this.children) c.kill('SIGKILL');
    this.children.clear();
    return Promise.resolve();
  }
}
