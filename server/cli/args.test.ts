import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseArgs } from './args.js';

describe('parseArgs', () => {
  it('serves on 127.0.0.1 with demos after the web port by default', () => {
    expect(parseArgs([])).toEqual({ command: 'serve', host: '127.0.0.1', port: DEFAULT_PORT, demoPortBase: DEFAULT_PORT + 1 });
  });

  it('takes --host, --port and --demo-ports, also in --flag=value form', () => {
    expect(parseArgs(['--host', '0.0.0.0', '--port=8000'])).toEqual({ command: 'serve', host: '0.0.0.0', port: 8000, demoPortBase: 8001 });
    expect(parseArgs(['serve', '--demo-ports', '9000'])).toMatchObject({ demoPortBase: 9000 });
  });

  it('plans a headless run on free ports', () => {
    expect(parseArgs(['run', 'echo', '--json'])).toEqual({ command: 'run', demo: 'echo', json: true, host: '127.0.0.1', demoPortBase: 0, seconds: 30 });
  });

  it('plans a headless Go run of a file', () => {
    expect(parseArgs(['go', 'run', 'lessons/01-echo-server/main.go', '--json', '--seconds', '3'])).toEqual({
      command: 'go-run',
      file: 'lessons/01-echo-server/main.go',
      json: true,
      host: '127.0.0.1',
      seconds: 3,
    });
    expect(parseArgs(['go', 'run']).command).toBe('error');
    expect(parseArgs(['go', 'build', 'x.go']).command).toBe('error');
  });

  it('explains bad input', () => {
    expect(parseArgs(['--port', 'eighty'])).toMatchObject({ command: 'error', message: expect.stringContaining('--port') });
    expect(parseArgs(['--port', '70000'])).toMatchObject({ command: 'error' });
    expect(parseArgs(['run'])).toMatchObject({ command: 'error', message: expect.stringContaining('run echo') });
    expect(parseArgs(['--frobnicate'])).toMatchObject({ command: 'error', message: expect.stringContaining('--frobnicate') });
    expect(parseArgs(['dance'])).toMatchObject({ command: 'error', message: expect.stringContaining('dance') });
    expect(parseArgs(['-h'])).toEqual({ command: 'help' });
  });
});
