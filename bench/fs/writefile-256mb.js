// writeFile of 256 MB.
const fs = require('fs');
fs.writeFile(`${process.env.FS_BENCH_DIR}/out-256mb.bin`, Buffer.alloc(256 << 20, 2), (err) => {
  if (err) throw err;
});
