// Lesson arguments: the echo lesson gets the lab's port; other programs get none.
import { describe, expect, it } from 'vitest';
import { lessonDialArgs, lessonDialDemo, lessonListens, lessonOfPath, lessonRunArgs } from './lessonRunArgs.js';

describe('lessonRunArgs', () => {
  it('gives a listening lesson the address the lab picked', () => {
    expect(lessonOfPath('lessons/01-echo-server/main.go')).toBe('01-echo-server');
    expect(lessonListens('01-echo-server')).toBe(true);
    expect(lessonRunArgs('01-echo-server', '127.0.0.1', 40123)).toEqual(['-addr', '127.0.0.1:40123']);
    expect(lessonRunArgs('09-worker-pool', '::1', 5)).toEqual(['-addr', '[::1]:5']);
  });

  it('gives other programs no arguments', () => {
    expect(lessonOfPath('/tmp/prog.go')).toBeNull();
    expect(lessonListens(null)).toBe(false);
    expect(lessonRunArgs('06-channels', '127.0.0.1', 1)).toEqual([]);
    expect(lessonRunArgs(null, '127.0.0.1', 1)).toEqual([]);
  });

  it("gives a program that dials a demo that demo's address", () => {
    expect(lessonDialDemo('28-dns')).toEqual({ demo: 'dns', udp: true });
    expect(lessonDialArgs('28-dns', { host: '127.0.0.1', port: 40200 })).toEqual(['-server', '127.0.0.1:40200']);
    expect(lessonDialArgs('28-dns', { host: '::1', port: 7 })).toEqual(['-server', '[::1]:7']);
    expect(lessonDialDemo('01-echo-server')).toBeNull();
    expect(lessonDialArgs('06-channels', { host: '127.0.0.1', port: 1 })).toEqual([]);
  });
});
