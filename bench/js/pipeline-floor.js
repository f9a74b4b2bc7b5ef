// The floor under bench/js/stream-transform.js: the least JavaScript a
// three-stage pipeline must run per chunk (call each user function with a
// callback and hand its result on), with no streams at all. On an
// interpreter this floor alone is most of what a 2x-of-Node budget for the
// full stream pipeline allows; compare it with stream-transform's time.
const chunks = [];
for (let i = 0; i < 100000; i++) chunks.push(Buffer.from(`chunk ${i}\n`));
const transforms = [
  (chunk, enc, cb) => cb(null, chunk),
  (chunk, enc, cb) => cb(null, chunk.length > 0 ? chunk : null),
];
let bytes = 0;
const write = (chunk, enc, cb) => {
  bytes += chunk.length;
  cb();
};
function stage(fn, next) {
  return (chunk) => fn(chunk, 'buffer', (err, out) => {
    if (out != null) next(out);
  });
}
const run = stage(transforms[0], stage(transforms[1], (chunk) => write(chunk, 'buffer', () => {})));
for (let i = 0; i < chunks.length; i++) run(chunks[i]);
console.log(bytes);
