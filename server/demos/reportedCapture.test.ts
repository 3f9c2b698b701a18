// The packet-capture capability a demo reports: available only while capturing, with the reason and the command
// to enable it when not.
import { describe, expect, it } from 'vitest';
import { wireError } from '../../core/protocol/errors.js';
import type { CaptureObserver } from '../observers/capture/captureObserver.js';
import { PACKET_CAPTURE, captureCapability, startReportedCapture } from './reportedCapture.js';

describe('captureCapability', () => {
  it('says the capture is available when it runs, with nothing else', () => {
    expect(captureCapability({ status: 'capturing' })).toEqual({ available: true });
  });

  it('says why not and how to enable it when the capture is not permitted', () => {
    const error = wireError('E_CAPTURE_NOT_PERMITTED');
    const capability = captureCapability({ status: 'unavailable', error, enableCommand: 'sudo setcap x' });
    expect(capability).toEqual({ available: false, reason: error.message, howTo: 'sudo setcap x' });
  });
});

describe('startReportedCapture', () => {
  it('starts the capture once and reports its outcome under the packet-capture name', async () => {
    let starts = 0;
    const capture = {
      start: () => {
        starts += 1;
        return Promise.resolve({ status: 'unavailable' as const, error: wireError('E_CAPTURE_NO_TCPDUMP') });
      },
    } as unknown as CaptureObserver;
    const reported: [string, unknown][] = [];
    const outcome = await startReportedCapture(capture, { setCapability: (n, c) => reported.push([n, c]) });
    expect(starts).toBe(1);
    expect(outcome.status).toBe('unavailable');
    expect(reported).toEqual([[PACKET_CAPTURE, captureCapability(outcome)]]);
    expect(reported[0]?.[1]).toMatchObject({ available: false });
  });
});
