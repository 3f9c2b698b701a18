// Finds the local Go toolchain and says how the lab builds with it: offline, module mode, one shared build cache.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LabError } from '../../core/protocol/errors.js';

export interface GoToolchain {
  /** The go command as run (a name on PATH or a path). */
  go: string;
  /** e.g. "go1.19.8 linux/amd64". */
  version: string;
}

/** Runs `go version`; rejects with E_GO_NOT_INSTALLED when there is no such command or it does not answer. */
export function findGoToolchain(go = 'go'): Promise<GoToolchain> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.on('error', (err) => reject(new LabError('E_GO_NOT_INSTALLED', `${go}: ${err.message}`)));
    child.on('close', (code) => {
      const m = /^go version (\S+ \S+)/.exec(out);
      if (code === 0 && m) resolve({ go, version: m[1]! });
      else reject(new LabError('E_GO_NOT_INSTALLED', `${go} version: exit ${code}, ${out.trim() || 'no output'}`));
    });
  });
}

/**
 * The environment of `go build`: module mode, no network (GOPROXY=off), dependencies resolved from the module
 * cache only, cgo off (no C compiler needed), and the lab's own build and module caches so a second build is fast.
 * Nothing else of the lab's environment is passed on.
 */
export function goBuildEnv(cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cacheDir,
    GOCACHE: join(cacheDir, 'go-build'),
    GOPATH: join(cacheDir, 'gopath'),
    GOMODCACHE: join(cacheDir, 'gopath', 'pkg', 'mod'),
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GO111MODULE: 'on',
    GOWORK: 'off',
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    CGO_ENABLED: '0',
  };
  if (process.env.GOROOT) env.GOROOT = process.env.GOROOT;
  return env;
}

/** The go.mod of a run folder: the lesson programs use the standard library only. */
export function runModuleFile(goVersion: string): string {
  const m = /^go(\d+\.\d+)/.exec(goVersion);
  return `module gonetlab/run\n\ngo ${m ? m[1] : '1.19'}\n`;
}
