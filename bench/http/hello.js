// A minimal http server: 'Hello, world' (or BODY_BYTES bytes) per request.
const http = require('http');
const size = Number(process.env.BODY_BYTES || 0);
const body = size > 0 ? Buffer.alloc(size, 'x') : 'Hello, world';
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
