// The start-up banner: a demo's host:port lines, and a demo that listens only during a run says how to try it.
import { describe, expect, it } from 'vitest';
import type { LabStatus } from '../../core/protocol/wire.js';
import { formatBanner } from './banner.js';

const status = (demos: LabStatus['demos']): LabStatus => ({ protocol: 1, build: 'test', demos, capabilities: {} });

describe('formatBanner', () => {
  it('names the port-reuse demo with its headless command, since it has no port between runs', () => {
    const text = formatBanner(
      'http://127.0.0.1:7400/',
      status([
        { id: 'port-reuse', title: { en: 'Port reuse', zh: '端口复用' }, state: 'running', endpoints: [] },
        { id: 'goroutines', title: { en: 'Goroutines', zh: 'goroutine' }, state: 'running', endpoints: [] },
      ]),
    );
    expect(text).toMatch(/• Port reuse +runs on request {3}try: npm run lab -- run port-reuse/);
    // A demo without endpoints and without such a hint stays out of the list, as before.
    expect(text).not.toContain('Goroutines');
  });

  it('still lists endpoints with their try-with hints', () => {
    const text = formatBanner(
      'http://127.0.0.1:7400/',
      status([
        {
          id: 'echo',
          title: { en: 'TCP echo server', zh: 'TCP 回显服务器' },
          state: 'running',
          endpoints: [{ name: 'echo', protocol: 'tcp', host: '127.0.0.1', port: 7401, tryWith: 'nc 127.0.0.1 7401' }],
        },
      ]),
    );
    expect(text).toContain('tcp 127.0.0.1:7401   try: nc 127.0.0.1 7401');
  });

  it('names a demo without a port with the command that runs it, and an unavailable capability with its fix', () => {
    const status = {
      protocol: 1,
      build: 'test',
      demos: [
        {
          id: 'netpoller',
          title: { en: 'Netpoller: threads and system calls', zh: '网络轮询器' },
          state: 'running',
          endpoints: [],
        },
      ],
      capabilities: {
        'system call counts': {
          available: false,
          reason: { en: 'strace is not installed.', zh: '没有安装 strace。' },
          howTo: 'apt install strace',
        },
      },
    } as unknown as LabStatus;
    const text = formatBanner('http://127.0.0.1:7400/', status);
    expect(text).toMatch(
      /Netpoller: threads and system calls\s+runs on request\s+try: npm run lab -- run netpoller --json/,
    );
    expect(text).toContain('! system call counts unavailable: strace is not installed.  (apt install strace)');
  });
});
