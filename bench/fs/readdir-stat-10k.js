// readdir of a 10,000-file folder, then stat of every file: sync, then
// with promises (all in flight at once).
const fs = require('fs');
const dir = `${process.env.FS_BENCH_DIR}/10k`;
const names = fs.readdirSync(dir);
let size = 0;
for (const name of names) size += fs.statSync(`${dir}/${name}`).size;
(async () => {
  const entries = await fs.promises.readdir(dir);
  const stats = await Promise.all(entries.map((name) => fs.promises.stat(`${dir}/${name}`)));
  if (names.length !== 10000 || stats.length !== 10000 || size !== 10000) throw new Error('wrong count');
})();
