// writeFile of 1 MB, 300 times (promise API, one at a time).
const fs = require('fs');
const file = `${process.env.FS_BENCH_DIR}/out-1mb.bin`;
const data = Buffer.alloc(1 << 20, 1);
(async () => {
  for (let i = 0; i < 300; i++) await fs.promises.writeFile(file, data);
})();
