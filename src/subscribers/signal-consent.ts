/**
 * Which readers paperpost takes signals from, by subscription status: one rule for the web
 * pages and the command line, so `paperpost feedback` and `subscribers follow|unfollow|mute`
 * refuse exactly whom the feedback and preferences pages refuse.
 *
 * - Ratings: only from an active reader. Someone pending has not confirmed; someone who left
 *   (unsubscribed, bounced, complained) gets nothing more and is asked nothing more.
 * - Follows and mutes: the preferences page lets a reader manage them whatever their status,
 *   but for an address that bounced or complained (its owner may not be the one who holds the
 *   link any more), as saving the rest of that page; and but for a forgotten address signed up
 *   again and not yet confirmed (its forgotten mark is still on the list): until its owner
 *   confirms, nothing is recorded for it, as ratings are not.
 */
import type { SubscriberStatus } from '../types.js';

/** Why a reader's ratings are not recorded: 'pending' (not confirmed) or 'left'; null when they are. */
export function ratingRefusal(status: SubscriberStatus): 'pending' | 'left' | null {
  if (status === 'active') return null;
  return status === 'pending' ? 'pending' : 'left';
}

/**
 * Whether a reader's follows and mutes stay as they are: true for an address that bounced or
 * complained, and for a pending one whose address still carries a forgotten mark (`forgotten`).
 */
export function followsClosed(status: SubscriberStatus, forgotten = false): boolean {
  return status === 'bounced' || status === 'complained' || (status === 'pending' && forgotten);
}
