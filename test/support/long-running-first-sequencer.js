const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** A test file whose doc comment has a line ` * @long-running <why>`. */
const LONG_RUNNING = /^\s*\*\s*@long-running\b/m;

/**
 * jest's own order (last run's failures first, then the longest), except that on a run with no timings yet (a fresh
 * clone, CI) the files marked `@long-running` start first: by file size, as jest guesses without timings, they would
 * start late and leave one worker running alone at the end.
 */
class LongRunningFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimedLong = sorted.filter((test) => test.duration == null && LONG_RUNNING.test(readText(test.path)));
    return [...untimedLong, ...sorted.filter((test) => !untimedLong.includes(test))];
  }
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

module.exports = LongRunningFirst;
