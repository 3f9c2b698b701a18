// Builds and starts the netpoller demo's three echo servers as child processes of their own: the lesson's Go
// server (goroutine per connection), Node (one JS thread, libuv's epoll) and the thread-per-connection Go
// server. Go programs are built once per demo with the lab's shared Go build cache, offline.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../../core/protocol/errors.js';
import type { NetpollerServer } from '../../../core/protocol/demos/netpoller.js';
import { goBuildEnv, runModuleFile, type GoToolchain } from '../../gorun/goToolchain.js';

const SOURCES = {
  go: fileURLToPath(new URL('../../../lessons/30-netpoller/main.go', import.meta.url)),
  threads: fileURLToPath(new URL('./threadServer/main.go', import.meta.url)),
  node: fileURLToPath(new URL('./nodeEchoServer.mjs', import.meta.url)),
} as const;

/** The first build compiles the standard library into the cache (about a minute on a busy 2-core machine). */
const BUILD_TIMEOUT_MS = 240_000;
const START_TIMEOUT_MS = 15_000;

export interface RunningServer {
  server: NetpollerServer;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Builds the Go servers into a folder of the demo's own (removed by dispose) and starts any of the three. */
export class EchoServers {
  private dir: Promise<string> | null = null;
  private readonly built = new Map<'go' | 'threads', Promise<string>>();
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly cacheDir: string,
    private readonly toolchain: () => Promise<GoToolchain>,
  ) {}

  /** Builds a Go server once (later calls share the first build); rejects with E_GO_BUILD_FAILED and the output. */
  build(server: 'go' | 'threads'): Promise<string> {
    let binary = this.built.get(server);
    if (!binary) {
      binary = this.buildOnce(server);
      binary.catch(() => this.built.delete(server));
      this.built.set(server, binary);
    }
    return binary;
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

  /** Kills what is still running and removes the build folder. */
  async dispose(): Promise<void> {
    for (const c of this.children) c.kill('SIGKILL');
    this.children.clear();
    const dir = this.dir;
    this.dir = null;
    this.built.clear();
    if (dir) await rm(await dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private async buildOnce(server: 'go' | 'threads'): Promise<string> {
    const toolchain = await this.toolchain();
    this.dir ??= mkdtemp(join(tmpdir(), 'gonet-lab-netpoller-'));
    const src = join(await this.dir, server);
    await rm(src, { recursive: true, force: true });
    await mkdir(src, { recursive: true });
    await copyFile(SOURCES[server], join(src, 'main.go'));
    await writeFile(join(src, 'go.mod'), runModuleFile(toolchain.version));
    const binary = join(src, 'server');
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(toolchain.go, ['build', '-trimpath', '-o', binary, '.'], {
        cwd: src,
        env: goBuildEnv(this.cacheDir),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      const collect = (b: Buffer) => (text = (text + b.toString('utf8')).slice(-8000));
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
      child.on('error', (e) => resolve({ code: null, text: e.message }));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, text });
      });
    });
    if (output.code !== 0)
      throw new LabError('E_GO_BUILD_FAILED', output.text.trim() || `go build: exit ${output.code}`);
    return binary;
  }
}
