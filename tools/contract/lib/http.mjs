// A small HTTP/1.1 client over a raw socket, one request per connection.
// Raw, so that the conversation can send what a well-behaved client would
// not (oversized headers, malformed lines, bodies without Content-Type)
// and see every header exactly as the server wrote it.

import net from 'node:net';

const TIMEOUT_MS = 10_000;

// Sends `head` + `body` bytes to host:port and resolves with everything the
// server sent before it closed the connection.
function exchange(host, port, bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (d) => chunks.push(d));
    // A server that answers early (413, 431) may reset while we still write:
    // what it sent before that is the response.
    socket.on('error', (e) => {
      if (chunks.length === 0) {
        clearTimeout(timer);
        reject(e);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

// Parses one response: {status, headers: {lowercase name: [values]}, body}.
export function parseResponse(raw, method = 'GET') {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`incomplete response head: ${JSON.stringify(raw.toString('latin1'))}`);
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(lines[0]);
  if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
  const status = Number(m[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  const noBody = method === 'HEAD' || status === 204 || status === 304 || status < 200;
  if (noBody) {
    if (body.length !== 0) throw new Error(`${status} response carries ${body.length} body bytes`);
  } else if (headers['content-length']) {
    const length = Number(headers['content-length'][0]);
    if (body.length < length) throw new Error(`body cut short: ${body.length} of ${length} bytes`);
    if (body.length > length) throw new Error(`${body.length - length} bytes after the body`);
    body = body.subarray(0, length);
  } else {
    throw new Error(`${status} response without Content-Length`);
  }
  return { status, headers, body: body.toString('utf8') };
}

export class Client {
  constructor(baseUrl) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  // {method, path, headers: {name: value}, body: string|Buffer, raw: string}
  // `raw` replaces the whole request with the given bytes.
  async send(req) {
    let bytes;
    if (req.raw !== undefined) {
      bytes = Buffer.from(req.raw, 'latin1');
    } else {
      const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
      let head = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nConnection: close\r\n`;
      for (const [name, value] of Object.entries(req.headers ?? {})) head += `${name}: ${value}\r\n`;
      if (body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(req.method))
        head += `Content-Length: ${body.length}\r\n`;
      bytes = Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), body]);
    }
    const raw = await exchange(this.host, this.port, bytes);
    return parseResponse(raw, req.method);
  }
}
