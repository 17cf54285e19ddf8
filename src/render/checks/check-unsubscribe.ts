/**
 * The unsubscribe check: a reader can always leave, from the message itself. The HTML footer
 * and the plain-text part carry the reader's own unsubscribe link, and the headers carry
 * List-Unsubscribe with it and List-Unsubscribe-Post for one-click unsubscribing (RFC 8058),
 * which Gmail and Yahoo require of bulk senders since 2024.
 */
import type { CheckProblem, CopyUnderCheck } from './check-problem.js';
import { scanTags } from './scan-html.js';

/** Errors for each place the unsubscribe link or header is missing. */
export function checkUnsubscribe(copy: Pick<CopyUnderCheck, 'html' | 'text' | 'headers' | 'unsubscribeUrl'>): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const url = copy.unsubscribeUrl;
  const fail = (message: string) => problems.push({ level: 'error', check: 'unsubscribe', message });
  if (!scanTags(copy.html).some((t) => t.name === 'a' && t.attrs.get('href')?.trim() === url)) {
    fail(`the HTML part has no link to the reader's unsubscribe URL (${url}); keep \\{{recipient.unsubscribeUrl}} in the footer`);
  }
  if (!copy.text.includes(url)) fail(`the plain-text part has no unsubscribe URL (${url}); keep \\{{recipient.unsubscribeUrl}} in issue.txt.hbs`);
  const header = copy.headers['list-unsubscribe'];
  if (header === undefined) fail('the List-Unsubscribe header is missing');
  else if (!header.includes(`<${url}>`)) fail(`the List-Unsubscribe header does not carry the reader's unsubscribe URL (it is ${JSON.stringify(header.slice(0, 120))})`);
  const post = copy.headers['list-unsubscribe-post'];
  if (post === undefined) fail('the List-Unsubscribe-Post header is missing (one-click unsubscribe, RFC 8058)');
  else if (post.trim() !== 'List-Unsubscribe=One-Click') fail(`the List-Unsubscribe-Post header is ${JSON.stringify(post)}, not "List-Unsubscribe=One-Click"`);
  return problems;
}
