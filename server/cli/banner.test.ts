import { describe, expect, it } from 'vitest';
import type { LabStatus } from '../../core/protocol/wire';
import { formatBanner } from './banner';

describe('formatBanner', () => {
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
    expect(text).toMatch(/Netpoller: threads and system calls\s+no port\s+try: npm run lab -- run netpoller --json/);
    expect(text).toContain('! system call counts unavailable: strace is not installed.  (apt install strace)');
  });
});
