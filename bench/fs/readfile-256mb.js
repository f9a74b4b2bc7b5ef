// readFile of a 256 MB file.
const fs = require('fs');
fs.readFile(`${process.env.FS_BENCH_DIR}/256mb.bin`, (err, data) => {
  if (err || data.length !== 256 << 20) throw err ?? new Error('short read');
});
