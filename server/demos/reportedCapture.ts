// Starts a demo's packet capture and reports to the lab whether it runs (the 'packet capture' capability behind
// /api/status and the banner), so every capturing demo says so the same way.
import type { Capability } from '../../core/protocol/wire.js';
import type { CaptureObserver, CaptureOutcome } from '../observers/capture/captureObserver.js';
import type { DemoContext } from './demo.js';

export const PACKET_CAPTURE = 'packet capture';

/** What a capture's start means for the lab's capabilities: running, or why not and how to enable it. */
export function captureCapability(outcome: CaptureOutcome): Capability {
  return {
    available: outcome.status === 'capturing',
    ...(outcome.error ? { reason: outcome.error.message } : {}),
    ...(outcome.enableCommand ? { howTo: outcome.enableCommand } : {}),
  };
}

/** Starts the capture and reports the outcome as the lab's packet-capture capability. */
export async function startReportedCapture(
  capture: CaptureObserver,
  ctx: Pick<DemoContext, 'setCapability'>,
): Promise<CaptureOutcome> {
  const outcome = await capture.start();
  ctx.setCapability?.(PACKET_CAPTURE, captureCapability(outcome));
  return outcome;
}
