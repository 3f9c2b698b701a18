// Helpers the lesson walks share: open a lesson, read the running demos' ports, make raw TCP clients.
import net from 'node:net';
import { expect, type Page } from '@playwright/test';
import type { LabStatus } from '../core/protocol/wire';

export async function openLesson(page: Page, slug: string): Promise<void> {
  await page.goto(`/#/${slug}`);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-slug', slug);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
}

export async function demoPort(page: Page, demo: string, endpoint?: string): Promise<{ host: string; port: number }> {
  const status = (await (await page.request.get('/api/status')).json()) as LabStatus;
  const d = status.demos.find((x) => x.id === demo);
  const ep = d?.endpoints.find((e) => !endpoint || e.name === endpoint);
  if (!ep) throw new Error(`demo ${demo} has no endpoint ${endpoint ?? ''}`);
  return { host: ep.host, port: ep.port };
}

/** A raw TCP client from the test process, like a student's nc. */
export async function rawClient(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port }, () => resolve(s));
    s.once('error', reject);
  });
}
