/**
 * `paperpost subscribers follow|unfollow|mute EMAIL --author "…" | --phrase "…"`: a reader's
 * follows by hand (issue #20), as the preferences page manages them. Exactly one of --author
 * and --phrase; a mute is a phrase. `unfollow --phrase` lifts a follow or a mute of that
 * phrase. Following an author says when the name is ambiguous, but only when paperpost can see
 * it: two different spellings with the same normalised name among the authors of recent
 * issues (the follow covers both). The limits are the store's: bad input, one line. Whom the
 * page lets manage follows is shared (subscribers/signal-consent.ts): anyone but an address that
 * bounced or complained, so an unsubscribed or pending reader's follows can still be changed;
 * but for a forgotten address signed up again and not yet confirmed (its mark is still there).
 */
import type { Command } from 'commander';
import type { App } from '../../app.js';
import { quoteInput } from '../../echo-input.js';
import { InputError, UsageError } from '../../errors.js';
import { authorSpellings } from '../../picks/author-spellings.js';
import { followKey, MAX_FOLLOW_LENGTH, type FollowKind } from '../../picks/reader-signals.js';
import { followsClosed } from '../../subscribers/signal-consent.js';
import { FORGOTTEN_PREFIX } from '../../subscribers/forgotten-address.js';
import type { Subscriber } from '../../types.js';
import { err, out, withApp } from '../context.js';
import { findSubscriber } from '../find-subscriber.js';

interface FollowOptions {
  author?: string;
  phrase?: string;
}

/** The one thing a command names: an author or a phrase. */
function target(command: string, opts: FollowOptions): { kind: 'author' | 'phrase'; value: string } {
  if ((opts.author === undefined) === (opts.phrase === undefined)) {
    throw new UsageError(`subscribers ${command}: give exactly one of --author "name" and --phrase "words"`, `see paperpost subscribers ${command} --help`);
  }
  return opts.author !== undefined ? { kind: 'author', value: opts.author } : { kind: 'phrase', value: opts.phrase! };
}

/** The subscriber, when their follows may change: as on the preferences page, not for an address that bounced or complained. */
async function readerWithOpenFollows(app: App, email: string, command: string): Promise<Subscriber> {
  const s = await findSubscriber(app, email);
  // A forgotten address signed up again keeps its mark until its owner confirms.
  const mark = s.status === 'pending' ? await app.store().findSuppression(s.email, { forgotten: true }) : null;
  if (followsClosed(s.status, mark?.pattern.startsWith(FORGOTTEN_PREFIX))) {
    if (s.status === 'pending') {
      throw new InputError(`subscribers ${command}: ${s.email} was forgotten at its owner's request and has not confirmed again, so no follows or mutes are recorded for it`, 'they confirm through the link in their confirmation email');
    }
    throw new InputError(`subscribers ${command}: ${s.email} is ${s.status}, so their follows and mutes cannot be changed`, 'as on the preferences page; they can change them again once they subscribe again');
  }
  return s;
}

const shown = (kind: FollowKind, value: string) => `${kind === 'author' ? 'author' : 'phrase'} ${quoteInput(value, MAX_FOLLOW_LENGTH)}`;

/** Registers `subscribers follow`, `unfollow` and `mute` on the `subscribers` command. */
export function registerSubscriberFollowCommands(subs: Command): void {
  subs
    .command('follow')
    .description("follow an author or a phrase for a subscriber: their picks favour it")
    .argument('<email>')
    .option('--author <name>', 'an author, as a paper lists them')
    .option('--phrase <words>', 'a phrase, matched on word stems in title, keywords and abstract')
    .action(async (email: string, opts: FollowOptions) => {
      const { kind, value } = target('follow', opts);
      await withApp(async (app) => {
        const s = await readerWithOpenFollows(app, email, 'follow');
        const key = followKey(kind, value);
        const added = await app.store().addFollow(s.id, { kind, value, key }, new Date());
        out(`${s.email} ${added ? 'now follows' : 'already follows'} ${shown(kind, value.replace(/\s+/g, ' ').trim())}${added === 'replaced' ? ': it was muted; now followed' : ''}`);
        if (kind === 'author') {
          const spellings = await authorSpellings(app.store(), value);
          if (spellings) err(`note: the name is ambiguous: recent issues have ${spellings.length} authors named "${key}" once normalised (${spellings.join('; ')}); the follow covers all of them`);
        }
      });
    });

  subs
    .command('unfollow')
    .description('stop following an author or a phrase (a muted phrase is unmuted)')
    .argument('<email>')
    .option('--author <name>', 'an author the subscriber follows')
    .option('--phrase <words>', 'a phrase the subscriber follows or mutes')
    .action(async (email: string, opts: FollowOptions) => {
      const { kind, value } = target('unfollow', opts);
      await withApp(async (app) => {
        const s = await readerWithOpenFollows(app, email, 'unfollow');
        const key = followKey(kind, value);
        const kinds: FollowKind[] = kind === 'author' ? ['author'] : ['phrase', 'mute'];
        const removed: FollowKind[] = [];
        for (const k of kinds) if (await app.store().removeFollow(s.id, k, key)) removed.push(k);
        if (removed.length === 0) out(`${s.email} did not follow ${kind === 'phrase' ? 'or mute ' : ''}${shown(kind, value)}: nothing changed`);
        else out(`${s.email} ${removed.map((k) => (k === 'mute' ? 'no longer mutes' : 'no longer follows')).join(' and ')} ${shown(kind, value)}`);
      });
    });

  subs
    .command('mute')
    .description('mute a phrase for a subscriber: papers matching it are never picked for them')
    .argument('<email>')
    .option('--phrase <words>', 'the phrase to mute')
    .option('--author <name>', '(not supported: only phrases are muted)')
    .action(async (email: string, opts: FollowOptions) => {
      const { kind, value } = target('mute', opts);
      if (kind === 'author') throw new UsageError('subscribers mute: only a phrase can be muted', 'give --phrase "words"; to stop following an author, use subscribers unfollow --author');
      await withApp(async (app) => {
        const s = await readerWithOpenFollows(app, email, 'mute');
        const added = await app.store().addFollow(s.id, { kind: 'mute', value, key: followKey('mute', value) }, new Date());
        out(`${s.email} ${added ? 'now mutes' : 'already mutes'} ${shown('mute', value.replace(/\s+/g, ' ').trim())}${added === 'replaced' ? ': it was followed; now muted' : ''}`);
      });
    });
}
