// Every error a client can provoke while the store is up: bad parameters,
// bad bodies, bad tokens, conflicts, unknown ids, wrong methods, sizes.

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_CT = { 'Content-Type': 'application/json' };

const expect = (cond, message) => (cond ? [] : [message]);
const json = (res) => JSON.parse(res.body);
// An error naming the expected param (or none).
const names = (param) => (res) =>
  expect(json(res).param === param, `param is ${JSON.stringify(json(res).param)}, expected ${JSON.stringify(param)}`);

export function errorSteps(ctx) {
  const s = ctx.saved;
  const list = (query, param, requestValid) => ({
    name: `list ?${query}: 400`,
    req: (c) => ({ method: 'GET', path: `/v1/customers?${query}`, headers: c.auth() }),
    status: 400,
    requestValid,
    check: names(param),
  });
  const create = (name, body, param, { contentType = JSON_CT, requestValid } = {}) => ({
    name: `create, ${name}: 400`,
    req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(contentType), body }),
    status: 400,
    requestValid,
    check: names(param),
  });
  const valid = { username: 'buzz', phone_number: '555-0199' };
  const withField = (extra) => JSON.stringify({ ...valid, ...extra });

  return [
    // Query parameters.
    list('limit=0', 'limit'),
    list('limit=101', 'limit'),
    list('limit=abc', 'limit'),
    list('limit=', 'limit'),
    list('limit=5.0', 'limit'),
    list('limit=%2B5', 'limit'),
    list('limit=-1', 'limit'),
    list('limit=99999999999999999999', 'limit'),
    list('active=TRUE', 'active'),
    list('is_flagged=True', 'is_flagged'),
    list('status=Active', 'status'),
    list('starting_after=AAAAAAAAAAAAAAAAA', 'starting_after'),
    list('starting_after=not-an-id', 'starting_after'),
    list('ending_before=AAAAAAAAAAAAAAA*', 'ending_before'),
    // Both cursors: each is valid alone; the document says so in words only.
    list('starting_after=AAAAAAAAAAAAAAAA&ending_before=AAAAAAAAAAAAAAAA', 'ending_before', null),
    list('sort=desc', 'sort'),
    list('limit=1&limit=2', 'limit'),
    list('active=maybe', 'active'),
    list('status=deleted', 'status'),
    list('is_flagged=1', 'is_flagged'),
    list('external_id=', 'external_id'),
    // Malformed percent-encoding: URLSearchParams decodes it leniently, so
    // the document check cannot see it.
    list('limit=%zz', undefined, null),

    // Bodies of create.
    create('malformed JSON', '{"username": "buzz",', undefined, { requestValid: false }),
    create('an empty JSON body', '', undefined, { requestValid: false }),
    create('a JSON array', '[]', undefined),
    create('a JSON string', '"buzz"', undefined),
    create('username missing', JSON.stringify({ phone_number: '555-0199' }), 'username'),
    create('phone_number missing', JSON.stringify({ username: 'buzz' }), 'phone_number'),
    create('username a number', withField({ username: 5 }), 'username'),
    create('username with a space', withField({ username: 'buzz mc' }), 'username'),
    create('username of 65 characters', withField({ username: 'u'.repeat(65) }), 'username'),
    create('phone_number with 2 digits', withField({ phone_number: '5-5' }), 'phone_number'),
    create('phone_number with letters', withField({ phone_number: '555-CALL' }), 'phone_number'),
    create('avatar_url not http', withField({ avatar_url: 'ftp://example.com/a.png' }), 'avatar_url'),
    create('avatar_url without host', withField({ avatar_url: 'https:///a.png' }), 'avatar_url'),
    create('display_name with a control character', withField({ display_name: 'a\u0007b' }), 'display_name'),
    create('display_name of 129 characters', withField({ display_name: 'é'.repeat(129) }), 'display_name'),
    create('external_id not ASCII', withField({ external_id: 'crm-ü' }), 'external_id'),
    create('is_flagged a string', withField({ is_flagged: 'yes' }), 'is_flagged'),
    create('is_flagged null', withField({ is_flagged: null }), 'is_flagged'),
    create('meta an array', withField({ meta: [] }), 'meta'),
    create('meta with a number', withField({ meta: { a: 1 } }), 'meta[a]'),
    create('meta with 51 keys', withField({ meta: Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, 'v'])) }), 'meta'),
    create('meta key of 41 characters', withField({ meta: { ['k'.repeat(41)]: 'v' } }), 'meta'),
    create('meta value of 501 characters', withField({ meta: { a: 'v'.repeat(501) } }), 'meta[a]'),
    create('an unknown field', withField({ nickname: 'b' }), 'nickname'),
    create('a field the server sets', withField({ id: 'AAAAAAAAAAAAAAAA' }), 'id'),
    create('status on create', withField({ status: 'active' }), 'status'),
    // Duplicate keys and nesting: JSON.parse keeps the last key and takes
    // any depth, so the document check cannot see these.
    create('a duplicate JSON key', '{"username":"buzz","username":"buzz2","phone_number":"555-0199"}', 'username', { requestValid: null }),
    create('deeply nested JSON', `{"meta":${'{"a":'.repeat(50)}"x"${'}'.repeat(50)}}`, 'meta[a]', { requestValid: false }),
    {
      name: 'create, invalid UTF-8: 400',
      req: (c) => ({
        method: 'POST', path: '/v1/customers', headers: c.auth(JSON_CT),
        body: Buffer.concat([Buffer.from('{"username":"buzz","phone_number":"555-0199","display_name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      }),
      status: 400,
      requestValid: null,  // Node decodes invalid UTF-8 leniently
    },
    create('a form field twice', 'username=buzz&username=buzz2&phone_number=555-0199', 'username', { contentType: FORM }),
    create('form is_flagged not a boolean', 'username=buzz&phone_number=555-0199&is_flagged=1', 'is_flagged', { contentType: FORM }),
    create('form meta as a plain value', 'username=buzz&phone_number=555-0199&meta=x', 'meta', { contentType: FORM }),
    create('form with malformed percent-encoding', 'username=bu%zzz&phone_number=555-0199', undefined, { contentType: FORM, requestValid: null }),
    {
      name: 'create, text/plain: 415',
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth({ 'Content-Type': 'text/plain' }), body: 'username=buzz' }),
      status: 415,
      requestValid: false,
    },
    {
      name: 'create, a body above 64 KiB: 413',
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(JSON_CT), body: JSON.stringify({ ...valid, display_name: 'x'.repeat(70_000) }) }),
      status: 413,
    },
    {
      name: 'list, a header above 8 KiB: 431',
      req: (c) => ({ method: 'GET', path: '/v1/customers', headers: c.auth({ 'X-Padding': 'p'.repeat(10_000) }) }),
      status: 431,
    },

    // Updates.
    {
      name: 'update, username cannot be changed: 400',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth(), body: 'username=other' }),
      status: 400,
      check: names('username'),
    },
    {
      name: 'update, created_at cannot be changed: 400',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth(JSON_CT), body: '{"created_at":1}' }),
      status: 400,
      check: names('created_at'),
    },
    {
      name: 'update, bad status: 400',
      req: (c) => ({ method: 'PUT', path: `/v1/customers/${s.frank.id}`, headers: c.auth(JSON_CT), body: '{"status":"deleted"}' }),
      status: 400,
      check: names('status'),
    },
    {
      name: 'update, external_id of another customer: 409',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth(), body: 'external_id=crm-43' }),
      status: 409,
      check: names('external_id'),
    },

    // Conflicts on create.
    {
      name: 'create, duplicate username: 409',
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(), body: 'username=FrankMcCallister&phone_number=555-0100' }),
      status: 409,
      check: names('username'),
    },
    {
      name: 'create, duplicate external_id: 409',
      req: (c) => ({ method: 'POST', path: '/v1/customers', headers: c.auth(), body: 'username=fresh&phone_number=555-0100&external_id=crm-43' }),
      status: 409,
      check: names('external_id'),
    },

    // Tokens.
    { name: 'no token: 401', req: { method: 'GET', path: '/v1/customers' }, status: 401, requestValid: false },
    { name: 'Basic instead of Bearer: 401', req: { method: 'GET', path: '/v1/customers', headers: { Authorization: 'Basic dXNlcjpwYXNz' } }, status: 401, requestValid: false },
    { name: 'a token too short: 401', req: { method: 'GET', path: '/v1/customers', headers: { Authorization: 'Bearer short' } }, status: 401, requestValid: false },
    {
      name: 'an unknown token: 401',
      req: { method: 'POST', path: '/v1/customers', headers: { Authorization: 'Bearer unknownunknownunknown0' }, body: 'username=x&phone_number=555' },
      status: 401,
      requestValid: null,  // well-formed: only the server knows it is unknown
    },

    { name: 'retrieve, no token: 401', req: { method: 'GET', path: '/v1/customers/AAAAAAAAAAAAAAAA' }, status: 401, requestValid: false },
    { name: 'update, no token: 401', req: { method: 'PATCH', path: '/v1/customers/AAAAAAAAAAAAAAAA', body: 'display_name=x' }, status: 401, requestValid: false },
    { name: 'delete, no token: 401', req: { method: 'DELETE', path: '/v1/customers/AAAAAAAAAAAAAAAA' }, status: 401, requestValid: false },
    { name: 'conversation, no token: 401', req: { method: 'GET', path: '/v1/conversations/AAAAAAAAAAAAAAAA' }, status: 401, requestValid: false },

    // Ids.
    {
      name: 'retrieve, an id that names nothing: 404',
      req: (c) => ({ method: 'GET', path: '/v1/customers/AAAAAAAAAAAAAAAA', headers: c.auth() }),
      status: 404,
      check: names('id'),
    },
    {
      name: 'retrieve, a malformed id: 404',
      req: (c) => ({ method: 'GET', path: '/v1/customers/abc*%7B:..', headers: c.auth() }),
      status: 404,
    },
    {
      name: 'retrieve, another project\'s customer: 404',
      req: (c) => ({ method: 'GET', path: `/v1/customers/${s.frank.id}`, headers: { Authorization: `Bearer ${c.otherToken}` } }),
      status: 404,
    },
    {
      name: 'update, another project\'s customer: 404',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: { Authorization: `Bearer ${c.otherToken}` }, body: 'display_name=x' }),
      status: 404,
    },
    {
      name: 'update by PUT, an id that names nothing: 404',
      req: (c) => ({ method: 'PUT', path: '/v1/customers/AAAAAAAAAAAAAAAA', headers: c.auth(), body: 'display_name=x' }),
      status: 404,
    },
    {
      name: 'update, a body above 64 KiB: 413',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth(), body: `display_name=${'x'.repeat(70_000)}` }),
      status: 413,
    },
    {
      name: 'update, application/xml: 415',
      req: (c) => ({ method: 'PATCH', path: `/v1/customers/${s.frank.id}`, headers: c.auth({ 'Content-Type': 'application/xml' }), body: '<display_name/>' }),
      status: 415,
      requestValid: false,
    },
    {
      name: 'conversation, unknown: 404',
      req: (c) => ({ method: 'GET', path: '/v1/conversations/AAAAAAAAAAAAAAAA', headers: c.auth() }),
      status: 404,
    },

    // Methods.
    { name: 'DELETE /v1/customers: 405', req: (c) => ({ method: 'DELETE', path: '/v1/customers', headers: c.auth() }), status: 405 },
    { name: 'POST /v1/customers/:id: 405', req: (c) => ({ method: 'POST', path: `/v1/customers/${s.frank.id}`, headers: c.auth(), body: 'a=b' }), status: 405 },
    { name: 'PATCH /v1/conversations/:id: 405', req: (c) => ({ method: 'PATCH', path: '/v1/conversations/AAAAAAAAAAAAAAAA', headers: c.auth(), body: 'a=b' }), status: 405 },

    // Delete, and what is gone with it.
    {
      name: 'delete a customer: 204',
      req: (c) => ({ method: 'DELETE', path: `/v1/customers/${s.frank.id}`, headers: c.auth() }),
      status: 204,
    },
    {
      name: 'retrieve the deleted customer: 404',
      req: (c) => ({ method: 'GET', path: `/v1/customers/${s.frank.id}`, headers: c.auth() }),
      status: 404,
    },
    {
      name: 'its conversation is gone: 404',
      req: (c) => ({ method: 'GET', path: `/v1/conversations/${s.frank.conversation_id}`, headers: c.auth() }),
      status: 404,
    },
    {
      name: 'delete it again: 404',
      req: (c) => ({ method: 'DELETE', path: `/v1/customers/${s.frank.id}`, headers: c.auth() }),
      status: 404,
    },
    {
      name: 'a deleted cursor still pages',
      req: (c) => ({ method: 'GET', path: `/v1/customers?limit=1&starting_after=${s.frank.id}`, headers: c.auth() }),
      status: 200,
    },
  ];
}
