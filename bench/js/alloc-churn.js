// Allocation churn: many short-lived objects and strings, some kept.
let keep = [];
for (let i = 0; i < 2e6; i++) {
  const o = { a: i, b: 'x' + i, c: [i, i + 1] };
  if (i % 100 === 0) keep.push(o);
  if (keep.length > 5000) keep = [];
}
const s = [];
for (let i = 0; i < 200000; i++) s.push(JSON.stringify({ i, v: 'value' + i }));
console.log(s.length);
