// Sorting: numbers with a comparator, strings by default, objects by key.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
let check = 0;
for (let round = 0; round < 5; round++) {
  const numbers = Array.from({ length: 200000 }, () => random() * 1e6);
  numbers.sort((a, b) => a - b);
  const words = Array.from({ length: 50000 }, () => random().toString(36).slice(2));
  words.sort();
  const people = Array.from({ length: 50000 }, (_, i) => ({ age: Math.floor(random() * 100), i }));
  people.sort((a, b) => a.age - b.age || a.i - b.i);
  check += numbers[1000] > numbers[999] ? 1 : 0;
  check += words[0] <= words[1] ? 1 : 0;
  check += people[0].age;
}
console.log(check);
