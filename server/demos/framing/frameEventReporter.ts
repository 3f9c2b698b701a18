// Turns a framing server's observations into frame events, within a budget per connection so a fast client
// cannot flood the browser: frames beyond it are counted (frame.elided), and the decoder state is sampled.
import { RateBudget } from '@core/budget/rateBudget.js';
import type { DecoderState } from '../../../core/framing/frameCodec.js';
import type { FramingError } from '../../../core/framing/framingError.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { FramingServerMode } from '../../../core/protocol/events/frame.js';
import type { GoConn } from '../../net/goConn.js';
import type { DecodedFrame, FrameObserver } from './framedConnHandler.js';

const PREVIEW_BYTES = 64;
/** frame.decoded events per connection: bursts of 200, then 100 a second. */
const FRAME_BURST = 200;
const FRAMES_PER_SECOND = 100;
const hostNow = (): number => performance.now();
/** frame.state events per connection: at most one per 100 ms, and the latest always follows. */
const STATE_GAP_MS = 100;

interface ConnBudget {
  frames: RateBudget;
  elided: number;
  lastStateAt: number;
  pendingState: { state: DecoderState; readLen: number; read: number } | null;
  timer: NodeJS.Timeout | null;
}

function preview(bytes: Uint8Array): { b64: string; clipped: boolean } {
  const clipped = bytes.length > PREVIEW_BYTES;
  const head = clipped ? bytes.subarray(0, PREVIEW_BYTES) : bytes;
  return { b64: Buffer.from(head.buffer, head.byteOffset, head.length).toString('base64'), clipped };
}

export class FrameEventReporter implements FrameObserver {
  private readonly budgets = new Map<string, ConnBudget>();

  constructor(
    private readonly mode: FramingServerMode,
    private readonly emit: (body: LabEventBody) => void,
  ) {}

  onRead(conn: GoConn, frames: readonly DecodedFrame[], state: DecoderState, readLen: number, read: number): void {
    const budget = this.budget(conn.id);
    const now = performance.now();
    for (const f of frames) {
      if (!budget.frames.take()) {
        budget.elided++;
        continue;
      }
      this.emit({
        kind: 'frame.decoded',
        source: 'observed',
        conn: conn.id,
        mode: this.mode,
        index: f.index,
        offset: f.offset,
        wireLen: f.wireLen,
        payloadLen: f.payload.length,
        ...preview(f.payload),
        zeroCopy: f.zeroCopy,
        read,
      });
    }
    budget.pendingState = { state, readLen, read };
    if (now - budget.lastStateAt >= STATE_GAP_MS) this.flushState(conn.id, budget);
    else budget.timer ??= setTimeout(() => this.flushState(conn.id, budget), STATE_GAP_MS);
  }

  onFramingError(conn: GoConn, error: FramingError, state: DecoderState): void {
    const budget = this.budget(conn.id);
    this.flushState(conn.id, budget);
    this.emit({
      kind: 'frame.error',
      source: 'observed',
      conn: conn.id,
      mode: this.mode,
      error: error.toWire(),
      offset: error.streamOffset,
      state,
    });
  }

  /** The connection closed: send what is pending and forget it. */
  closed(connId: string): void {
    const budget = this.budgets.get(connId);
    if (!budget) return;
    this.flushState(connId, budget);
    this.budgets.delete(connId);
  }

  private budget(connId: string): ConnBudget {
    let b = this.budgets.get(connId);
    if (!b) {
      b = {
        frames: new RateBudget({ perSecond: FRAMES_PER_SECOND, burst: FRAME_BURST, clock: hostNow }),
        elided: 0,
        lastStateAt: -Infinity,
        pendingState: null,
        timer: null,
      };
      this.budgets.set(connId, b);
    }
    return b;
  }

  private flushState(connId: string, budget: ConnBudget): void {
    if (budget.timer) clearTimeout(budget.timer);
    budget.timer = null;
    budget.lastStateAt = performance.now();
    if (budget.elided > 0) {
      this.emit({ kind: 'frame.elided', source: 'observed', conn: connId, count: budget.elided });
      budget.elided = 0;
    }
    const pending = budget.pendingState;
    if (!pending) return;
    budget.pendingState = null;
    this.emit({ kind: 'frame.state', source: 'observed', conn: connId, mode: this.mode, ...pending });
  }
}
