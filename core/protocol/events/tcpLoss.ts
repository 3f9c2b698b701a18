// TCP-under-loss demo events (lesson 31): a run's progress while the transfer goes, and its outcome.
import type { TcpLossRunResult, TcpLossSettings } from '../demos/tcpLoss.js';

export type TcpLossEvent =
  | {
      /** Bytes the receiver has read so far (the receiver's own count, sent every 100 ms). */
      kind: 'tcpLoss.progress';
      source: 'observed';
      run: string;
      settings: TcpLossSettings;
      elapsedMs: number;
      received: number;
    }
  | {
      kind: 'tcpLoss.runEnd';
      source: 'captured';
      run: string;
      result: TcpLossRunResult;
    };
