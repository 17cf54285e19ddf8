/**
 * Adapts a pooled nodemailer transporter (built by the composition root) to Transport,
 * and classifies its errors the way delivery needs: retry, bounce, or stop the run.
 */
import type { Transporter } from 'nodemailer';
import { SendFailure, type FailureKind, type OutgoingMessage, type SendResult, type Transport } from './transport.js';

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** Maps a nodemailer error to what delivery should do about it. */
export function classifySmtpError(err: NodemailerError): FailureKind {
  if (err.code === 'EAUTH' || err.code === 'ETLS' || err.code === 'ENOAUTH' || err.code === 'ECONFIG') return 'fatal';
  if (typeof err.responseCode === 'number') {
    if (err.responseCode >= 500 && err.responseCode < 600) return 'permanent';
    return 'temporary';
  }
  return 'temporary';
}

/** Wraps `transporter` (pooled, with `poolSize` connections) as a Transport. */
export function wrapSmtpTransport(transporter: Transporter, options: { name: string; poolSize: number }): Transport {
  return {
    name: options.name,
    concurrency: options.poolSize,
    async send(message: OutgoingMessage): Promise<SendResult> {
      try {
        const info = await transporter.sendMail({
          envelope: { from: message.from, to: [message.to] },
          raw: message.raw,
        });
        if (info.rejected && info.rejected.length > 0) {
          throw Object.assign(new Error(`recipient rejected: ${info.response ?? ''}`), { responseCode: 550 });
        }
        return { response: String(info.response ?? '250 accepted') };
      } catch (e) {
        const err = e as NodemailerError;
        const detail = err.response ?? err.message;
        throw new SendFailure(classifySmtpError(err), `${err.code ? err.code + ': ' : ''}${detail}`.replace(/[\r\n]+/g, ' '), err.responseCode);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
