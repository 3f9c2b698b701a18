// Classroom walk: an instructor on the lab's machine and two students whose Chromium runs in a private network
// namespace this test makes (so the lab sees them as other computers): the 401 page, a wrong code refused,
// joining with the code, progress on the roster, a broadcast moving both students, and work kept across a reload
// and a restart of the lab. Needs root (ip netns) and a built app (npm run build).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { makePrivateNetwork, type PrivateNetwork } from '../server/classroom/privateNetwork';
import { freePort } from '../server/net/freePort';
import { expectAccessible } from './accessibility';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromiumOptions';
import { ECHO_SNIPPET, runAndWait, setSnippet } from './snippetPage';

const root = fileURLToPath(new URL('..', import.meta.url));
const SLUG = '11-length-prefix-decoder';
const solution = readFileSync(new URL(`../lessons/${SLUG}/solution.ts`, import.meta.url), 'utf8');

let net: PrivateNetwork;
let scratch: string;
let port: number;
let lab: ChildProcess | null = null;
let joinCode = '';
let studentsBrowser: Browser;

async function startLab(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
      '--demo-ports',
      '0',
      '--data',
      path.join(scratch, 'data'),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl-C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lab exited with ${code}:\n${out}`)));
  });
  joinCode = /join code {2}([A-Z0-9-]+)/.exec(out)![1]!;
  lab = child;
}

async function stopLab(): Promise<void> {
  const child = lab;
  lab = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

const studentUrl = (p: string) => `http://${net.hostAddress}:${port}${p}`;

async function joinAs(page: Page, name: string): Promise<void> {
  await page.goto(studentUrl('/join'));
  await page.getByTestId('join-code').fill(joinCode.toLowerCase());
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('class-name')).toContainText(name);
}

test.beforeAll(async () => {
  net = makePrivateNetwork();
  scratch = mkdtempSync(path.join(tmpdir(), 'gonet-class-e2e-'));
  port = await freePort();
  // The students' browser runs inside the namespace: every request it makes comes from net.clientAddress.
  const wrapper = path.join(scratch, 'chromium-in-namespace');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${net.name} ${chromiumExecutable()} "$@"\n`);
  chmodSync(wrapper, 0o755);
  await startLab();
  // The walk pastes code through the clipboard, which Chromium offers only to secure origins: a LAN lab is plain
  // http, so the students' browser is told to treat the lab's origin as secure (the lab itself needs no clipboard).
  studentsBrowser = await chromium.launch({
    executablePath: wrapper,
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=http://${net.hostAddress}:${port}`],
  });
});

test.afterAll(async () => {
  await studentsBrowser?.close();
  await stopLab();
  net?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('classroom: join with the code, progress on the roster, broadcast, reload and restart keep work', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const ana = await (await studentsBrowser.newContext()).newPage();
  const bo = await (await studentsBrowser.newContext()).newPage();
  await ana.context().grantPermissions(['clipboard-read', 'clipboard-write']);

  // Before joining, the lab answers a student's computer with the 401 page, in both languages.
  const refused = await bo.goto(studentUrl('/'));
  expect(refused?.status()).toBe(401);
  await expect(bo.getByRole('heading', { level: 1 })).toHaveText('Join the class first');
  await expect(bo.getByRole('heading', { level: 2 })).toHaveText('请先加入课堂');
  await expectAccessible(bo, 'the refusal page');
  await bo.getByRole('link', { name: 'Open the join page' }).click();
  // The join page is accessible in both themes and reachable from the keyboard.
  for (const theme of ['dark', 'light']) {
    await bo.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await expectAccessible(bo, `the join page, ${theme} theme`);
  }
  await bo.getByTestId('join-code').focus();
  await bo.keyboard.press('Tab');
  await expect(bo.getByTestId('join-name')).toBeFocused();
  await bo.keyboard.press('Tab');
  await expect(bo.getByTestId('join-submit')).toBeFocused();

  // A wrong code is refused with its coded message; the right one (typed in lower case) gets in.
  await bo.getByTestId('join-code').fill('AAA-AAA');
  await bo.getByTestId('join-name').fill('Bo');
  await bo.getByTestId('join-submit').click();
  await expect(bo.getByTestId('join-error')).toHaveAttribute('data-code', 'E_CLASS_BAD_CODE');
  await joinAs(bo, 'Bo');
  await joinAs(ana, 'Ana');

  // The instructor, on the lab's machine, needs no code and sees both students connected.
  const teacher = await browser.newPage();
  await teacher.goto(`http://127.0.0.1:${port}/instructor`);
  await expect(teacher.getByTestId('join-code-shown')).toHaveText(joinCode);
  await expect(teacher.getByRole('img', { name: 'QR code of the join page address' })).toBeVisible();
  const row = (name: string) => teacher.locator(`[data-testid="roster-row"][data-name="${name}"]`);
  await expect(row('Ana').getByTestId('roster-connected')).toHaveText('yes');
  await expect(row('Bo').getByTestId('roster-connected')).toHaveText('yes');
  for (const theme of ['dark', 'light']) {
    await teacher.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await expectAccessible(teacher, `the instructor page, ${theme} theme`);
  }
  await expectAccessible(ana, "the student's class bar", '.class-bar');

  // Ana solves lesson 11's exercise with her own code: the roster shows her lesson and one exercise passed.
  await ana.goto(studentUrl(`/#/${SLUG}`));
  await expect(ana.getByTestId('lesson')).toHaveAttribute('data-slug', SLUG);

  // Ana runs the echo snippet; the instructor shows her run to the class, and Bo sees it.
  await setSnippet(ana, ECHO_SNIPPET);
  await runAndWait(ana, 'snippet-run');
  await expect(ana.getByTestId('snippet-console')).toContainText('echoed');
  await row('Ana').getByRole('button', { name: 'Show to class' }).click();
  await expect(bo.getByTestId('shown-run')).toContainText("Ana's run, shown by the instructor");
  await expect(bo.getByTestId('shown-run')).toContainText('echoed "hello from the browser\\n"');
  await row('Ana').getByRole('button', { name: 'Stop showing' }).click();
  await expect(bo.getByTestId('shown-run')).toHaveCount(0);

  await setSnippet(ana, solution);
  await runAndWait(ana, 'snippet-check');
  await expect(ana.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'true');
  await expect(row('Ana').getByTestId('roster-lesson')).toHaveAttribute('data-slug', SLUG);
  await expect(row('Ana').getByTestId('roster-passed')).toHaveText('1');
  await expect(row('Bo').getByTestId('roster-passed')).toHaveText('0');

  // "Bring everyone to lesson 3": both students' pages move there.
  await teacher.getByTestId('broadcast-lesson').selectOption('03-framing');
  await teacher.getByTestId('broadcast').click();
  await expect(ana.getByTestId('lesson')).toHaveAttribute('data-slug', '03-framing');
  await expect(bo.getByTestId('lesson')).toHaveAttribute('data-slug', '03-framing');

  // A reload keeps Ana's work.
  await ana.goto(studentUrl(`/#/${SLUG}`));
  await ana.reload();
  await expect(ana.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'true');

  // The lab restarts; Ana's browser forgets its own copy: her work comes back from the lab's database.
  await stopLab();
  await startLab();
  await ana.evaluate(() => localStorage.clear());
  await ana.reload();
  await expect(ana.getByTestId('class-name')).toContainText('Ana');
  await expect(ana.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'true');
  await expect(ana.locator('.snippet-editor .view-lines')).toContainText('private pending');
  await teacher.reload();
  await expect(row('Ana').getByTestId('roster-passed')).toHaveText('1');
  await teacher.close();
});
