// Probes, metrics, the document itself and the common headers.

const expect = (cond, message) => (cond ? [] : [message]);

// TRACE on every documented path: a 405 whose Allow the contract compares
// with the path's documented methods, so every path and method of the
// document must exist in the server (and no other method for those paths).
function everyPathHasItsMethods(ctx) {
  return Object.keys(ctx.document.paths).map((template) => ({
    name: `TRACE ${template}: 405 with the documented methods`,
    req: { method: 'TRACE', path: template.replace(/\{[^}]+\}/g, 'AAAAAAAAAAAAAAAA') },
    status: 405,
    skipIf: (res) => template === '/metrics' && res.status === 404 && 'this build does not serve /metrics',
  }));
}

export function operationsSteps(ctx) {
  return [
    ...everyPathHasItsMethods(ctx),
    { name: 'GET /healthz', req: { method: 'GET', path: '/healthz' }, status: 200 },
    { name: 'GET /readyz', req: { method: 'GET', path: '/readyz' }, status: 200 },
    {
      name: 'GET /openapi.json',
      req: { method: 'GET', path: '/openapi.json' },
      status: 200,
      check(res, ctx) {
        ctx.saved.servedDocument = JSON.parse(res.body);
        ctx.saved.etag = res.headers.etag[0];
        return [];
      },
    },
    {
      name: 'GET /openapi.json revalidated with its ETag',
      req: (ctx) => ({ method: 'GET', path: '/openapi.json', headers: { 'If-None-Match': ctx.saved.etag } }),
      status: 304,
    },
    {
      name: 'GET /openapi.json revalidated with a weak tag in a list',
      req: (ctx) => ({ method: 'GET', path: '/openapi.json', headers: { 'If-None-Match': `"0000000000000000", W/${ctx.saved.etag}` } }),
      status: 304,
    },
    {
      name: 'GET /openapi.json with a stale ETag',
      req: { method: 'GET', path: '/openapi.json', headers: { 'If-None-Match': '"0000000000000000"' } },
      status: 200,
    },
    {
      name: 'GET /openapi.json needs no token, even a wrong one',
      req: { method: 'GET', path: '/openapi.json', headers: { Authorization: 'Bearer not-a-real-token-at-all' } },
      status: 200,
      requestValid: null,
    },
    // /metrics is documented; a build without the route (404 from the
    // router) skips the step, saying so, instead of failing.
    {
      name: 'GET /metrics',
      req: { method: 'GET', path: '/metrics' },
      status: 200,
      skipIf: (res) => res.status === 404 && /no such endpoint/.test(res.body) && 'this build does not serve /metrics',
    },
    {
      name: 'a safe X-Request-Id is echoed',
      req: { method: 'GET', path: '/healthz', headers: { 'X-Request-Id': 'trace-42.a_b' } },
      status: 200,
      check: (res) => expect(res.headers['x-request-id'][0] === 'trace-42.a_b', `X-Request-Id not echoed: ${res.headers['x-request-id']}`),
    },
    {
      name: 'an unsafe X-Request-Id is replaced',
      req: { method: 'GET', path: '/healthz', headers: { 'X-Request-Id': 'a b<script>' } },
      status: 200,
      check: (res) => expect(res.headers['x-request-id'][0] !== 'a b<script>', 'unsafe X-Request-Id echoed'),
    },
    {
      name: 'HEAD /healthz: the GET head, Content-Length included, without a body',
      req: { method: 'HEAD', path: '/healthz' },
      status: 200,
      check: (res) => expect(res.headers['content-length']?.[0] === '15', `Content-Length ${res.headers['content-length']}, the GET body has 15 bytes`),
    },
    { name: 'POST /healthz: 405', req: { method: 'POST', path: '/healthz', body: 'x=1' }, status: 405 },
    { name: 'OPTIONS /readyz: 405', req: { method: 'OPTIONS', path: '/readyz' }, status: 405 },
    { name: 'DELETE /openapi.json: 405', req: { method: 'DELETE', path: '/openapi.json' }, status: 405 },
    { name: 'an unknown path: 404', req: { method: 'GET', path: '/v2/customers' }, status: 404 },
    { name: 'an unknown path below a known one: 404', req: { method: 'GET', path: '/v1/customers/AAAAAAAAAAAAAAAA/orders' }, status: 404 },
    {
      name: 'malformed HTTP: 400',
      req: { raw: 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n' },
      status: 400,
    },
    {
      name: 'a header above 8 KiB: 431',
      req: { method: 'GET', path: '/healthz', headers: { 'X-Padding': 'p'.repeat(10_000) } },
      status: 431,
    },
    {
      name: 'a body above 64 KiB to /healthz: 413',
      req: { method: 'POST', path: '/healthz', body: 'x'.repeat(70_000) },
      status: 413,
    },
  ];
}
