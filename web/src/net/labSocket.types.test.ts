// command() is typed by the demos' command maps: its result type is inferred, its arguments are checked, and an
// action a demo does not have does not compile. (tsc checks this file; the test body only keeps Vitest content.)
import { describe, expectTypeOf, it } from 'vitest';
import type { EchoConnectResult } from '@core/protocol/demos/echo';
import type { HandshakeStatus } from '@core/protocol/demos/handshake';
import type { LabSocket } from './labSocket';

// Never called: the calls inside are checked by the compiler only.
function typeChecks(socket: LabSocket): void {
  expectTypeOf(socket.command('echo', 'connect')).toEqualTypeOf<Promise<EchoConnectResult>>();
  expectTypeOf(socket.command('handshake', 'status')).toEqualTypeOf<Promise<HandshakeStatus>>();
  expectTypeOf(socket.command('echo', 'send', { client: 'client-1', text: 'hi' })).resolves.toEqualTypeOf<{
    bytes: number;
  }>();
  // Fields with defaults may be left out; required ones may not.
  void socket.command('stream', 'run', { count: 3 });
  // @ts-expect-error the echo demo has no such action
  void socket.command('echo', 'explode');
  // @ts-expect-error send needs a client and a text
  void socket.command('echo', 'send');
  // @ts-expect-error count is a number
  void socket.command('stream', 'run', { count: '3' });
  // @ts-expect-error no such demo
  void socket.command('nosuch', 'run');
}

describe('LabSocket.command types', () => {
  it('are checked by the compiler', () => {
    expectTypeOf(typeChecks).parameter(0).toEqualTypeOf<LabSocket>();
  });
});
