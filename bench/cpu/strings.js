// Strings: building, slicing, searching, splitting and case changes.
let count = 0;
for (let round = 0; round < 200; round++) {
  let text = '';
  for (let i = 0; i < 1000; i++) text += `item-${i};`;
  const parts = text.split(';');
  for (const part of parts) {
    if (part.indexOf('-9') !== -1) count++;
    count += part.toUpperCase().length + part.slice(2, 6).length;
  }
  count += text.replaceAll('item', 'it').length + text.padStart(text.length + 4).trim().length;
}
console.log(count);
