// The seed page's examples, then the rest of the customer life cycle:
// JSON and form bodies, updates, conversations, pagination and filters.

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_CT = { 'Content-Type': 'application/json' };

const expect = (cond, message) => (cond ? [] : [message]);
const json = (res) => JSON.parse(res.body);
const form = (fields) => new URLSearchParams(fields).toString();

export function customerSteps(ctx) {
  const s = ctx.saved;
  const steps = [
    // The seed's five curl calls (curl -d sends form data without a
    // Content-Type header of the caller's choosing: it adds the form type).
    {
      name: 'seed: create a customer',
      req: (c) => ({
        method: 'POST', path: '/v1/customers', headers: c.auth(FORM),
        body: 'username=FrankMcCallister&phone_number=1-800-759-3000&avatar_url=https%3A%2F%2Fassets.protocol.chat%2Favatars%2Ffrank.jpg',
      }),
      status: 201,
      check(res) {
        const c = json(res);
        s.frank = c;
        return [
          ...expect(res.headers.location[0] === `/v1/customers/${c.id}`, `Location ${res.headers.location} does not name ${c.id}`),
          ...expect(c.username === 'FrankMcCallister' && c.display_name === null && c.last_active_at === null, 'seed fields wrong'),
          ...expect(c.status === 'active' && c.is_flagged === false && c.updated_at === c.created_at, 'defaults wrong'),
        ];
      },
    },
    {
      name: 'seed: list all customers',
      req: (c) => ({ method: 'GET', path: '/v1/customers?active=true&limit=10', headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).data.some((c) => c.id === s.frank.id), 'the new customer is not listed'),
    },
    {
      name: 'seed: retrieve a customer',
      req: (c) => ({ method: 'GET', path: `/v1/customers/${s.frank.id}`, headers: c.auth() }),
      status: 200,
      check: (res) => expect(res.body === JSON.stringify(s.frank), 'retrieve differs from create'),
    },
    {
      name: 'seed: update a customer',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth(), body: 'display_name=UncleFrank' }),
      status: 200,
      check: (res) => expect(json(res).display_name === 'UncleFrank', 'display_name not updated'),
    },
    {
      name: 'a body without Content-Type is form data',
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(), body: 'username=NoContentType&phone_number=555-0100' }),
      status: 201,
    },
    {
      name: 'create with every field, JSON',
      req: (c) => ({
        method: 'POST', path: '/v1/customers', headers: c.auth(JSON_CT),
        body: JSON.stringify({
          username: 'kevin.mccallister', phone_number: '+1 (312) 555-0199', avatar_url: 'https://example.com/k.png',
          display_name: 'Kevin ✈ McCallister', external_id: 'crm-42', is_flagged: true, meta: { plan: 'pro', 'ключ': 'значение' },
        }),
      }),
      status: 201,
      check(res) {
        s.kevin = json(res);
        return expect(s.kevin.meta.plan === 'pro' && s.kevin.is_flagged === true && s.kevin.external_id === 'crm-42', 'fields not stored');
      },
    },
    {
      name: 'create with nulls and empty strings, JSON',
      req: (c) => ({
        method: 'POST', path: '/v1/customers', headers: c.auth(JSON_CT),
        body: JSON.stringify({ username: 'marv', phone_number: '555 0100', avatar_url: null, display_name: '', external_id: null, meta: {} }),
      }),
      status: 201,
      check(res) {
        s.marv = json(res);
        return expect(s.marv.display_name === null && s.marv.avatar_url === null && s.marv.external_id === null, 'empty values not null');
      },
    },
    {
      name: 'create with form meta and flags',
      req: (c) => ({
        method: 'POST', path: '/v1/customers', headers: c.auth(FORM),
        body: form({ username: 'harry', phone_number: '555-0101', is_flagged: 'true', external_id: 'crm-43', 'meta[a]': '1', 'meta[b]': '' }),
      }),
      status: 201,
      check(res) {
        s.harry = json(res);
        return expect(JSON.stringify(s.harry.meta) === '{"a":"1","b":""}', `meta ${JSON.stringify(s.harry.meta)}`);
      },
    },
    {
      name: 'terminate with PUT, JSON',
      req: (c) => ({ method: 'PUT', path: `/v1/customers/${s.harry.id}`, headers: c.auth(JSON_CT), body: '{"status":"terminated","display_name":null}' }),
      status: 200,
      check: (res) => expect(json(res).status === 'terminated' && Number.isInteger(json(res).terminated_at), 'not terminated'),
    },
    {
      name: 'replace meta and clear external_id, form',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.kevin.id}`, headers: c.auth(FORM), body: 'meta[tier]=gold&external_id=' }),
      status: 200,
      check: (res) => expect(JSON.stringify(json(res).meta) === '{"tier":"gold"}' && json(res).external_id === null, 'meta not replaced'),
    },
    {
      name: 'clear meta with meta=, form',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.kevin.id}`, headers: c.auth(), body: 'meta=&is_flagged=false' }),
      status: 200,
      check: (res) => expect(JSON.stringify(json(res).meta) === '{}' && json(res).is_flagged === false, 'meta not cleared'),
    },
    {
      name: 'an empty update changes nothing but is fine',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.marv.id}`, headers: c.auth(JSON_CT), body: '{}' }),
      status: 200,
    },
    {
      name: 'reactivate, form',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.harry.id}`, headers: c.auth(), body: 'status=active' }),
      status: 200,
      check: (res) => expect(json(res).terminated_at === null, 'terminated_at not cleared'),
    },
    {
      name: 'terminate again for the filters',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.harry.id}`, headers: c.auth(), body: 'status=terminated' }),
      status: 200,
    },
    {
      name: 'retrieve the conversation',
      req: (c) => ({ method: 'GET', path: `/v1/conversations/${s.frank.conversation_id}`, headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).customer_id === s.frank.id, 'conversation of another customer'),
    },
  ];

  // Pagination over a project of known size: 5 more, then pages of 2.
  for (let i = 0; i < 5; i++)
    steps.push({
      name: `create page customer ${i}`,
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(), body: `username=page${i}&phone_number=555-010${i}` }),
      status: 201,
    });
  steps.push(
    {
      name: 'list: first page of 2',
      req: (c) => ({ method: 'GET', path: '/v1/customers?limit=2', headers: c.auth() }),
      status: 200,
      check(res) {
        const page = json(res);
        s.page1 = page.data.map((c) => c.id);
        return expect(page.has_more && page.data[0].username === 'page4' && page.data[1].username === 'page3', `page 1: ${s.page1}`);
      },
    },
    {
      name: 'list: next page with starting_after',
      req: (c) => ({ method: 'GET', path: `/v1/customers?limit=2&starting_after=${s.page1[1]}`, headers: c.auth() }),
      status: 200,
      check(res) {
        const page = json(res);
        s.page2 = page.data.map((c) => c.id);
        return expect(page.has_more && page.data[0].username === 'page2' && page.data[1].username === 'page1', 'page 2 wrong');
      },
    },
    {
      name: 'list: back with ending_before',
      req: (c) => ({ method: 'GET', path: `/v1/customers?limit=2&ending_before=${s.page2[0]}`, headers: c.auth() }),
      status: 200,
      check: (res) => expect(JSON.stringify(json(res).data.map((c) => c.id)) === JSON.stringify(s.page1), 'ending_before did not return page 1'),
    },
    {
      name: 'list: the whole project in one page of 100',
      req: (c) => ({ method: 'GET', path: '/v1/customers?limit=100', headers: c.auth() }),
      status: 200,
      check: (res) => expect(!json(res).has_more && json(res).data.length === 10, `expected 10 customers, got ${json(res).data.length}`),
    },
    {
      name: 'list: limit with a leading zero',
      req: (c) => ({ method: 'GET', path: '/v1/customers?limit=05', headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).data.length === 5, `limit=05 gave ${json(res).data.length}`),
    },
    {
      name: 'list: filters is_flagged and status',
      req: (c) => ({ method: 'GET', path: '/v1/customers?is_flagged=true&status=terminated', headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).data.length === 1 && json(res).data[0].id === s.harry.id, 'filter result wrong'),
    },
    {
      name: 'list: active=false',
      req: (c) => ({ method: 'GET', path: '/v1/customers?active=false', headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).data.every((c) => c.status === 'terminated'), 'active=false listed active customers'),
    },
    {
      name: 'list: external_id',
      req: (c) => ({ method: 'GET', path: '/v1/customers?external_id=crm-43&limit=5', headers: c.auth() }),
      status: 200,
      check: (res) => expect(json(res).data.length === 1 && json(res).data[0].id === s.harry.id, 'external_id filter wrong'),
    },
    {
      name: 'list: another project sees none of them',
      req: (c) => ({ method: 'GET', path: '/v1/customers', headers: { Authorization: `Bearer ${c.otherToken}` } }),
      status: 200,
      check: (res) => expect(json(res).data.length === 0 && !json(res).has_more, 'another project sees customers'),
    },
  );
  return steps;
}
