// response-transformer's JSON body changes and content-type check, as
// spec/03-plugins/15-response-transformer/01-header_transformer_spec.lua and 02-body_transformer_spec.lua pin them.

import { describe, expect, it } from 'vitest';
import { processAndValidate } from '../../src/schema/engine.js';
import { pluginEntity as pluginSchema } from '../../src/plugins/registry.js';
import { transformJsonBody } from '../../src/plugins/response-transformer/json-body.js';
import { isJsonContentType } from '../../src/plugins/response-transformer/json-content-type.js';

type Json = { json: string[] };
type Typed = Json & { json_types: Array<'boolean' | 'number' | 'string'> };
const none: Typed = { json: [], json_types: [] };

function conf(parts: Partial<{ remove: Json; rename: Json; replace: Typed; add: Typed; append: Typed }>) {
  return { remove: { json: [] }, rename: { json: [] }, replace: none, add: none, append: none, ...parts };
}

function transform(config: ReturnType<typeof conf>, body: string): string | null {
  const out = transformJsonBody(config, Buffer.from(body));
  return out === null ? null : out.toString('utf8');
}

const parsed = (config: ReturnType<typeof conf>, body: string) => JSON.parse(transform(config, body)!);

describe('response-transformer JSON body', () => {
  const add = conf({
    add: {
      json: ['p1:v1', 'p3:value:3', 'p4:"v1"', 'p5:-1', 'p6:false', 'p7:true'],
      json_types: ['string', 'string', 'string', 'number', 'boolean', 'boolean'],
    },
  });

  it('add: strings, quotes, numbers and booleans by json_types; existing keys stay; empty arrays stay arrays', () => {
    expect(parsed(add, '{"p2":"v1"}')).toEqual({ p1: 'v1', p2: 'v1', p3: 'value:3', p4: '"v1"', p5: -1, p6: false, p7: true });
    expect(parsed(add, '{"p2":false,"a":[]}')).toEqual({ p2: false, a: [], p1: 'v1', p3: 'value:3', p4: '"v1"', p5: -1, p6: false, p7: true });
    expect(transform(add, '{"a":[]}')).toContain('"a":[]');
    // Lua's `not json_body[name]`: a key holding false counts as missing.
    expect(parsed(conf({ add: { json: ['p1:v1'], json_types: [] } }), '{"p1":false}')).toEqual({ p1: 'v1' });
  });

  it('append: a new key becomes an array, a string grows into one', () => {
    const append = conf({ append: { json: ['p1:v1', 'p3:"v1"', 'p4:-1', 'p5:true'], json_types: ['string', 'string', 'number', 'boolean'] } });
    expect(parsed(append, '{"p2":"v1"}')).toEqual({ p1: ['v1'], p2: 'v1', p3: ['"v1"'], p4: [-1], p5: [true] });
    expect(parsed(append, '{"p1":"v2","p4":[0]}')).toEqual({ p1: ['v2', 'v1'], p4: [0, -1], p3: ['"v1"'], p5: [true] });
  });

  it('remove and rename (numbers and booleans keep their type; false is renamed too)', () => {
    expect(parsed(conf({ remove: { json: ['p1', 'p2'] } }), '{"p1":"v1","p2":"v1","p3":[]}')).toEqual({ p3: [] });
    const rename = conf({ rename: { json: ['p1:k1', 'p2:k2', 'p3:k3', 'p4:k4', 'p5:k5'] } });
    expect(parsed(rename, '{"p1" : "v1", "p2" : "v2"}')).toEqual({ k1: 'v1', k2: 'v2' });
    expect(parsed(rename, '{"p3" : -1}')).toEqual({ k3: -1 });
    expect(parsed(rename, '{"p4" : false, "p5" : true}')).toEqual({ k4: false, k5: true });
  });

  it('replace: only keys that exist, with json_types', () => {
    const replace = conf({ replace: { json: ['p1:v2', 'p2:"v2"', 'p3:-1', 'p4:false'], json_types: ['string', 'string', 'number', 'boolean'] } });
    expect(parsed(replace, '{"p1":"v1","p2":"v1","p3":1,"p4":true}')).toEqual({ p1: 'v2', p2: '"v2"', p3: -1, p4: false });
    expect(parsed(replace, '{"p5":"v1"}')).toEqual({ p5: 'v1' });
    // A number that does not parse is nil, and nil is never written.
    expect(parsed(conf({ replace: { json: ['p1:abc'], json_types: ['number'] } }), '{"p1":"v1"}')).toEqual({ p1: 'v1' });
    expect(parsed(conf({ replace: { json: ['p1:0x10'], json_types: ['number'] } }), '{"p1":"v1"}')).toEqual({ p1: 16 });
  });

  it('writes JSON as lua-cjson does: compact, with / escaped', () => {
    expect(transform(conf({ add: { json: ['url:http://x/y'], json_types: [] } }), '{ "a" : 1 }')).toBe('{"a":1,"url":"http:\\/\\/x\\/y"}');
  });

  it('leaves a body that is not JSON alone', () => {
    expect(transform(add, 'not json')).toBeNull();
    expect(transform(add, '')).toBeNull();
  });
});

describe('response-transformer is_json_body', () => {
  it('accepts application/json with parameters, +json types and lists', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/problem+json')).toBe(true);
    expect(isJsonContentType('application/x-www-form-urlencoded, application/json')).toBe(true);
  });

  it('refuses everything else', () => {
    expect(isJsonContentType(undefined)).toBe(false);
    expect(isJsonContentType('text/json')).toBe(false);
    expect(isJsonContentType('application/jsonx')).toBe(false);
    expect(isJsonContentType('text/html')).toBe(false);
  });
});

describe('response-transformer schema', () => {
  const validate = (config: Record<string, unknown>) => processAndValidate(pluginSchema, { name: 'response-transformer', config });

  it("has Kong's defaults", () => {
    const typed = { json: [], json_types: [], headers: [] };
    expect(validate({}).value?.config).toEqual({
      remove: { json: [], headers: [] },
      rename: { json: [], headers: [] },
      replace: typed,
      add: typed,
      append: typed,
    });
  });

  it("checks json_types, name:value entries and renamed header names with Kong's messages", () => {
    expect(validate({ add: { json: ['novalue'], json_types: ['integer'] }, rename: { headers: ['x-a:bad name'] } }).errors).toEqual({
      config: {
        add: { json: { '1': 'invalid value: novalue' }, json_types: { '1': 'expected one of: boolean, number, string' } },
        rename: { headers: { '1': "'bad name' is not a valid header" } },
      },
    });
  });

  it('takes plain names in remove, needs name:value elsewhere, and checks renamed header names (03-api_spec)', () => {
    expect(validate({ remove: { headers: ['just_a_key'], json: ['just_a_key'] } }).errors).toBeNull();
    for (const operation of ['add', 'replace', 'append']) {
      expect(validate({ [operation]: { headers: ['just_a_key'] } }).errors).toEqual({ config: { [operation]: { headers: { '1': 'invalid value: just_a_key' } } } });
    }
    expect(validate({ rename: { headers: ['x-request-id'] } }).errors).toEqual({ config: { rename: { headers: { '1': 'invalid value: x-request-id' } } } });
    expect(validate({ rename: { headers: ['x-requ,est-id:x-custom-request-id'] } }).errors).toEqual({
      config: { rename: { headers: { '1': "'x-requ,est-id' is not a valid header" } } },
    });
  });

  it('does not allow null for the arrays', () => {
    const missing = 'required field missing';
    const typed = { json: null, json_types: null, headers: null };
    expect(validate({ remove: { json: null, headers: null }, rename: { json: null, headers: null }, replace: typed, add: typed, append: typed }).errors).toEqual({
      config: {
        remove: { json: missing, headers: missing },
        rename: { json: missing, headers: missing },
        replace: { json: missing, json_types: missing, headers: missing },
        add: { json: missing, json_types: missing, headers: missing },
        append: { json: missing, json_types: missing, headers: missing },
      },
    });
  });

  it('refuses header names and values no response can carry', () => {
    expect(validate({ add: { headers: ['bad name:v', 'x-ok:line\rbreak'] } }).errors).toEqual({
      config: { add: { headers: { '1': "'bad name' is not a valid header", '2': "'line\\rbreak' is not a valid header value" } } },
    });
  });
});
