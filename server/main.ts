// Entry point of the lab server and its command line (`npm start`, `npm run lab -- ...`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatBanner } from './cli/banner.js';
import { parseArgs, USAGE } from './cli/args.js';
import { runHeadless } from './cli/headless.js';
import { runGoHeadless } from './cli/goHeadless.js';
import { runGoCheckHeadless } from './cli/goCheckHeadless.js';
import { createDemos } from './demos/demoRegistry.js';
import { FaultProxyDemo } from './demos/faultProxy/faultProxyDemo.js';
import { createHttpServer } from './http/httpServer.js';
import { Lab } from './lab.js';
import { listenTcp } from './net/listen.js';
import { ERROR_MESSAGES, LabError } from '../core/protocol/errors.js';
import { homedir } from 'node:os';
import { Classroom } from './classroom/classroom.js';
import { defaultDataFolder } from './classroom/dataFolder.js';
import type { ClassroomPlan } from './cli/args.js';

const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));
const lessonsDir = fileURLToPath(new URL('../lessons', import.meta.url));

function readBuildId(): string {
  try {
    return (JSON.parse(readFileSync(`${webRoot}/build.json`, 'utf8')) as { build: string }).build;
  } catch {
    return 'dev';
  }
}

function fail(message: string): never {
  process.stderr.write(`\n  ${message}\n\n`);
  process.exit(1);
}

async function openClassroom(plan: ClassroomPlan): Promise<Classroom> {
  const dataDir = plan.dataDir ?? defaultDataFolder(process.env, homedir());
  try {
    return await Classroom.open({ dataDir, classSize: plan.classSize, webRoot });
  } catch (err) {
    // Refuse to start rather than run a class whose progress would be lost.
    if (err instanceof LabError)
      fail(`${err.code}: ${err.message}\n  ${ERROR_MESSAGES[err.code].en}\n  ${ERROR_MESSAGES[err.code].zh}`);
    throw err;
  }
}

async function serve(
  host: string,
  port: number,
  demoPortBase: number,
  classroomPlan: ClassroomPlan | null,
  allowHosts: readonly string[],
  allowStudentGo: boolean,
  dataDir: string | null,
): Promise<void> {
  const classroom = classroomPlan ? await openClassroom(classroomPlan) : undefined;
  const lab = new Lab({ host, demoPortBase, build: readBuildId() });
  const { server, gateway, bridge } = createHttpServer(lab, { webRoot, lessonsDir, classroom, allowHosts });
  try {
    await listenTcp(server as unknown as import('node:net').Server, { host, port, flag: '--port' });
  } catch (err) {
    fail(err instanceof LabError ? `${err.message}` : String(err));
  }
  const failures = await lab.start(createDemos({ allowStudentGo, dataDir: dataDir ?? undefined }));
  if (failures.length > 0) {
    await lab.stop();
    server.close();
    fail(failures.map((f) => f.message).join('\n  '));
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const banner = formatBanner(`http://${shownHost}:${port}/`, lab.status());
  const fullBanner = classroom
    ? banner.replace(/\n {2}Press Ctrl-C/, `${(await classroom.bannerLines(port)).join('\n')}\n\n  Press Ctrl-C`)
    : banner;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C means "now"
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping demos and closing connections…\n`);
    gateway.close();
    bridge.close();
    classroom?.close();
    server.closeAllConnections();
    await Promise.all([new Promise((resolve) => server.close(resolve)), lab.stop()]);
    process.stdout.write('  GoNet Lab stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // After the handlers: a Ctrl-C sent as soon as the banner says "Press Ctrl-C" must stop the lab cleanly.
  process.stdout.write(fullBanner);
}

async function main(): Promise<void> {
  const plan = parseArgs(process.argv.slice(2));
  switch (plan.command) {
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'error':
      return fail(plan.message);
    case 'serve':
      return serve(
        plan.host,
        plan.port,
        plan.demoPortBase,
        plan.classroom,
        plan.allowHosts,
        plan.allowStudentGo,
        plan.dataDir,
      );
    case 'run': {
      const demo = createDemos().find((d) => d.id === plan.demo);
      if (!demo) {
        const known = createDemos()
          .filter((d) => d.scenario)
          .map((d) => d.id);
        fail(`no demo named "${plan.demo}"; demos with a scenario: ${known.join(', ')}`);
      }
      if (plan.faults) {
        if (!(demo instanceof FaultProxyDemo)) fail('--fault is an option of the fault-proxy demo');
        demo.scenarioFaults = plan.faults;
      }
      try {
        await runHeadless(demo, {
          host: plan.host,
          demoPortBase: plan.demoPortBase,
          seconds: plan.seconds,
          format: plan.json ? 'json' : 'text',
          write: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
      // stdout into a pipe is written asynchronously: exiting at once would cut a long last line (a loss run's
      // result is a few hundred KB).
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      return process.exit(0);
    }
    case 'go-run': {
      const result = await runGoHeadless({
        file: plan.file,
        host: plan.host,
        seconds: plan.seconds,
        format: plan.json ? 'json' : 'text',
        write: (line) => process.stdout.write(`${line}\n`),
      }).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
      // A program stopped at --seconds did what was asked; any other end but a clean exit is a failure.
      return process.exit(
        (result.status === 'exited' && result.exitCode === 0) || result.error?.code === 'E_GO_STOPPED' ? 0 : 1,
      );
    }
    case 'go-check': {
      const report = await runGoCheckHeadless({
        file: plan.file,
        format: plan.json ? 'json' : 'text',
        seed: plan.seed,
        write: (line) => process.stdout.write(`${line}\n`),
      }).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
      // Exit 0 only when every check passed, so a script can use it.
      return process.exit(report.status === 'checked' && report.checks.every((c) => c.pass) ? 0 : 1);
    }
  }
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
