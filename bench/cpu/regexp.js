// Regular expressions: matching, capturing and replacing over log lines.
const lines = [];
for (let i = 0; i < 5000; i++) {
  lines.push(`2026-12-${String(i % 28 + 1).padStart(2, '0')} 12:${String(i % 60).padStart(2, '0')} GET /api/v1/users/${i} 200 ${i % 997}ms ua="agent/${i % 7}"`);
}
const pattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) (GET|POST) (\S+) (\d{3}) (\d+)ms ua="([^"]+)"$/;
let sum = 0;
for (let round = 0; round < 20; round++) {
  for (const line of lines) {
    const m = pattern.exec(line);
    if (m) sum += Number(m[9]) + m[7].length;
    sum += line.replace(/\d+/g, '#').length;
    if (/users\/\d*7\b/.test(line)) sum++;
  }
}
console.log(sum);
