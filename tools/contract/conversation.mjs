// The contract test: a scripted conversation with a live server in which
// every response is checked against docs/openapi.yaml (status documented for
// the operation, headers, Content-Type, body schema), and every request the
// server accepts (or rejects as invalid input) is checked to be one the
// document allows (or forbids). Any drift fails the run.
//
//   node conversation.mjs --base http://127.0.0.1:PORT --token T --other-token T2
//                         --redis-pid PID --document ../../docs/openapi.yaml
//
// The store is stopped (--redis-pid) near the end, for the 503s.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';

import { Contract } from './lib/contract.mjs';
import { Client } from './lib/http.mjs';
import { customerSteps } from './steps/customers.mjs';
import { errorSteps } from './steps/errors.mjs';
import { operationsSteps } from './steps/operations.mjs';
import { outageSteps } from './steps/outage.mjs';
import { rateLimitSteps } from './steps/rate_limit.mjs';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    token: { type: 'string' },
    'other-token': { type: 'string' },
    'redis-pid': { type: 'string' },
    document: { type: 'string' },
  },
});
for (const required of ['base', 'token', 'other-token', 'redis-pid', 'document'])
  if (!args[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }

const document = YAML.parse(fs.readFileSync(args.document, 'utf8'));
const contract = new Contract(document);
const client = new Client(args.base);

// What the steps share: the client, the tokens, ids the conversation made.
const ctx = {
  client,
  token: args.token,
  otherToken: args['other-token'],
  redisPid: Number(args['redis-pid']),
  document,
  saved: {},
  auth(extra = {}) {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  },
};

let passed = 0;
const failures = [];
const statusSeen = new Map();  // "GET /v1/customers" -> Set of statuses

// Runs one step: sends it, judges the exchange, and returns the response.
// A step: {name, req, status (or a list), requestValid?, skipIf?(res),
// check?(res, ctx) -> [problems]}.
// requestValid: true (the document must allow the request), false (it must
// forbid it), or null (the document cannot say, e.g. duplicate JSON keys);
// by default true for 2xx and false for 400.
async function run(step) {
  let req;
  try {
    req = typeof step.req === 'function' ? step.req(ctx) : step.req;
  } catch (e) {
    failures.push({ name: step.name, problems: [`cannot build the request (an earlier step failed?): ${e.message}`] });
    return null;
  }
  const problems = [];
  let res;
  try {
    res = await client.send(req);
  } catch (e) {
    failures.push({ name: step.name, problems: [`no valid HTTP response: ${e.message}`] });
    return null;
  }
  const skipped = step.skipIf?.(res);
  if (skipped) {
    console.log(`SKIP ${step.name}: ${skipped}`);
    return res;
  }
  const expected = [step.status].flat();
  if (!expected.includes(res.status))
    problems.push(`expected status ${expected.join(' or ')}, got ${res.status}: ${res.body.slice(0, 300)}`);
  const method = req.method ?? /^[A-Z]+/.exec(req.raw)?.[0];
  const path = req.path ?? req.raw.split(' ')[1];
  problems.push(...contract.checkResponse({ method, path }, res));

  const requestValid = step.requestValid !== undefined
    ? step.requestValid
    : res.status < 300 ? true : res.status === 400 ? false : null;
  if (requestValid !== null && req.raw === undefined) {
    const requestProblems = contract.checkRequest(req);
    if (requestValid && requestProblems.length)
      problems.push(`the server accepted a request the document forbids: ${requestProblems.join('; ')}`);
    if (!requestValid && !requestProblems.length)
      problems.push('the server rejected a request the document allows');
  }
  // Checks run even after a drift: they also keep what later steps need.
  if (step.check) {
    try {
      problems.push(...(step.check(res, ctx) ?? []));
    } catch (e) {
      problems.push(`check threw: ${e.stack}`);
    }
  }
  const { name: opName } = contract.responsesFor(method, path.split('?')[0]);
  if (!statusSeen.has(opName)) statusSeen.set(opName, new Set());
  statusSeen.get(opName).add(res.status);

  if (problems.length) failures.push({ name: step.name, problems });
  else passed++;
  return res;
}

ctx.run = run;

const started = Date.now();
for (const group of [operationsSteps, customerSteps, errorSteps, rateLimitSteps, outageSteps]) {
  for (const step of group(ctx)) {
    if (typeof step === 'function') await step(ctx);  // set-up between steps
    else await run(step);
  }
}

// The document the server serves is this document, byte for byte in meaning.
if (!isDeepStrictEqual(ctx.saved.servedDocument, document))
  failures.push({ name: 'GET /openapi.json equals docs/openapi.yaml', problems: ['the served document differs from docs/openapi.yaml (rebuild?)'] });
else passed++;

console.log('statuses seen per operation:');
for (const [op, statuses] of [...statusSeen].sort())
  console.log(`  ${op}: ${[...statuses].sort().join(', ')}`);
for (const f of failures) {
  console.log(`FAIL ${f.name}`);
  for (const p of f.problems) console.log(`     ${p}`);
}
console.log(`contract: ${passed + failures.length} exchanges in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
