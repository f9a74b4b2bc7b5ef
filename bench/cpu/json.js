// JSON: stringify and parse a 2,000-record document 50 times.
const records = [];
for (let i = 0; i < 2000; i++) {
  records.push({ id: i, name: `user${i}`, active: i % 3 === 0, score: i * 1.5, tags: ['a', 'b', String(i)], nested: { x: i, y: [i, i] } });
}
let total = 0;
for (let round = 0; round < 50; round++) {
  const text = JSON.stringify(records);
  total += JSON.parse(text).length + text.length;
}
console.log(total);
