// Lesson 6 in TypeScript: unbuffered and buffered channels, close, range (for await) and `v, ok := <-ch`.
import { chan, fmt, go, time, type Chan } from 'gonet';

async function producer(items: Chan<number>, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const start = time.now();
    await items.send(i); // waits for a receiver (unbuffered) or for room in the buffer
    fmt.printf('sent %d after waiting %.0f ms (len %d/%d)\n', i, time.since(start), items.len(), items.cap());
  }
  items.close(); // the sender closes, never the receiver
}

async function consume(items: Chan<number>): Promise<void> {
  for await (const v of items) {
    // ends once items is closed and drained
    await time.sleep(30 * time.Millisecond); // a slow consumer
    fmt.println('received', v);
  }
}

export async function main(): Promise<void> {
  fmt.println('-- unbuffered: each send waits for the receiver');
  const unbuffered = chan<number>(0, { name: 'unbuffered' });
  go(producer, unbuffered, 3);
  await consume(unbuffered);

  fmt.println('-- buffered, capacity 3: sends go ahead while there is room');
  const buffered = chan<number>(3, { name: 'buffered', zero: 0 });
  go(producer, buffered, 5);
  await consume(buffered);

  // Receiving from a closed, drained channel returns at once with the zero value and ok == false.
  const [v, ok] = await buffered.recv();
  fmt.printf('after close: v=%d ok=%v\n', v, ok);

  // A send nobody will ever receive blocks forever; with no goroutine left to run, the runtime stops the program
  // with Go's "fatal error: all goroutines are asleep - deadlock!". Uncomment to see it:
  // const results = chan<number>();
  // await results.send(42);
}
