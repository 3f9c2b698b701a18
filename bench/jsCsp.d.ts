// Types for the parts of js-csp (a dev dependency, untyped) that the runtime benchmark compares against.
declare module 'js-csp' {
  interface Channel {
    close(): void;
  }
  interface Instruction {
    readonly __instruction: true;
  }
  const csp: {
    chan(bufferOrSize?: number): Channel;
    go(generator: () => Generator<Instruction, void, unknown>): Channel;
    put(ch: Channel, value: unknown): Instruction;
    take(ch: Channel): Instruction;
    CLOSED: unknown;
  };
  export default csp;
}
