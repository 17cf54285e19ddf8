/**
 * How far V8 lets the JavaScript heap grow past what the last full collection kept before it
 * collects again. By default V8 lets it grow two to four times when collecting looks cheap,
 * which it does in a send: most of what a send makes dies young, and the rest (a copy's
 * values and plan, kept from its batch until it goes out) dies a little later. On a send of
 * 20,000 copies that let the heap reach ~100 MB around 25–30 MB that were alive. Growing by
 * half (HEAP_GROWING_PERCENT) keeps it near 45 MB for about the same CPU. Measured on that
 * send into smtp-sink, with the composer's slabs reused (deliver/text-slab.ts): peak RSS
 * 202–213 MB by default, 146–148 MB at 50, 159–162 MB at 100, and 143–144 MB at 25 for a
 * fifth more CPU.
 *
 * It is set when a command's module is about to load (cli/main.ts), before the command loads
 * anything else; `--version` and the overall `--help` skip it. The operator's own flag, given
 * to node, wins.
 */
import v8 from 'node:v8';

/** V8's heap growing factor as 1 + this / 100. */
export const HEAP_GROWING_PERCENT = 50;

/** The V8 flag to set, or null when the operator gave node one already. */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  return given ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
if (flag !== null) v8.setFlagsFromString(flag);
