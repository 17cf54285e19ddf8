/**
 * Preloaded with `node --import` by the heap-growth test: prints every flag the process gives
 * V8 at run time (v8.setFlagsFromString) on stderr, as "v8-flag <flag>".
 */
import v8 from 'node:v8';

const set = v8.setFlagsFromString.bind(v8);
v8.setFlagsFromString = (flag) => {
  process.stderr.write(`v8-flag ${flag}\n`);
  set(flag);
};
