/**
 * Lets the event loop handle I/O between slices of a long computation. A send composes and
 * plans its copies on the same thread that answers the SMTP server: a batch of 128 copies
 * computed in one go (30–40 ms) leaves every connection's next message unsent meanwhile, and
 * the server, which held only a few ms of work, idles. Computed a few at a time with a yield
 * between, the replies that arrive are answered and the next messages written while the rest
 * is computed (issue #23: the whole send's rate).
 */

/** Resolves after the I/O that is ready now has been handled (the event loop's check phase). */
export const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Copies (or readers) computed between two yields: small enough that no slice holds replies back for long. */
export const IO_SLICE = 4;
