/**
 * `paperpost feedback EMAIL PAPER_ID more|less`: records a reader's rating of a paper, exactly
 * as the feedback page's POST does (issue #20), for operators importing ratings and for tests.
 * The paper's text comes from the newest frozen issue that carried it (store.findIssuePaper),
 * never from the command line. The same rating twice records one; the other choice replaces
 * the first. Bad input (an unknown subscriber or paper, a choice other than more or less, a
 * reader the feedback page records nothing for: pending or left): exit 2, one line.
 */
import type { Command } from 'commander';
import { InputError, UsageError } from '../../errors.js';
import { quoteInput } from '../../echo-input.js';
import type { RatingChoice } from '../../picks/reader-signals.js';
import { out, withApp } from '../context.js';
import { findSubscriber } from '../find-subscriber.js';
import { ratingRefusal } from '../../subscribers/signal-consent.js';

const CHOICES: readonly RatingChoice[] = ['more', 'less'];

/** Registers `feedback`. */
export function registerFeedbackCommand(program: Command): void {
  program
    .command('feedback')
    .description('record a reader\'s "More like this" or "Less like this" on a paper of a sent issue, as the feedback page does')
    .argument('<email>', 'the subscriber')
    .argument('<paper-id>', 'the paper, by the id issues carry (an arXiv id such as 2512.01234)')
    .argument('<choice>', 'more or less')
    .action(async (email: string, paperId: string, choice: string) => {
      if (!CHOICES.includes(choice as RatingChoice)) throw new UsageError(`feedback: the choice is "more" or "less", not ${quoteInput(choice)}`, 'see paperpost feedback --help');
      await withApp(async (app) => {
        const s = await findSubscriber(app, email);
        // The feedback page's rule: only an active reader's ratings are recorded.
        const refused = ratingRefusal(s.status);
        if (refused === 'pending') throw new InputError(`${s.email} has not confirmed their subscription, so ratings are not recorded for it`, 'they confirm through the link in their confirmation email');
        if (refused) throw new InputError(`${s.email} is ${s.status}, so ratings are not recorded for it`, 'only an active subscriber\'s ratings are recorded, as on the feedback page');
        const paper = await app.store().findIssuePaper(paperId.trim());
        if (!paper) throw new InputError(`no sent issue carried the paper ${quoteInput(paperId)}`, 'give the id of a paper of a frozen issue (see the archive)');
        const outcome = await app.store().recordRating(s.id, paper, choice as RatingChoice, new Date());
        const what = `${choice === 'more' ? 'more like' : 'less like'} ${paper.paperId} (${paper.title})`;
        out(outcome === 'unchanged' ? `${s.email} had already said ${what}: nothing changed` : `${s.email}: ${outcome} ${what}`);
      });
    });
}
