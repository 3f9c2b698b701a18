// Lesson 5 in TypeScript: the same five tasks one after another, then each in its own goroutine.
// On the lab's runtime a goroutine is an async function; `go` starts it and returns at once, as in Go.
import { fmt, go, time, WaitGroup } from 'gonet';

async function task(id: number, d: number): Promise<void> {
  await time.sleep(d); // stands in for I/O: a request, a query, a disk read
}

export async function main(): Promise<void> {
  const n = 5;
  const d = 40 * time.Millisecond;

  let start = time.now();
  for (let i = 0; i < n; i++) {
    await task(i, d);
  }
  fmt.printf('sequential: %d tasks of %d ms took %.0f ms\n', n, d, time.since(start));

  start = time.now();
  const wg = new WaitGroup();
  for (let i = 0; i < n; i++) {
    wg.add(1);
    go(async (id: number) => {
      try {
        await task(id, d);
      } finally {
        wg.done(); // Go's `defer wg.Done()`
      }
    }, i);
  }
  await wg.wait();
  fmt.printf('concurrent: %d tasks of %d ms took %.0f ms\n', n, d, time.since(start));
}
