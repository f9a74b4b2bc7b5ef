// EventEmitter.emit with 1 and 5 listeners, and util.inspect of a large
// object: nanoseconds per operation as JSON.
const EventEmitter = require('events');
const util = require('util');
const { measure, results } = require('./measure')();

let sink = 0;
const one = new EventEmitter();
one.on('e', (x) => { sink += x; });
const five = new EventEmitter();
for (let i = 0; i < 5; i++) five.on('e', (x) => { sink += x; });
measure('emit, 1 listener', () => one.emit('e', 1));
measure('emit, 5 listeners', () => five.emit('e', 1));
const large = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], nested: { ok: true } })) };
measure('util.inspect large object', () => util.inspect(large, { depth: 4 }));
if (sink < 0) console.log(sink);
console.log(JSON.stringify(results));
