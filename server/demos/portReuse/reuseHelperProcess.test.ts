// The helper's process shell: lines it prints are waited for by kind; a helper that exits without the line asked
// for gives E_PORT_REUSE_HELPER_FAILED with its output as the detail, and lines written to it reach its stdin.
import { describe, expect, it } from 'vitest';
import { lineOf } from './helperLines.js';
import { ReuseHelperProcess } from './reuseHelperProcess.js';

describe('ReuseHelperProcess', () => {
  it('finds the line of the kind asked for among what the program printed', async () => {
    const p = new ReuseHelperProcess('/bin/echo', ['{"accepted":3,"event":"closed","id":2}']);
    await expect(p.next(lineOf('closed'))).resolves.toEqual({ event: 'closed', id: 2, accepted: 3 });
    await p.finish();
  });

  it('rejects with E_PORT_REUSE_HELPER_FAILED and the output when the program exits without that line', async () => {
    const p = new ReuseHelperProcess('/bin/echo', ['panic: something else']);
    await expect(p.next(lineOf('listen'))).rejects.toMatchObject({
      code: 'E_PORT_REUSE_HELPER_FAILED',
      message: expect.stringContaining('panic: something else') as unknown,
    });
  });

  it('rejects the same way when the program cannot be started', async () => {
    const p = new ReuseHelperProcess('/nonexistent/helper', []);
    await expect(p.next(lineOf('listen'))).rejects.toMatchObject({ code: 'E_PORT_REUSE_HELPER_FAILED' });
  });

  it("writes lines to the program's stdin", async () => {
    // head -n 1 prints the first line it is given, here a helper line the test writes.
    const p = new ReuseHelperProcess('/usr/bin/head', ['-n', '1']);
    p.tell('{"accepted":0,"event":"closed","id":0}');
    await expect(p.next(lineOf('closed'))).resolves.toMatchObject({ id: 0 });
    await p.finish();
  });
});
