'use strict';
// Spec output, then one plain line `N passed, N failed` that CI greps for.
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++);
    runner.on(EVENT_TEST_PENDING, () => skipped++);
    runner.once(EVENT_RUN_END, () => {
      const extra = skipped ? ` (${skipped} skipped)` : '';
      process.stdout.write(`${passed} passed, ${failed} failed${extra}\n`);
    });
  }
}
module.exports = SummaryReporter;
