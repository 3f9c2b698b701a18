// Parses the lab's command line. Pure: returns a plan or a message for the user.
import { isLoopbackHost } from '../net/clientPlace.js';

export const DEFAULT_PORT = 7400;
export const DEFAULT_HOST = '127.0.0.1';

export type CliPlan =
  | {
      command: 'serve';
      host: string;
      port: number;
      demoPortBase: number;
      classroom: ClassroomPlan | null;
      allowHosts: string[];
      /** Classroom students may run Go programs (always sandboxed; refused where the sandbox is unavailable). */
      allowStudentGo: boolean;
      /** --data: the lab's data folder (classroom progress, the TLS lesson's certificates); null: the default. */
      dataDir: string | null;
    }
  | {
      command: 'run';
      demo: string;
      json: boolean;
      host: string;
      demoPortBase: number;
      seconds: number;
      /** (fault-proxy) fault rules as JSON, applied one after another. */
      faults?: string[];
    }
  | { command: 'go-run'; file: string; json: boolean; host: string; seconds: number }
  | { command: 'go-check'; file: string; json: boolean; seed: number | null }
  | { command: 'help' }
  | { command: 'error'; message: string };

/** Classroom mode: on with --classroom, or when the lab listens on an address other computers can reach. */
export interface ClassroomPlan {
  /** null: the user's data directory (see defaultDataFolder). */
  dataDir: string | null;
  classSize: number;
}

export const DEFAULT_CLASS_SIZE = 60;

export const USAGE = `GoNet Lab

  npm start                          build the app and start the lab on http://127.0.0.1:${DEFAULT_PORT}
  npm run lab -- serve [options]     start the lab without building
  npm run lab -- run <demo> [--json] run a demo's scenario headless and print its events, then exit
  npm run lab -- go run <file.go> [--json]
                                     build and run a Go program with the local Go toolchain, print its events
  npm run lab -- go check <lessons/NN-slug/file.go> [--json] [--seed <n>]
                                     check a Go exercise (lessons 11-13, 20-22) with the lab as its TCP peer

Options:
  --host <addr>        address to listen on (default ${DEFAULT_HOST}; use 0.0.0.0 for a classroom LAN)
  --port <n>           the lab's web port (default ${DEFAULT_PORT})
  --demo-ports <n>     first port of the demo servers (default: the web port + 1)
  --classroom          classroom mode: other computers join with a code (on by itself for a non-loopback --host)
  --data <dir>         the lab's data folder: classroom progress, TLS certificates and key log (default $XDG_DATA_HOME/gonet-lab or ~/.local/share/gonet-lab)
  --class-size <n>     most students in the class at once (default ${DEFAULT_CLASS_SIZE})
  --allow-host <name>  a host name students may use to reach the lab besides its addresses (repeatable)
  --allow-student-go   let classroom students run Go programs on this machine (only inside the sandbox)
  --json               (run) print events as JSON lines
  --seconds <n>        (run, go run) stop the scenario or program after n seconds (default 30)
  --seed <n>           (go check) the seed of the checker's random splits, to replay a check
  --fault <json>       (run fault-proxy) a fault rule to apply, repeatable, e.g. '{"fault":{"type":"latency","ms":200}}'
`;

function parsePort(value: string | undefined, flag: string, allowZero: boolean): number | string {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) {
    return `${flag} needs a port number between ${allowZero ? 0 : 1} and 65535 (got ${value ?? 'nothing'})`;
  }
  return n;
}

export function parseArgs(argv: readonly string[]): CliPlan {
  const positional: string[] = [];
  let host = DEFAULT_HOST;
  let port = DEFAULT_PORT;
  let demoPorts: number | undefined;
  let json = false;
  let seconds = 30;
  let seed: number | null = null;
  let classroom = false;
  let dataDir: string | null = null;
  let classSize = DEFAULT_CLASS_SIZE;
  const allowHosts: string[] = [];
  let allowStudentGo = false;
  const faults: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return { command: 'help' };
      case '--host': {
        const v = value();
        if (!v) return { command: 'error', message: '--host needs an address, e.g. --host 127.0.0.1' };
        host = v;
        break;
      }
      case '--port': {
        const p = parsePort(value(), '--port', false);
        if (typeof p === 'string') return { command: 'error', message: p };
        port = p;
        break;
      }
      case '--demo-ports': {
        const p = parsePort(value(), '--demo-ports', true);
        if (typeof p === 'string') return { command: 'error', message: p };
        demoPorts = p;
        break;
      }
      case '--allow-host': {
        const v = value();
        if (!v || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\.?$/i.test(v))
          return {
            command: 'error',
            message: `--allow-host needs a host name, e.g. --allow-host lab.school (got ${v ?? 'nothing'})`,
          };
        allowHosts.push(v.toLowerCase());
        break;
      }
      case '--json':
        json = true;
        break;
      case '--allow-student-go':
        allowStudentGo = true;
        break;
      case '--classroom':
        classroom = true;
        break;
      case '--data': {
        const v = value();
        if (!v) return { command: 'error', message: '--data needs a folder, e.g. --data ~/gonet-class' };
        dataDir = v;
        break;
      }
      case '--class-size': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 1000)
          return {
            command: 'error',
            message: `--class-size needs a whole number from 1 to 1000 (got ${v ?? 'nothing'})`,
          };
        classSize = n;
        break;
      }
      case '--fault': {
        const v = value();
        if (!v)
          return { command: 'error', message: `--fault needs a JSON rule, e.g. --fault '{"fault":{"type":"stall"}}'` };
        faults.push(v);
        break;
      }
      case '--seconds': {
        const s = Number(value());
        if (!(s > 0)) return { command: 'error', message: '--seconds needs a positive number' };
        seconds = s;
        break;
      }
      case '--seed': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
          return {
            command: 'error',
            message: `--seed needs a whole number from 0 to 4294967295 (got ${v ?? 'nothing'})`,
          };
        seed = n;
        break;
      }
      default:
        if (arg.startsWith('-')) return { command: 'error', message: `unknown option ${arg}\n\n${USAGE}` };
        positional.push(arg);
    }
  }
  const [command = 'serve', demo] = positional;
  if (command === 'serve') {
    const inClass = classroom || !isLoopbackHost(host);
    return {
      command: 'serve',
      host,
      port,
      demoPortBase: demoPorts ?? port + 1,
      classroom: inClass ? { dataDir, classSize } : null,
      allowHosts,
      allowStudentGo,
      dataDir,
    };
  }
  if (command === 'run') {
    if (!demo) return { command: 'error', message: `run needs a demo name, e.g. npm run lab -- run echo --json` };
    // Headless runs take free ports by default, so they work beside a running lab.
    return {
      command: 'run',
      demo,
      json,
      host,
      demoPortBase: demoPorts ?? 0,
      seconds,
      ...(faults.length ? { faults } : {}),
    };
  }
  if (command === 'go') {
    const file = positional[2];
    if ((demo !== 'run' && demo !== 'check') || !file || !file.endsWith('.go')) {
      return {
        command: 'error',
        message:
          'go needs run or check and a Go file, e.g. npm run lab -- go run lessons/01-echo-server/main.go --json, or npm run lab -- go check lessons/11-length-prefix-decoder/start.go',
      };
    }
    if (demo === 'check') return { command: 'go-check', file, json, seed };
    return { command: 'go-run', file, json, host, seconds };
  }
  return { command: 'error', message: `unknown command "${command}"\n\n${USAGE}` };
}
