// 429: when the server limits requests per token (its /v1 responses then
// carry RateLimit-Policy), a burst beyond the limit must get 429s in the
// documented shape. With the other project's token, which no later step
// uses. A server without the limit skips this, saying so.

const BATCH = 50;
const MAX_REQUESTS = 5000;

async function exceedTheLimit(ctx) {
  const req = { method: 'GET', path: '/v1/customers?limit=1', headers: { Authorization: `Bearer ${ctx.otherToken}` } };
  const first = await ctx.run({ name: 'rate limit: a first request', req, status: 200 });
  const policy = first?.headers['ratelimit-policy']?.[0];
  if (!policy) {
    console.log('SKIP rate limit: the server sends no RateLimit-Policy (no limit configured)');
    return;
  }
  // Requests in parallel batches until one is refused: a sequential client
  // may never outrun a generous refill rate.
  for (let sent = 1; sent < MAX_REQUESTS; sent += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, i) => ctx.run({ name: `rate limit: request ${sent + i}`, req, status: [200, 429] }));
    const responses = await Promise.all(batch);
    if (responses.some((r) => r?.status === 429)) return;
  }
  console.log(`SKIP rate limit: ${MAX_REQUESTS} requests (policy ${policy}) were all served`);
}

export function rateLimitSteps() {
  return [exceedTheLimit];
}
