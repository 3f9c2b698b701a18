// The Go file the lab adds to a run's package so it can watch the program's goroutines, and the decoder of what it
// writes. The file writes runtime.Stack(all) — the same text as runtime/pprof's goroutine profile at debug=2, which
// calls it — to a pipe the lab passes as an extra file descriptor, every period, as length-prefixed records.

/** Name of the added file: sorts last, and names nothing a student would. */
export const SAMPLER_FILE = 'zz_gonetlab_sampler.go';
export const SAMPLER_FD_ENV = 'GONETLAB_SAMPLE_FD';
export const SAMPLER_PERIOD_ENV = 'GONETLAB_SAMPLE_EVERY';

/** Go source of the sampler. Everything it declares starts with gonetlab, so it cannot clash with the program. */
export const SAMPLER_SOURCE = `// Added by GoNet Lab to watch this program's goroutines: writes every goroutine's stack to the lab's pipe.
package main

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func init() {
	fd, err := strconv.Atoi(os.Getenv("${SAMPLER_FD_ENV}"))
	if err != nil {
		return
	}
	period, err := time.ParseDuration(os.Getenv("${SAMPLER_PERIOD_ENV}"))
	if err != nil || period <= 0 {
		period = 75 * time.Millisecond
	}
	// The program's own environment and children stay as if the lab were not there.
	os.Unsetenv("${SAMPLER_FD_ENV}")
	os.Unsetenv("${SAMPLER_PERIOD_ENV}")
	syscall.CloseOnExec(fd)
	go gonetlabSample(os.NewFile(uintptr(fd), "gonetlab-samples"), period)
}

func gonetlabSample(pipe *os.File, period time.Duration) {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		for n == len(buf) && len(buf) < 8<<20 {
			buf = make([]byte, 2*len(buf))
			n = runtime.Stack(buf, true)
		}
		header := "gonetlab-sample " + strconv.FormatInt(time.Now().UnixNano(), 10) + " " + strconv.Itoa(n) + "\\n"
		if _, err := pipe.Write(append([]byte(header), buf[:n]...)); err != nil {
			return
		}
		time.Sleep(period)
	}
}
`;

/** One dump as the sampler wrote it. */
export interface GoroutineSample {
  /** Wall-clock milliseconds since the Unix epoch, from the program's clock. */
  at: number;
  text: string;
}

const HEADER = /^gonetlab-sample (\d+) (\d+)$/;
const MAX_HEADER = 64;
const MAX_RECORD = 8 << 20;

/** Splits the sampler's byte stream into dumps; fed chunks of any size. Throws on a stream it did not write. */
export class GoroutineSampleDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): GoroutineSample[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: GoroutineSample[] = [];
    for (;;) {
      const nl = this.pending.indexOf(10);
      if (nl < 0) {
        if (this.pending.length > MAX_HEADER) throw new Error('goroutine sample stream: no record header');
        return out;
      }
      const m = HEADER.exec(this.pending.subarray(0, nl).toString('latin1'));
      if (!m) throw new Error('goroutine sample stream: bad record header');
      const length = Number(m[2]);
      if (length > MAX_RECORD) throw new Error('goroutine sample stream: record too large');
      if (this.pending.length < nl + 1 + length) return out;
      out.push({ at: Number(m[1]) / 1e6, text: this.pending.subarray(nl + 1, nl + 1 + length).toString('utf8') });
      this.pending = this.pending.subarray(nl + 1 + length);
    }
  }
}
