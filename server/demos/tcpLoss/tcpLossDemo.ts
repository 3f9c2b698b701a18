// The TCP-under-loss demo of lesson 31: where the lab may make network namespaces, each run moves N bytes through a
// lossy, rate-limited loopback of its own and reports what the capture, `ss -ti` and the kernel's counters saw;
// where it may not, it says why (a coded reason) and offers the lab's own labelled recording instead.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  TCP_LOSS_COMMANDS,
  TCP_LOSS_DEMO,
  TcpLossRecordingResult,
  TcpLossSettings,
  type TcpLossProbeResult,
  type TcpLossRunResult,
} from '../../../core/protocol/demos/tcpLoss.js';
import { ERROR_MESSAGES, LabError, wireError, type ErrorCode } from '../../../core/protocol/errors.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { runLossTransfer } from './lossRun.js';
import { LossNamespace, currentPrivilege, missingTools, run, sweepStaleNamespaces } from './lossNamespace.js';

export const RECORDING_FILE = fileURLToPath(new URL('./recording/tcpLossRecording.json', import.meta.url));

const RECORDING_NOTE = {
  en: "Runs are not possible here, so these are the lab's own recorded runs (labelled with the machine they came from).",
  zh: '这里无法运行，所以下面是实验室自己录制的运行（标明了录制所在的机器）。',
};

export interface TcpLossDemoOptions {
  /** Tests: answer the privilege probe as given instead of asking the kernel. */
  probe?: () => Promise<TcpLossProbeResult>;
}

/** Asks the kernel: privilege, tools, and that a namespace really can be made (and whether netem exists). */
export async function probeLossLab(): Promise<TcpLossProbeResult> {
  const no = (code: ErrorCode, detail: string): TcpLossProbeResult => ({
    run: 'probe',
    available: false,
    code,
    detail,
    netem: null,
  });
  if (process.platform !== 'linux')
    return no('E_LOSS_NOT_PERMITTED', `network namespaces are Linux only (this is ${process.platform})`);
  const privilege = currentPrivilege();
  if (!privilege.allowed) {
    return no('E_LOSS_NOT_PERMITTED', `uid ${process.getuid?.()}; missing ${privilege.missing.join(' and ')}`);
  }
  const missing = missingTools();
  if (missing.length > 0) return no('E_LOSS_TOOLS_MISSING', `not found on PATH: ${missing.join(', ')}`);
  try {
    await run('unshare', ['-n', 'true']);
  } catch (err) {
    return no('E_LOSS_NAMESPACE_FAILED', (err as Error).message);
  }
  let ns: LossNamespace | null = null;
  try {
    await sweepStaleNamespaces();
    ns = await LossNamespace.create();
    await ns.exec('nft', ['list', 'ruleset']);
    await ns.detectNetem();
    return { run: 'probe', available: true, netem: ns.netem };
  } catch (err) {
    return no('E_LOSS_NAMESPACE_FAILED', (err as Error).message);
  } finally {
    await ns?.close();
  }
}

export function loadRecording(file = RECORDING_FILE): TcpLossRecordingResult {
  return TcpLossRecordingResult.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export class TcpLossDemo implements Demo {
  readonly id = TCP_LOSS_DEMO;
  readonly title = { en: 'TCP under real loss', zh: '真实丢包下的 TCP' };
  readonly portCount = 0;

  private probed: Promise<TcpLossProbeResult> | null = null;
  private active: { session: string; abort: AbortController } | null = null;
  private runCount = 0;
  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });
  private running = false;

  constructor(private readonly options: TcpLossDemoOptions = {}) {}

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    this.running = true;
    const probe = await this.probe();
    ctx.setCapability?.('network namespaces (TCP under loss)', {
      available: probe.available,
      ...(probe.available
        ? {}
        : { reason: ERROR_MESSAGES[(probe.code ?? 'E_LOSS_NOT_PERMITTED') as ErrorCode], howTo: 'sudo npm run lab' }),
    });
    this.life.started();
  }

  async stop(): Promise<void> {
    this.active?.abort.abort();
    await this.life.stop(async () => {
      const was = this.running;
      this.running = false;
      return was;
    });
  }

  endpoints(): DemoEndpoint[] {
    return [];
  }

  sessionClosed(session: string): void {
    if (this.active?.session === session) this.active.abort.abort();
  }

  private probe(): Promise<TcpLossProbeResult> {
    this.probed ??= (this.options.probe ?? probeLossLab)();
    return this.probed;
  }

  readonly commands = demoCommands(TCP_LOSS_COMMANDS, {
    probe: () => this.probe(),
    transfer: (args, caller) => this.transfer(args, caller.session),
    recording: () => ({ ...loadRecording(), run: 'recording' as const }),
  });

  /** One run at a time for the whole lab: each takes a namespace, tcpdump and most of a core for seconds. */
  async transfer(settings: TcpLossSettings, session: string): Promise<TcpLossRunResult> {
    const probe = await this.probe();
    if (!probe.available) throw new LabError((probe.code ?? 'E_LOSS_NOT_PERMITTED') as ErrorCode, probe.detail);
    if (this.active) throw new LabError('E_DEMO_IN_USE', 'a loss run is going already; one runs at a time');
    const abort = new AbortController();
    this.active = { session, abort };
    const runId = `loss-${++this.runCount}`;
    try {
      const { result } = await runLossTransfer(settings, {
        signal: abort.signal,
        onProgress: (p) => this.life.emit({ kind: 'tcpLoss.progress', source: 'observed', run: runId, settings, ...p }),
      });
      this.life.emit({ kind: 'tcpLoss.runEnd', source: 'captured', run: runId, result });
      return result;
    } catch (err) {
      if (err instanceof LabError) throw err;
      if (abort.signal.aborted)
        throw new LabError('E_ACTION_FAILED', 'the run was stopped: its page left, or the lab is stopping');
      throw new LabError('E_LOSS_NAMESPACE_FAILED', (err as Error).message);
    } finally {
      this.active = null;
    }
  }

  /** Headless: the probe, then a clean and a lossy run of 2 MB (or, without the privilege, the recording). */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const probe = await this.probe();
    if (!probe.available) {
      const code = (probe.code ?? 'E_LOSS_NOT_PERMITTED') as ErrorCode;
      this.life.emit({ kind: 'demo.error', source: 'observed', error: wireError(code, probe.detail) });
      this.life.emit({ kind: 'demo.note', source: 'observed', text: RECORDING_NOTE });
      const recording = loadRecording();
      for (const result of [recording.clean, recording.lossy]) {
        this.life.emit({
          kind: 'tcpLoss.runEnd',
          source: 'captured',
          run: `recording-${result.settings.lossPercent}`,
          result,
        });
      }
      return;
    }
    for (const lossPercent of [0, 20]) {
      if (signal.aborted) return;
      await this.transfer(TcpLossSettings.parse({ lossPercent }), 'headless');
    }
  }
}
