/**
 * The pre-send checks of one rendered copy, printed as a command's result (`render`): one line
 * per problem, errors first, or one line saying all passed. With --check-links each distinct
 * link is fetched once too (deliver/check-link-status.ts). Modules load when a command calls
 * this, not at start-up.
 */
import type { CheckProblem } from '../render/checks/check-problem.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { RenderedMessage } from '../render/personalize-issue.js';
import { plural } from '../plural.js';
import { out } from './context.js';

/** One copy as a command rendered it. */
export interface RenderedCopy {
  compiled: CompiledIssue;
  copy: RenderedMessage;
  eml: Buffer;
  unsubscribeUrl: string;
}

/** Runs the checks on `c` (and fetches its links when `checkLinks`), and prints the list. */
export async function printCopyChecks(c: RenderedCopy, options: { checkLinks?: boolean; timeoutMs: number }): Promise<CheckProblem[]> {
  const [{ checkCopy }, { sortProblems, formatProblem }, { readMessageHeaders }, { issueSourceText }] = await Promise.all([
    import('../render/checks/check-copy.js'),
    import('../render/checks/check-problem.js'),
    import('../deliver/read-message-headers.js'),
    import('../deliver/build-checked-copy.js'),
  ]);
  const check = { ...c.copy, headers: readMessageHeaders(c.eml), unsubscribeUrl: c.unsubscribeUrl, sourceText: issueSourceText(c.compiled) };
  let problems = checkCopy(check);
  if (options.checkLinks) {
    const [{ checkLinkStatus }, { fetchableLinks }] = await Promise.all([import('../deliver/check-link-status.js'), import('../render/checks/list-copy-links.js')]);
    const links = fetchableLinks(check);
    out(`checking ${plural(links.length, 'link')} (each fetched once)...`);
    problems = sortProblems([...problems, ...(await checkLinkStatus(links, { timeoutMs: options.timeoutMs }))]);
  }
  const errors = problems.filter((p) => p.level === 'error').length;
  if (problems.length === 0) out(`checks: all passed${options.checkLinks ? ', links included' : ''}`);
  else out(`checks: ${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')} (send stops on an error unless SEND_CHECKS=warn)`);
  for (const p of problems) out(`  ${formatProblem(p)}`);
  return problems;
}
