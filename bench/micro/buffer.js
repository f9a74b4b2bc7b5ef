// Buffer encoding micro-benchmarks: Buffer.from(string) and toString() in
// utf8, hex and base64 on 1 KB and 1 MB inputs. Prints one JSON object of
// nanoseconds per operation, so bench/micro.sh can set runtimes side by side.
const { measure, results } = require('./measure')();

for (const [label, size] of [['1KB', 1024], ['1MB', 1024 * 1024]]) {
  const text = 'Lode ✓ runs Node programs. '.repeat(Math.ceil(size / 28)).slice(0, size);
  const bytes = Buffer.from(text);
  const hex = bytes.toString('hex');
  const base64 = bytes.toString('base64');
  measure(`from utf8 ${label}`, () => Buffer.from(text));
  measure(`toString utf8 ${label}`, () => bytes.toString());
  measure(`from hex ${label}`, () => Buffer.from(hex, 'hex'));
  measure(`toString hex ${label}`, () => bytes.toString('hex'));
  measure(`from base64 ${label}`, () => Buffer.from(base64, 'base64'));
  measure(`toString base64 ${label}`, () => bytes.toString('base64'));
}
console.log(JSON.stringify(results));
