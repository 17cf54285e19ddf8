/**
 * A free TCP port on 127.0.0.1 for a server a test starts (its own or a child process's): the
 * port is bound, read and closed again, so another process may take it before the server
 * binds it; callers that start something slow try again on "in use".
 */
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
