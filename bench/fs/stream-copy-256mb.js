// createReadStream piped to createWriteStream, 256 MB.
const fs = require('fs');
const { pipeline } = require('stream');
const dir = process.env.FS_BENCH_DIR;
pipeline(fs.createReadStream(`${dir}/256mb.bin`), fs.createWriteStream(`${dir}/copy-256mb.bin`), (err) => {
  if (err) throw err;
});
