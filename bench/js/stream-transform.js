// Per-chunk stream overhead: 100,000 small chunks from Readable.from
// through two Transforms into a Writable, with pipeline().
const { Readable, Transform, Writable, pipeline } = require('stream');
const chunks = [];
for (let i = 0; i < 100000; i++) chunks.push(Buffer.from(`chunk ${i}\n`));
let bytes = 0;
pipeline(
  Readable.from(chunks, { objectMode: false }),
  new Transform({ transform(chunk, enc, cb) { cb(null, chunk); } }),
  new Transform({ transform(chunk, enc, cb) { cb(null, chunk.length > 0 ? chunk : null); } }),
  new Writable({ write(chunk, enc, cb) { bytes += chunk.length; cb(); } }),
  (err) => {
    if (err) throw err;
    console.log(bytes);
  },
);
