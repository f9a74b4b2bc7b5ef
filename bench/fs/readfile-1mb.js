// readFile of a 1 MB file, 300 times (callback API, one at a time).
const fs = require('fs');
const file = `${process.env.FS_BENCH_DIR}/1mb.bin`;
let left = 300;
(function next() {
  if (left-- === 0) return;
  fs.readFile(file, (err, data) => {
    if (err || data.length !== 1 << 20) throw err ?? new Error('short read');
    next();
  });
})();
