// Judges requests and responses against the OpenAPI 3.1 document with Ajv
// (JSON Schema 2020-12, strict, with formats). Every check returns a list of
// problems in words; an empty list means the exchange matches the document.

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SCHEMA_BASE = 'https://openapi.invalid/components/schemas/';

// Headers HTTP itself puts on responses; every other one must be documented.
const TRANSPORT_HEADERS = new Set([
  'date', 'server', 'content-length', 'content-type', 'connection', 'keep-alive',
]);

// Media types whose bodies are JSON.
const isJson = (mediaType) => mediaType === 'application/json';

function newAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

// A deep copy of a schema with "#/components/schemas/X" references turned into
// the absolute ids under which the component schemas are registered.
function absolutize(node) {
  if (Array.isArray(node)) return node.map(absolutize);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/'))
      out[k] = SCHEMA_BASE + v.slice('#/components/schemas/'.length);
    else out[k] = absolutize(v);
  }
  return out;
}

function describeErrors(errors) {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

// Parses a form body or query string into the object its schema describes:
// name=value pairs, `meta[key]=value` as an object (style deepObject).
// Returns {value, problems}.
export function parseForm(text, deepObjects = new Set(['meta'])) {
  const value = {};
  const problems = [];
  const params = new URLSearchParams(text);
  for (const [name, v] of params) {
    const m = /^([^[\]]+)\[([^\]]*)\]$/.exec(name);
    if (m && deepObjects.has(m[1])) {
      const obj = value[m[1]];
      if (obj !== undefined && (typeof obj !== 'object' || Object.hasOwn(obj, m[2])))
        problems.push(`${name} given twice`);
      else (value[m[1]] ??= {})[m[2]] = v;
      continue;
    }
    if (Object.hasOwn(value, name)) problems.push(`${name} given twice`);
    else value[name] = v;
  }
  return { value, problems };
}

export class Contract {
  constructor(document) {
    this.doc = document;
    this.ajv = newAjv();
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
      this.ajv.addSchema(absolutize(schema), SCHEMA_BASE + name);
    this.compiled = new Map();
    this.routes = Object.entries(document.paths).map(([template, item]) => ({
      template,
      item,
      names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      regex: new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '([^/]+)') + '$'),
    }));
    // Compile every schema up front: a document Ajv cannot take in strict
    // mode fails here, not half-way through a conversation.
    this.walkSchemas((schema) => this.validator(schema));
  }

  // Follows a local "$ref" (to responses, headers, parameters, ...).
  deref(node) {
    let seen = 0;
    while (node && typeof node === 'object' && typeof node.$ref === 'string' && !node.$ref.startsWith(SCHEMA_BASE)) {
      if (!node.$ref.startsWith('#/') || ++seen > 20) throw new Error(`cannot follow ${node.$ref}`);
      node = node.$ref.slice(2).split('/').reduce((n, key) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
      if (node === undefined) throw new Error('dangling $ref');
    }
    return node;
  }

  validator(schema) {
    let v = this.compiled.get(schema);
    if (!v) {
      v = this.ajv.compile(absolutize(schema));
      this.compiled.set(schema, v);
    }
    return v;
  }

  // Calls fn on every schema the operations use (parameters, bodies, headers).
  walkSchemas(fn) {
    const responseSets = [this.doc['x-unmatched-requests']?.responses ?? {}];
    for (const { item } of this.routes) {
      for (const p of item.parameters ?? []) fn(this.deref(p).schema);
      for (const op of this.operations(item)) {
        for (const p of op.parameters ?? []) fn(this.deref(p).schema);
        if (op.requestBody)
          for (const media of Object.values(this.deref(op.requestBody).content)) fn(media.schema);
        responseSets.push(op.responses);
      }
    }
    for (const set of responseSets)
      for (const r of Object.values(set)) {
        const res = this.deref(r);
        for (const h of Object.values(res.headers ?? {})) fn(this.deref(h).schema);
        for (const media of Object.values(res.content ?? {})) fn(media.schema);
      }
  }

  methods(item) {
    return ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].filter((m) => item[m]);
  }

  operations(item) {
    return this.methods(item).map((m) => item[m]);
  }

  // {route, params} for a request path, or null.
  match(path) {
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (m) {
        const params = {};
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
        return { route, params };
      }
    }
    return null;
  }

  // The documented responses for a request, and a name for messages.
  responsesFor(method, path) {
    const found = this.match(path);
    const unmatched = this.doc['x-unmatched-requests']?.responses ?? {};
    const op = found?.route.item[method.toLowerCase()];
    if (op) return { name: `${method} ${found.route.template}`, responses: op.responses, op, found };
    // No operation: the unmatched-request responses, 404 only for unknown
    // paths and 405 only for known ones.
    const responses = { ...unmatched };
    delete responses[found ? '404' : '405'];
    const name = found ? `${method} ${found.route.template} (no such operation)` : `${method} ${path} (no such path)`;
    return { name, responses, op: null, found };
  }

  // A header value (a string) coerced to its schema's type, then validated.
  checkValue(schema, raw, what) {
    schema = this.deref(schema);
    let value = raw;
    const type = schema.type;
    if (type === 'integer' || type === 'number') {
      const syntax = type === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      if (!syntax.test(raw)) return [`${what} is ${JSON.stringify(raw)}, not ${type === 'integer' ? 'an integer' : 'a number'}`];
      value = Number(raw);
    } else if (type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') return [`${what} is ${JSON.stringify(raw)}, not true or false`];
      value = raw === 'true';
    }
    const v = this.validator(schema);
    return v(value) ? [] : [`${what} ${JSON.stringify(raw)} does not match its schema: ${describeErrors(v.errors)}`];
  }

  // Problems of a response to `req` ({method, path}); `res` is
  // {status, headers: {lowercase: [values]}, body: string}.
  checkResponse(req, res) {
    const pathOnly = req.path.split('?')[0];
    const { name, responses } = this.responsesFor(req.method, pathOnly);
    const spec = responses[String(res.status)];
    if (!spec)
      return [`${name}: status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const response = this.deref(spec);
    const problems = [];
    const where = `${name} ${res.status}`;

    const documented = new Map(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), [k, this.deref(v)]]));
    for (const [lower, [display, header]] of documented) {
      const values = res.headers[lower];
      if (!values) {
        if (header.required) problems.push(`${where}: required header ${display} is missing`);
        continue;
      }
      if (values.length > 1) problems.push(`${where}: header ${display} sent ${values.length} times`);
      problems.push(...this.checkValue(header.schema, values[0], `${where}: header ${display}`).map(String));
    }
    for (const lower of Object.keys(res.headers))
      if (!documented.has(lower) && !TRANSPORT_HEADERS.has(lower))
        problems.push(`${where}: header ${lower} is not documented for this response`);

    // A 405's Allow names the methods the server has for the path: they
    // must be the methods the document has for it, no more and no fewer.
    const found = this.match(pathOnly);
    if (res.status === 405 && found && res.headers.allow) {
      const allowed = res.headers.allow[0].split(',').map((m) => m.trim().toLowerCase()).sort();
      const documentedMethods = this.methods(found.route.item).sort();
      if (allowed.join() !== documentedMethods.join())
        problems.push(`${where}: Allow says ${allowed.join(', ')}; the document has ${documentedMethods.join(', ')} for ${found.route.template}`);
    }

    const contentType = res.headers['content-type']?.[0];
    if (!response.content) {
      if (res.body.length) problems.push(`${where}: documented without a body, got ${res.body.length} bytes`);
      if (contentType) problems.push(`${where}: documented without a body, got Content-Type ${contentType}`);
      return problems;
    }
    if (!contentType) return [...problems, `${where}: no Content-Type`];
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const media = response.content[mediaType];
    if (!media)
      return [...problems, `${where}: Content-Type ${contentType} is not documented (documented: ${Object.keys(response.content).join(', ')})`];
    // A response to HEAD has the head of the would-be GET response, no body.
    if (req.method === 'HEAD') return problems;
    let body = res.body;
    if (isJson(mediaType)) {
      try {
        body = JSON.parse(res.body);
      } catch (e) {
        return [...problems, `${where}: body is not JSON (${e.message}): ${res.body.slice(0, 200)}`];
      }
    }
    const v = this.validator(media.schema);
    if (!v(body)) problems.push(`${where}: body does not match the schema: ${describeErrors(v.errors)}; body: ${res.body.slice(0, 300)}`);
    return problems;
  }

  // Problems of a request ({method, path, headers, body}) by the document:
  // whether it is one the document allows. Used to prove that what the
  // server accepts the document allows, and that what it rejects the
  // document rejects too.
  checkRequest(req) {
    const [pathOnly, query = ''] = req.path.split(/\?(.*)/s);
    const { name, op, found } = this.responsesFor(req.method, pathOnly);
    if (!op) return [`${name}: no such operation`];
    const problems = [];
    const params = [...(found.route.item.parameters ?? []), ...(op.parameters ?? [])].map((p) => this.deref(p));

    for (const p of params.filter((p) => p.in === 'path'))
      problems.push(...this.checkValue(p.schema, found.params[p.name], `path parameter ${p.name}`));

    const queryParams = params.filter((p) => p.in === 'query');
    const seen = new Set();
    for (const [k, v] of new URLSearchParams(query)) {
      const p = queryParams.find((q) => q.name === k);
      if (!p) problems.push(`unknown query parameter ${k}`);
      else if (seen.has(k)) problems.push(`query parameter ${k} given twice`);
      else problems.push(...this.checkValue(p.schema, v, `query parameter ${k}`));
      seen.add(k);
    }

    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const security = op.security ?? this.doc.security ?? [];
    if (security.length && !/^Bearer [A-Za-z0-9\-._~+/]{16,}=*$/i.test(headers.authorization ?? ''))
      problems.push('no well-formed bearer token');

    const body = req.body === undefined ? '' : String(req.body);
    if (!op.requestBody) return problems;
    const requestBody = this.deref(op.requestBody);
    if (!body.length && !requestBody.required) return problems;
    const mediaType = (headers['content-type'] ?? 'application/x-www-form-urlencoded').split(';')[0].trim().toLowerCase();
    const media = requestBody.content[mediaType];
    if (!media) return [...problems, `request Content-Type ${mediaType} is not documented`];
    let value;
    if (isJson(mediaType)) {
      try {
        value = JSON.parse(body);
      } catch (e) {
        return [...problems, `request body is not JSON: ${e.message}`];
      }
    } else {
      const parsed = parseForm(body);
      problems.push(...parsed.problems);
      value = parsed.value;
    }
    const v = this.validator(media.schema);
    if (!v(value)) problems.push(`request body does not match the schema: ${describeErrors(v.errors)}`);
    return problems;
  }
}
