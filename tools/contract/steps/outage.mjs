// The store goes away: the probes and every /v1 operation answer 503 with
// Retry-After (documented per operation), while /healthz stays 200.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stopStore(ctx) {
  process.kill(ctx.redisPid, 'SIGKILL');
  // Wait (bounded) until the server has noticed, so each step below sees
  // the outage and not a race with it.
  for (let i = 0; i < 100; i++) {
    const res = await ctx.client.send({ method: 'GET', path: '/readyz' });
    if (res.status === 503) return;
    await sleep(100);
  }
  throw new Error('the server still reports ready 10 s after the store was killed');
}

export function outageSteps(ctx) {
  const s = ctx.saved;
  const v1 = (name, req) => ({ name: `store down: ${name}: 503`, req, status: 503 });
  return [
    stopStore,
    { name: 'store down: GET /readyz: 503', req: { method: 'GET', path: '/readyz' }, status: 503 },
    { name: 'store down: GET /healthz: 200', req: { method: 'GET', path: '/healthz' }, status: 200 },
    v1('list', (c) => ({ method: 'GET', path: '/v1/customers', headers: c.auth() })),
    v1('create', (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(), body: 'username=late&phone_number=555-0100' })),
    v1('retrieve', (c) => ({ method: 'GET', path: `/v1/customers/${s.kevin.id}`, headers: c.auth() })),
    v1('update', (c) => ({ method: 'PATCH', path: `/v1/customers/${s.kevin.id}`, headers: c.auth(), body: 'display_name=x' })),
    v1('update by PUT', (c) => ({ method: 'PUT', path: `/v1/customers/${s.kevin.id}`, headers: c.auth(), body: 'display_name=x' })),
    v1('delete', (c) => ({ method: 'DELETE', path: `/v1/customers/${s.kevin.id}`, headers: c.auth() })),
    v1('conversation', (c) => ({ method: 'GET', path: `/v1/conversations/${s.kevin.conversation_id}`, headers: c.auth() })),
    v1('a token not yet cached', (c) => ({ method: 'GET', path: '/v1/customers', headers: { Authorization: 'Bearer notcachednotcachednotcached' } })),
  ];
}
