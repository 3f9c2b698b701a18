// Opens a TCP listener and turns "port in use" into a LabError that names the port and the flag to change it.
import net from 'node:net';
import { LabError } from '../../core/protocol/errors.js';

export interface ListenOptions {
  host: string;
  port: number;
  /** The command-line flag that moves this port, named in the error. */
  flag: string;
}

export function listenTcp(server: net.Server, { host, port, flag }: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new LabError('E_PORT_IN_USE', `${host}:${port} is already in use; start the lab with ${flag} <another port>`),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new LabError(
            'E_PORT_IN_USE',
            `not allowed to listen on ${host}:${port}; choose a port above 1023 with ${flag}`,
          ),
        );
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

export function boundPort(server: net.Server): number {
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}
