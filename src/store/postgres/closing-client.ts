/**
 * A pg Client that closes its socket as soon as connecting fails. pg leaves the socket open
 * after a failure during authentication (a server that asks for a password DATABASE_URL does
 * not give: "client password must be a string"), so a command that had already reported the
 * failure waited for the server to hang up (its authentication_timeout, 60 s) before it could
 * exit. pg-pool does the same for its own connection timeout; this does it for every failure.
 */
import type pg from 'pg';

/** The socket of a client, where pg keeps it. */
type WithStream = { connection?: { stream?: { destroy(): void } } };

/** `Client` (pg's, loaded by the caller) with a connect that closes the socket when it fails. */
export function closingClient(Client: typeof pg.Client): typeof pg.Client {
  return class ClosingClient extends Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      const connect = Client.prototype.connect as (this: pg.Client, callback?: (err: Error | null) => void) => Promise<pg.Client> | undefined;
      const close = () => (this as unknown as WithStream).connection?.stream?.destroy();
      this.connect = ((callback?: (err: Error | null) => void) => {
        if (!callback) {
          return connect.call(this)!.catch((e: unknown) => {
            close();
            throw e;
          });
        }
        connect.call(this, (err) => {
          if (err) close();
          callback(err);
        });
      }) as pg.Client['connect'];
    }
  };
}
