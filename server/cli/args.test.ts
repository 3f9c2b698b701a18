import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_SIZE, DEFAULT_PORT, parseArgs } from './args.js';

describe('parseArgs', () => {
  it('serves on 127.0.0.1 with demos after the web port by default', () => {
    expect(parseArgs([])).toEqual({
      command: 'serve',
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      demoPortBase: DEFAULT_PORT + 1,
      classroom: null,
      allowHosts: [],
      allowStudentGo: false,
    });
  });

  it('takes --host, --port and --demo-ports, also in --flag=value form', () => {
    expect(parseArgs(['--host', '0.0.0.0', '--port=8000'])).toEqual({
      command: 'serve',
      host: '0.0.0.0',
      port: 8000,
      demoPortBase: 8001,
      classroom: { dataDir: null, classSize: DEFAULT_CLASS_SIZE },
      allowHosts: [],
      allowStudentGo: false,
    });
    expect(parseArgs(['serve', '--demo-ports', '9000'])).toMatchObject({ demoPortBase: 9000 });
    expect(parseArgs(['--allow-host', 'Lab.School', '--allow-host=pc12.local'])).toMatchObject({
      allowHosts: ['lab.school', 'pc12.local'],
    });
    expect(parseArgs(['--allow-host', 'http://x/'])).toMatchObject({ command: 'error' });
    expect(parseArgs(['--allow-host'])).toMatchObject({ command: 'error' });
  });

  it('turns classroom mode on with --classroom or any host other computers can reach, never on loopback alone', () => {
    expect(parseArgs(['--classroom', '--data', '/tmp/class', '--class-size', '3'])).toMatchObject({
      classroom: { dataDir: '/tmp/class', classSize: 3 },
    });
    expect(parseArgs(['--host', '10.1.2.3'])).toMatchObject({ classroom: { dataDir: null } });
    expect(parseArgs(['--host', '::'])).toMatchObject({ classroom: { classSize: DEFAULT_CLASS_SIZE } });
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(parseArgs(['--host', host])).toMatchObject({ classroom: null });
    expect(parseArgs(['--class-size', '0'])).toMatchObject({
      command: 'error',
      message: expect.stringContaining('--class-size'),
    });
    expect(parseArgs(['--data'])).toMatchObject({ command: 'error', message: expect.stringContaining('--data') });
  });

  it('plans a headless run on free ports', () => {
    expect(parseArgs(['run', 'echo', '--json'])).toEqual({
      command: 'run',
      demo: 'echo',
      json: true,
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 30,
    });
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
    expect(parseArgs(['--port', 'eighty'])).toMatchObject({
      command: 'error',
      message: expect.stringContaining('--port'),
    });
    expect(parseArgs(['--port', '70000'])).toMatchObject({ command: 'error' });
    expect(parseArgs(['run'])).toMatchObject({ command: 'error', message: expect.stringContaining('run echo') });
    expect(parseArgs(['--frobnicate'])).toMatchObject({
      command: 'error',
      message: expect.stringContaining('--frobnicate'),
    });
    expect(parseArgs(['dance'])).toMatchObject({ command: 'error', message: expect.stringContaining('dance') });
    expect(parseArgs(['-h'])).toEqual({ command: 'help' });
  });
});
