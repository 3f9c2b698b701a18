// The start-up banner: where to open the lab and the host:port of every demo server.
import type { LabStatus } from '../../core/protocol/wire.js';

export function formatBanner(url: string, status: LabStatus): string {
  const lines = ['', `  GoNet Lab is running:  ${url}`, ''];
  for (const demo of status.demos) {
    if (demo.state !== 'running') {
      lines.push(`  ✗ ${demo.title.en}: ${demo.error?.detail ?? demo.state}`);
      continue;
    }
    const hint = RUN_ON_REQUEST[demo.id];
    if (hint && demo.endpoints.length === 0)
      lines.push(`  • ${demo.title.en.padEnd(52)} runs on request   try: ${hint}`);
    for (const ep of demo.endpoints) {
      lines.push(
        `  • ${`${demo.title.en} (${ep.name})`.padEnd(52)} ${ep.protocol} ${ep.host}:${ep.port}${ep.tryWith ? `   try: ${ep.tryWith}` : ''}`,
      );
    }
  }
  for (const [name, cap] of Object.entries(status.capabilities)) {
    if (!cap.available)
      lines.push(`  ! ${name} unavailable: ${cap.reason?.en ?? ''}${cap.howTo ? `  (${cap.howTo})` : ''}`);
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

/** Demos that listen only while a run goes (so have no host:port to list), and how to try one from a terminal. */
const RUN_ON_REQUEST: Readonly<Record<string, string>> = {
  'port-reuse': 'npm run lab -- run port-reuse',
  netpoller: 'npm run lab -- run netpoller --json',
};
