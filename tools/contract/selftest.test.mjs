// The validator must be able to fail: valid responses pass, and each kind of
// drift, applied to one of them, is caught. Runs before the conversation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import YAML from 'yaml';

import { Contract } from './lib/contract.mjs';
import { parseResponse } from './lib/http.mjs';

const document = YAML.parse(fs.readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));
const contract = new Contract(document);
const frank = document.components.examples.Frank.value;

const common = { 'x-request-id': ['Ab3'], date: ['Tue, 24 Nov 2026 10:00:00 GMT'], server: ['customers-api'] };
const jsonResponse = (status, body, headers = {}) => ({
  status,
  headers: { ...common, 'content-type': ['application/json'], 'content-length': ['1'], ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const error = (type, extra = {}) => ({
  type, message: 'something is wrong', documentation_url: `https://protocol.chat/docs/errors/${type}`, ...extra,
});
const created = () => jsonResponse(201, frank, { location: [`/v1/customers/${frank.id}`] });
const create = { method: 'POST', path: '/v1/customers' };
const retrieve = { method: 'GET', path: `/v1/customers/${frank.id}` };

const passes = (req, res) => assert.deepEqual(contract.checkResponse(req, res), []);
const fails = (req, res, pattern) => {
  const problems = contract.checkResponse(req, res);
  assert.ok(problems.length > 0, 'the drift went unnoticed');
  assert.match(problems.join('\n'), pattern);
};

test('valid responses pass', () => {
  passes(create, created());
  passes(retrieve, jsonResponse(200, frank));
  passes({ method: 'GET', path: '/v1/customers?limit=1' }, jsonResponse(200, { has_more: false, data: [frank] }));
  passes(retrieve, jsonResponse(404, error('invalid_request', { param: 'id' })));
  passes({ method: 'DELETE', path: retrieve.path }, { status: 204, headers: { ...common }, body: '' });
  passes(retrieve, jsonResponse(503, error('api_error'), { 'retry-after': ['1'] }));
  passes({ method: 'POST', path: '/healthz' }, jsonResponse(405, error('invalid_request'), { allow: ['GET, HEAD'] }));
  passes({ method: 'GET', path: '/nope' }, jsonResponse(404, error('invalid_request')));
  passes(retrieve, jsonResponse(200, frank, { ratelimit: ['limit=20, remaining=19, reset=1'], 'ratelimit-policy': ['10;w=1;burst=20'] }));
});

test('a body that drifts from the schema fails', () => {
  fails(create, jsonResponse(201, { ...frank, nickname: 'x' }, { location: [`/v1/customers/${frank.id}`] }), /additional properties/);
  const { meta, ...withoutMeta } = frank;
  fails(retrieve, jsonResponse(200, withoutMeta), /required property 'meta'/);
  fails(retrieve, jsonResponse(200, { ...frank, is_flagged: 'false' }), /must be boolean/);
  fails(retrieve, jsonResponse(200, { ...frank, username: null }), /must be string/);
  fails(retrieve, jsonResponse(200, { ...frank, id: 'short' }), /pattern/);
  fails(retrieve, jsonResponse(200, { ...frank, status: 'deleted' }), /allowed values/);
  fails(retrieve, jsonResponse(200, { ...frank, created_at: '692233200' }), /integer/);
  fails(retrieve, jsonResponse(200, { ...frank, meta: { a: 1 } }), /must be string/);
  fails(retrieve, jsonResponse(200, '{"id":'), /not JSON/);
  fails(retrieve, jsonResponse(404, error('api_error')), /must be equal to constant/);
  fails(retrieve, jsonResponse(404, { ...error('invalid_request'), code: 7 }), /additional properties/);
});

test('an undocumented status fails', () => {
  fails(retrieve, jsonResponse(418, error('invalid_request')), /status 418 is not documented/);
  fails({ method: 'GET', path: '/healthz' }, jsonResponse(405, error('invalid_request'), { allow: ['GET'] }), /status 405 is not documented/);
  fails({ method: 'GET', path: '/nope' }, jsonResponse(405, error('invalid_request'), { allow: ['GET'] }), /status 405 is not documented/);
  fails({ method: 'POST', path: '/healthz' }, jsonResponse(405, error('invalid_request'), { allow: ['GET, POST'] }), /Allow says get, post; the document has get/);
});

test('headers that drift fail', () => {
  const { location, ...noLocation } = created().headers;
  fails(create, { ...created(), headers: noLocation }, /required header Location is missing/);
  const { 'x-request-id': id, ...noId } = created().headers;
  fails(create, { ...created(), headers: noId }, /required header X-Request-Id is missing/);
  fails(create, jsonResponse(201, frank, { location: ['/v1/customers/x'] }), /header Location/);
  fails(retrieve, jsonResponse(503, error('api_error')), /required header Retry-After is missing/);
  fails(retrieve, jsonResponse(503, error('api_error'), { 'retry-after': ['soon'] }), /not an integer/);
  fails(retrieve, jsonResponse(200, frank, { 'x-powered-by': ['me'] }), /x-powered-by is not documented/);
  fails(retrieve, jsonResponse(200, frank, { ratelimit: ['limit=20; remaining=19'] }), /header RateLimit/);
  fails({ method: 'GET', path: '/v1/customers' }, jsonResponse(401, error('invalid_request')), /WWW-Authenticate is missing/);
});

test('a Content-Type or body the document does not have fails', () => {
  fails(retrieve, jsonResponse(200, frank, { 'content-type': ['text/html'] }), /Content-Type text\/html is not documented/);
  fails({ method: 'DELETE', path: retrieve.path }, { status: 204, headers: { ...common }, body: '{}' }, /without a body/);
  const { 'content-type': ct, ...noType } = jsonResponse(200, frank).headers;
  fails(retrieve, { ...jsonResponse(200, frank), headers: noType }, /no Content-Type/);
});

test('requests are judged too', () => {
  const auth = { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' };
  assert.deepEqual(contract.checkRequest({ ...create, headers: auth, body: 'username=a&phone_number=555&meta[k]=v' }), []);
  assert.deepEqual(contract.checkRequest({ method: 'GET', path: '/v1/customers?limit=5&active=true', headers: auth }), []);
  assert.match(contract.checkRequest({ ...create, headers: auth, body: 'username=a' }).join(), /phone_number/);
  assert.match(contract.checkRequest({ ...create, body: 'username=a&phone_number=555' }).join(), /bearer/);
  assert.match(contract.checkRequest({ method: 'GET', path: '/v1/customers?limit=0', headers: auth }).join(), /limit/);
  assert.match(contract.checkRequest({ method: 'PATCH', path: retrieve.path, headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"username":"x"}' }).join(), /additional properties/);
});

test('the HTTP reader rejects broken framing', () => {
  const ok = Buffer.from('HTTP/1.1 204 No Content\r\nX-Request-Id: a\r\n\r\n');
  assert.equal(parseResponse(ok).status, 204);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab')), /cut short/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 204 No Content\r\n\r\nextra')), /body bytes/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 2\r\n\r\n{}'), 'HEAD'), /body bytes/);
});
