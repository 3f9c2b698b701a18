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
      dataDir: null,
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
      dataDir: null,
    });
    expect(parseArgs(['serve', '--demo-ports', '9000'])).toMatchObject({ demoPortBase: 9000 });
    // --data is the lab's data folder in every mode (the TLS lesson keeps its certificates there), not only a class's.
    expect(parseArgs(['--data', '/tmp/lab-data'])).toMatchObject({ classroom: null, dataDir: '/tmp/lab-data' });
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

  it('takes fault rules for the fault proxy’s headless run, in order', () => {
    const stall = '{"fault":{"type":"stall"}}';
    const latency = '{"fault":{"type":"latency","ms":50}}';
    expect(parseArgs(['run', 'fault-proxy', '--fault', stall, `--fault=${latency}`])).toMatchObject({
      command: 'run',
      demo: 'fault-proxy',
      faults: [stall, latency],
    });
    expect(parseArgs(['run', 'fault-proxy', '--fault'])).toMatchObject({
      command: 'error',
      message: expect.stringContaining('--fault needs a JSON rule'),
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

  it('plans a headless check of a Go exercise, with an optional seed to replay it', () => {
    expect(parseArgs(['go', 'check', 'lessons/11-length-prefix-decoder/start.go'])).toEqual({
      command: 'go-check',
      file: 'lessons/11-length-prefix-decoder/start.go',
      json: false,
      seed: null,
    });
    expect(parseArgs(['go', 'check', 'x/start.go', '--json', '--seed', '42'])).toMatchObject({ json: true, seed: 42 });
    expect(parseArgs(['go', 'check', 'x/start.go', '--seed', '-1'])).toMatchObject({
      command: 'error',
      message: expect.stringContaining('--seed'),
    });
    expect(parseArgs(['go', 'check', 'x/start.ts']).command).toBe('error');
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
