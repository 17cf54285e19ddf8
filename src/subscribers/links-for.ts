/**
 * The signed links every copy of an issue carries for its subscriber: one-click unsubscribe
 * and preferences. Used wherever a copy is made (delivery, test sends, `render`, the preview).
 */
import type { Config } from '../config.js';
import { signToken } from './sign-token.js';

/** Links that belong to one subscriber. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** Builds the signed unsubscribe and preferences links for a subscriber. */
export function linksFor(config: Pick<Config, 'publicUrl' | 'secretKey'>, subscriberId: number): RecipientLinks {
  const { publicUrl, secretKey } = config;
  return {
    unsubscribeUrl: `${publicUrl}/u/${signToken(secretKey, 'unsubscribe', subscriberId)}`,
    preferencesUrl: `${publicUrl}/p/${signToken(secretKey, 'preferences', subscriberId)}`,
  };
}
