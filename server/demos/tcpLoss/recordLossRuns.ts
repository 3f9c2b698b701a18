// Makes the lab's own recording of lesson 31 (run as root on a Linux machine): a clean and a lossy 2 MB run saved as
// the JSON the view shows where runs are not possible, labelled with this machine; and a 256 KB lossy capture saved
// as a pcap the analysis tests read. Usage: npx tsx server/demos/tcpLoss/recordLossRuns.ts
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { TcpLossSettings, type TcpLossRecordingResult } from '../../../core/protocol/demos/tcpLoss.js';
import { runLossTransfer } from './lossRun.js';
import { RECORDING_FILE } from './tcpLossDemo.js';

export const LOSSY_PCAP_FIXTURE = fileURLToPath(new URL('./fixtures/lossy-256k.pcap', import.meta.url));

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  let go = 'no Go';
  try {
    go = execFileSync('go', ['version']).toString().trim();
  } catch {
    // Go is not needed for the runs
  }
  return `Linux ${os.release()}, ${cpu}, ${os.cpus().length} cores (nproc), ${go}, Node ${process.version}, recorded ${new Date().toISOString().slice(0, 16)} UTC`;
}

async function main(): Promise<void> {
  const recordedOn = machine();
  const runs = [];
  for (const lossPercent of [0, 20]) {
    const { result } = await runLossTransfer(TcpLossSettings.parse({ bytes: 2 * 1024 * 1024, lossPercent }));
    runs.push({ ...result, origin: 'recording' as const, recordedOn });
    console.log(
      `${lossPercent}% loss: ${result.elapsedMs.toFixed(0)} ms, ${result.analysis?.retransmissions.length} retransmissions`,
    );
  }
  const recording: TcpLossRecordingResult = { run: 'recording', clean: runs[0]!, lossy: runs[1]! };
  writeFileSync(RECORDING_FILE, `${JSON.stringify(recording)}\n`);
  const { pcap, result } = await runLossTransfer(TcpLossSettings.parse({ bytes: 256 * 1024, lossPercent: 20 }), {
    keepPcap: true,
  });
  writeFileSync(LOSSY_PCAP_FIXTURE, pcap!);
  console.log(`pcap: ${pcap!.length} bytes, ${result.analysis?.retransmissions.length} retransmissions`);
}

await main();
