// Map and Set: inserting, looking up and deleting string and number keys.
let hits = 0;
for (let round = 0; round < 10; round++) {
  const byName = new Map();
  const ids = new Set();
  for (let i = 0; i < 100000; i++) {
    byName.set(`key${i}`, i);
    ids.add(i * 7);
  }
  for (let i = 0; i < 200000; i++) {
    if (byName.get(`key${i}`) !== undefined) hits++;
    if (ids.has(i)) hits++;
  }
  for (let i = 0; i < 100000; i += 2) byName.delete(`key${i}`);
  hits += byName.size + ids.size;
}
console.log(hits);
