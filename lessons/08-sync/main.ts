// Lesson 8 in TypeScript: a shared counter without synchronisation (updates get lost at the await between the
// read and the write), with a Mutex, and owned by one goroutine that receives increments on a channel. The same
// program as main.go: ten goroutines add 3 each, with a gap of 1–3 ms between reading and writing.
import { chan, fmt, go, Mutex, time, WaitGroup } from 'gonet';

const workers = 10;
const perWorker = 3;

/** Goroutine w's gap before its k-th write: 1–3 ms, as real work (or I/O) between read and write would be. */
const pause = (w: number, k: number) => time.sleep(1 + ((w + k) % 3));

async function unsynchronised(): Promise<number> {
  let counter = 0;
  const wg = new WaitGroup();
  for (let w = 0; w < workers; w++) {
    wg.add(1);
    go(async () => {
      for (let i = 0; i < perWorker; i++) {
        const v = counter; // read
        await pause(w, i);
        counter = v + 1; // write: another goroutine may have written in between
      }
      wg.done();
    });
  }
  await wg.wait();
  return counter;
}

async function withMutex(): Promise<number> {
  const mu = new Mutex('counter');
  let counter = 0;
  const wg = new WaitGroup();
  for (let w = 0; w < workers; w++) {
    wg.add(1);
    go(async () => {
      for (let i = 0; i < perWorker; i++) {
        await mu.lock();
        const v = counter;
        await pause(w, i);
        counter = v + 1;
        mu.unlock();
      }
      wg.done();
    });
  }
  await wg.wait();
  return counter;
}

/** Shares the counter by communicating: only the owner goroutine ever touches it. */
async function withOwner(): Promise<number> {
  const increments = chan<number>(0, { name: 'increments' });
  const total = chan<number>(0, { name: 'total' });
  go(async () => {
    let counter = 0;
    for await (const d of increments) counter += d;
    await total.send(counter);
  });
  const wg = new WaitGroup();
  for (let w = 0; w < workers; w++) {
    wg.add(1);
    go(async () => {
      for (let i = 0; i < perWorker; i++) {
        await pause(w, i);
        await increments.send(1);
      }
      wg.done();
    });
  }
  await wg.wait();
  increments.close();
  const [counter] = await total.recv();
  return counter!;
}

export async function main(): Promise<void> {
  const want = workers * perWorker;
  fmt.printf('no synchronisation: %d (want %d)\n', await unsynchronised(), want);
  fmt.printf('sync.Mutex:         %d (want %d)\n', await withMutex(), want);
  fmt.printf('owner goroutine:    %d (want %d)\n', await withOwner(), want);
}
