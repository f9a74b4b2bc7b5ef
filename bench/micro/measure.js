// Shared by the micro-benchmarks: calibrates each case to about 200 ms and
// records nanoseconds per operation.
module.exports = function createMeasure() {
  const results = {};
  function measure(name, fn) {
    let iterations = 1;
    for (;;) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      const elapsed = Number(process.hrtime.bigint() - start);
      if (elapsed > 200e6 || iterations > 1e7) {
        results[name] = elapsed / iterations;
        return;
      }
      iterations *= elapsed < 1e6 ? 10 : Math.ceil(200e6 / elapsed);
    }
  }
  return { measure, results };
};
