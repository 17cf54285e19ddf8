/**
 * `paperpost subscribers show EMAIL [--json]` and `paperpost subscribers forget EMAIL`: one
 * reader's data, read or erased (issue #20). `show --json` prints exactly the document the
 * preferences page's download gives the reader (store.readerData); `forget` erases them as
 * their "delete my data" button does (store.forgetSubscriber), leaving only a keyed hash of
 * the address on the suppression list.
 */
import { cadenceOf, describeCadence } from '../../subscribers/cadence.js';
import type { Command } from 'commander';
import { plural } from '../../plural.js';
import { out, withApp } from '../context.js';
import { findSubscriber } from '../find-subscriber.js';

/** Registers `subscribers show` and `subscribers forget` on the `subscribers` command. */
export function registerSubscriberDataCommands(subs: Command): void {
  subs
    .command('show')
    .description("everything kept about one subscriber: record, consent, deliveries, ratings and follows")
    .argument('<email>')
    .option('--json', 'print it as the JSON document the preferences page lets the reader download')
    .action(async (email: string, opts: { json?: boolean }) => {
      await withApp(async (app) => {
        const s = await findSubscriber(app, email);
        const data = (await app.store().readerData(s.id))!;
        if (opts.json) return out(JSON.stringify(data, null, 2));
        const sub = data.subscriber;
        out(`${sub.email}\t${sub.status}\t${sub.name ?? ''}\t${sub.themes ? sub.themes.join(', ') : 'all topics'}\t${describeCadence(cadenceOf(sub))}`);
        out(`subscribed ${sub.createdAt}${sub.confirmedAt ? `, confirmed ${sub.confirmedAt}` : ''}${sub.unsubscribedAt ? `, left ${sub.unsubscribedAt}` : ''}`);
        out(`${plural(data.confirmations.length, 'confirmation request')}, ${plural(data.deliveries.length, 'issue')} delivered or tried, ${plural(data.mailEvents.length, 'bounce or complaint', 'bounces or complaints')}`);
        if (data.suppression) out(`on the suppression list (${data.suppression.pattern}: ${data.suppression.reason})`);
        for (const r of data.ratings) out(`rated ${r.choice === 'more' ? 'more like' : 'less like'} ${r.paperId}\t${r.title}\t${r.ratedAt}`);
        for (const f of data.follows) out(`${f.kind === 'mute' ? 'mutes' : f.kind === 'author' ? 'follows author' : 'follows phrase'} ${JSON.stringify(f.value)}\t${f.createdAt}`);
      });
    });

  subs
    .command('forget')
    .description('erase a subscriber at their request: address, name, ratings, follows, consent records, ledger rows; only a keyed hash stays so no import brings them back')
    .argument('<email>')
    .action(async (email: string) => {
      await withApp(async (app) => {
        const s = await findSubscriber(app, email);
        await app.store().forgetSubscriber(s.id);
        out(`forgot ${s.email}: nothing of theirs is kept but a keyed hash on the suppression list; only their own confirmation through the subscribe form brings them back`);
      });
    });
}
