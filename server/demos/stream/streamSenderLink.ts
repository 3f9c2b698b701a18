// The lab's handle on the stream demo's sender process: starts it, asks it for runs, relays its write records.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../../core/protocol/errors.js';
import type { StreamRunSettings } from '../../../core/protocol/events/stream.js';
import type { FromSender, ToSender, WriteRecord } from './senderMessages.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const senderScript = fileURLToPath(new URL('./streamSenderProcess.ts', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

interface PendingRun {
  onWrites(writes: WriteRecord[]): void;
  done(error?: string): void;
}

export class StreamSenderLink {
  private child: ChildProcess | null = null;
  private readonly runs = new Map<string, PendingRun>();
  tcpPort = 0;

  /** Starts the sender process (TypeScript through tsx's loader) listening on host:port, and waits until it listens. */
  async start(host: string, port: number): Promise<void> {
    const child = fork(senderScript, [], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, STREAM_SENDER_HOST: host, STREAM_SENDER_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new LabError('E_INTERNAL', 'the stream sender process did not start in time')),
        READY_TIMEOUT_MS,
      );
      child.on('message', (m: FromSender) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          this.tcpPort = m.tcpPort;
          resolve();
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          reject(
            m.error.includes('in use')
              ? new LabError(
                  'E_PORT_IN_USE',
                  `${host}:${port} is already in use; start the lab with --demo-ports <another port>`,
                )
              : new LabError('E_INTERNAL', m.error),
          );
        } else this.onMessage(m);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new LabError('E_INTERNAL', `the stream sender process exited (code ${code})`));
        this.child = null;
        for (const run of this.runs.values()) run.done('the sender process exited');
        this.runs.clear();
      });
    });
  }

  /** Asks for a run; onWrites gets the write records as they come; resolves when the sender is done. */
  run(message: ToSender, onWrites: (writes: WriteRecord[]) => void): Promise<void> {
    const child = this.child;
    if (!child) return Promise.reject(new LabError('E_ACTION_FAILED', 'the sender process is not running'));
    return new Promise((resolve, reject) => {
      this.runs.set(message.run, {
        onWrites,
        done: (error) => {
          this.runs.delete(message.run);
          if (error) reject(new LabError('E_ACTION_FAILED', `sender: ${error}`));
          else resolve();
        },
      });
      child.send(message);
    });
  }

  runTcp(
    run: string,
    receiverPort: number,
    settings: StreamRunSettings,
    onWrites: (w: WriteRecord[]) => void,
  ): Promise<void> {
    return this.run({ type: 'tcp-run', run, receiverPort, settings }, onWrites);
  }

  runUdp(
    run: string,
    target: { host: string; port: number },
    settings: StreamRunSettings,
    onWrites: (w: WriteRecord[]) => void,
  ): Promise<void> {
    return this.run({ type: 'udp-run', run, host: target.host, port: target.port, settings }, onWrites);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  private onMessage(m: FromSender): void {
    if (m.type === 'writes') this.runs.get(m.run)?.onWrites(m.writes);
    else if (m.type === 'run-done') this.runs.get(m.run)?.done(m.error);
  }
}
