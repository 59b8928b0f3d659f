// The transformers parse their `name:value` entries once per plugin configuration. A configuration
// never changes once loaded; a new one is a new object and gets its own plan, never the last one's.

import { describe, expect, it } from 'vitest';
import { ResponseHeaderList } from '../../src/proxy/response-editor.js';
import { requestTransformerHandler } from '../../src/plugins/request-transformer/handler.js';
import { QUERY_RESULTS_KEPT, type RequestTransformerConfig } from '../../src/plugins/request-transformer/access.js';
import { responseTransformerHandler, type ResponseTransformerConfig } from '../../src/plugins/response-transformer/handler.js';
import { transformJsonBody } from '../../src/plugins/response-transformer/json-body.js';
import type { PluginContext } from '../../src/plugins/types.js';
import { fakeContext } from './fake-context.js';

type Headers = { headers: string[] };
type Typed = Headers & { json: string[]; json_types: Array<'boolean' | 'number' | 'string'> };
const empty = (): Typed => ({ headers: [], json: [], json_types: [] });

function responseConfig(parts: Partial<Record<'remove' | 'rename' | 'replace' | 'add' | 'append', Partial<Typed>>>): ResponseTransformerConfig {
  const config = { remove: empty(), rename: empty(), replace: empty(), add: empty(), append: empty() };
  for (const [operation, part] of Object.entries(parts)) Object.assign(config[operation as keyof typeof config], part);
  return config as unknown as ResponseTransformerConfig;
}

function respond(config: ResponseTransformerConfig, lines: string[]): string[] {
  const list = new ResponseHeaderList([...lines]);
  const ctx = fakeContext();
  Object.defineProperty(ctx, 'response', { value: list });
  responseTransformerHandler.response!(ctx as PluginContext, config, null as never);
  return list.lines() as string[];
}

describe('response-transformer plans', () => {
  it('applies each configuration object its own entries', () => {
    const first = responseConfig({ add: { headers: ['X-Plan:first'] }, remove: { headers: ['x-gone'] } });
    const second = responseConfig({ add: { headers: ['X-Plan:second'] }, rename: { headers: ['x-old:x-new'] } });
    expect(respond(first, ['X-Gone', '1', 'X-Old', 'v'])).toEqual(['X-Old', 'v', 'X-Plan', 'first']);
    expect(respond(second, ['X-Gone', '1', 'X-Old', 'v'])).toEqual(['X-Gone', '1', 'x-new', 'v', 'X-Plan', 'second']);
    expect(respond(first, ['X-Gone', '1'])).toEqual(['X-Plan', 'first']);
  });

  it('checks against the headers before any change, as Kong does, for only the names it reads', () => {
    // remove then add of the same name: the add sees the header as present before the remove, and adds nothing.
    const config = responseConfig({ remove: { headers: ['x-a'] }, add: { headers: ['X-A:added', 'X-B:b'] }, replace: { headers: ['x-c:replaced', 'x-d:never'] } });
    expect(respond(config, ['X-A', '1', 'X-C', 'c'])).toEqual(['x-c', 'replaced', 'X-B', 'b']);
  });

  it('plans the JSON body changes per configuration object too', () => {
    const first = responseConfig({ add: { json: ['n:1'], json_types: ['number'] } });
    const second = responseConfig({ add: { json: ['n:two'], json_types: ['string'] }, remove: { json: ['drop'] } });
    expect(JSON.parse(transformJsonBody(first, Buffer.from('{"drop":true}'))!.toString())).toEqual({ drop: true, n: 1 });
    expect(JSON.parse(transformJsonBody(second, Buffer.from('{"drop":true}'))!.toString())).toEqual({ n: 'two' });
  });
});

function requestConfig(parts: Partial<Record<'remove' | 'rename' | 'replace' | 'add' | 'append', string[]>>): RequestTransformerConfig {
  const target = (headers: string[] = []) => ({ headers, querystring: [], body: [] });
  return {
    http_method: null,
    remove: target(parts.remove),
    rename: target(parts.rename),
    replace: { ...target(parts.replace), uri: null },
    add: target(parts.add),
    append: target(parts.append),
  };
}

describe('request-transformer plans', () => {
  it('applies each configuration object its own entries, templates rendered per request', () => {
    const first = requestConfig({ add: ['X-Plan:first', "X-From:$(headers['x-source'])"] });
    const second = requestConfig({ add: ['X-Plan:second'], rename: ['x-source:x-renamed'] });
    const one = fakeContext({ headers: { 'X-Source': 'a' } });
    requestTransformerHandler.access!(one, first, null as never);
    expect([one.upstreamHeader('x-plan'), one.upstreamHeader('x-from')]).toEqual(['first', 'a']);
    const two = fakeContext({ headers: { 'X-Source': 'b' } });
    requestTransformerHandler.access!(two, second, null as never);
    expect([two.upstreamHeader('x-plan'), two.upstreamHeader('x-from'), two.upstreamHeader('x-renamed'), two.upstreamHeader('x-source')]).toEqual(['second', null, 'b', null]);
    const three = fakeContext({ headers: { 'X-Source': 'c' } });
    requestTransformerHandler.access!(three, first, null as never);
    expect(three.upstreamHeader('x-from')).toBe('c');
  });

  it('templates read the headers as they were before this transform, whatever it removes or renames first', () => {
    const config = requestConfig({ remove: ['x-source'], add: ["X-Copy:$(headers['x-source'])"], append: ["X-Source:$(headers['x-source'])"] });
    const ctx = fakeContext({ headers: { 'X-Source': 'before' } });
    requestTransformerHandler.access!(ctx, config, null as never);
    expect(ctx.upstreamHeader('x-copy')).toBe('before');
    expect(ctx.upstreamHeader('x-source')).toBe('before');
  });

  it('sends each client query its own transformed query, on a first request and on every later one', () => {
    const config = requestConfig({});
    config.remove.querystring = ['drop'];
    config.add.querystring = ['added:1'];
    config.append.querystring = ['list:x'];
    const upstreamQuery = (query: string) => {
      const ctx = fakeContext({ query });
      requestTransformerHandler.access!(ctx, config, null as never);
      return ctx.upstreamQuery;
    };
    for (let pass = 0; pass < 2; pass++) {
      expect(upstreamQuery('')).toBe('added=1&list=x');
      expect(upstreamQuery('drop=1&b=2')).toBe('added=1&b=2&list=x');
      expect(upstreamQuery('list=a&added=mine')).toBe('added=mine&list=a&list=x');
    }
    // Past what it keeps, the oldest are worked out again, as right as the first time.
    for (let i = 0; i <= QUERY_RESULTS_KEPT; i++) expect(upstreamQuery(`n=${i}`)).toBe(`added=1&list=x&n=${i}`);
    expect(upstreamQuery('drop=1&b=2')).toBe('added=1&b=2&list=x');
  });

  it('works a templated query value out on every request', () => {
    const config = requestConfig({});
    config.add.querystring = ["from:$(headers['x-source'])"];
    for (const source of ['a', 'b']) {
      const ctx = fakeContext({ headers: { 'X-Source': source } });
      requestTransformerHandler.access!(ctx, config, null as never);
      expect(ctx.upstreamQuery).toBe(`from=${source}`);
    }
  });
});
