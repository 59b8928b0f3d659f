// request-transformer's schema (spec/03-plugins/36-request-transformer/01-schema_spec.lua) and what we
// refuse at load because we could not run it.

import { describe, expect, it } from 'vitest';
import { processAndValidate } from '../../src/schema/engine.js';
import { pluginEntity as pluginSchema } from '../../src/plugins/registry.js';
import { compileTemplate, renderTemplate, TemplateError, type TemplateEnv } from '../../src/plugins/request-transformer/template.js';

const validate = (config: Record<string, unknown>) => processAndValidate(pluginSchema, { name: 'request-transformer', config });
const EMPTY = { body: [], headers: [], querystring: [] };

describe('request-transformer schema', () => {
  it("has Kong's defaults", () => {
    expect(validate({}).value?.config).toEqual({
      http_method: null,
      remove: EMPTY,
      rename: EMPTY,
      replace: { ...EMPTY, uri: null },
      add: EMPTY,
      append: EMPTY,
    });
  });

  it('validates http_method', () => {
    expect(validate({ http_method: 'GET' }).errors).toBeNull();
    expect(validate({ http_method: 'HELLO!' }).errors).toEqual({ config: { http_method: 'invalid value: HELLO!' } });
  });

  it('refuses a method nginx cannot send (Kong would fail every request)', () => {
    expect(validate({ http_method: 'HELLO' }).errors?.config).toEqual({ http_method: expect.stringMatching(/^invalid method: HELLO \(the upstream request can use GET, HEAD, /) });
  });

  it('accepts templates and plain values', () => {
    expect(validate({ add: { querystring: ['uri_param1:$(uri_captures.user1)', 'uri_param2:value'] } }).errors).toBeNull();
    expect(validate({ add: { headers: ["x:$(headers['x-a'] or query_params.b or 'c')"] }, replace: { uri: '/v2$(uri_captures[0])' } }).errors).toBeNull();
  });

  it('errors for a missing value', () => {
    expect(validate({ add: { querystring: ['uri_param2:'], body: ['novalue'] } }).errors).toEqual({
      config: { add: { querystring: { '1': "key 'uri_param2' has no value" }, body: { '1': "key 'novalue' has no value" } } },
    });
  });

  it('errors for a malformed template', () => {
    const errors = validate({ add: { querystring: ['uri_param2:$(uri_captures user2)'] } }).errors as any;
    expect(errors.config.add.querystring['1']).toMatch(/^value '\$\(uri_captures user2\)' is not in supported format, error:template '\$\(uri_captures user2\)' is a Lua expression/);
  });

  it('refuses Lua expressions it cannot run, in header values and the uri too', () => {
    const errors = validate({ add: { headers: ['x-added:$(string.sub(query_params.user, 1, 3))'] }, replace: { uri: '/x/$(10 * uri_captures.user1)' } }).errors as any;
    expect(errors.config.add.headers['1']).toContain('is a Lua expression this gateway does not run');
    expect(errors.config.replace.uri).toContain('is a Lua expression this gateway does not run');
  });

  it('validates header names, and both names of a rename', () => {
    expect(validate({ remove: { headers: ['bad header'] }, add: { headers: ['bad header:v'] }, rename: { headers: ['good:bad header'] } }).errors).toEqual({
      config: {
        remove: { headers: { '1': "'bad header' is not a valid header" } },
        add: { headers: { '1': "'bad header' is not a valid header" } },
        rename: { headers: { '1': "'bad header' is not a valid header" } },
      },
    });
  });

  it('needs name:value in header entries', () => {
    expect(validate({ add: { headers: ['nocolon'] }, rename: { headers: [':x'] } }).errors).toEqual({
      config: { add: { headers: { '1': 'invalid value: nocolon' } }, rename: { headers: { '1': 'invalid value: :x' } } },
    });
  });

  it("keeps plain names in remove, and wants name:value in add, replace and append headers (03-api_spec)", () => {
    expect(validate({ remove: { headers: ['just_a_key'], body: ['just_a_key'], querystring: ['just_a_key'] } }).errors).toBeNull();
    for (const operation of ['add', 'replace', 'append']) {
      expect(validate({ [operation]: { headers: ['just_a_key'] } }).errors).toEqual({ config: { [operation]: { headers: { '1': 'invalid value: just_a_key' } } } });
    }
  });

  it('does not allow null for the arrays', () => {
    const nulls = { body: null, headers: null, querystring: null };
    const missing = { body: 'required field missing', headers: 'required field missing', querystring: 'required field missing' };
    expect(validate({ remove: nulls, rename: nulls, replace: nulls, add: nulls, append: nulls }).errors).toEqual({
      config: { remove: missing, rename: missing, replace: missing, add: missing, append: missing },
    });
  });

  it('refuses header values no HTTP request can carry', () => {
    const errors = validate({ add: { headers: ['x-a:line\nbreak'] } }).errors as any;
    expect(errors.config.add.headers['1']).toBe("'line\\nbreak' is not a valid header value");
  });

  it('refuses a uri that cannot start with /', () => {
    expect(validate({ replace: { uri: 'relative' } }).errors).toEqual({ config: { replace: { uri: "'relative' must start with /" } } });
    expect(validate({ replace: { uri: '$(uri_captures.path)' } }).errors).toBeNull();
  });
});

describe('request-transformer templates', () => {
  const env: TemplateEnv = {
    lookup: (source, key) =>
      ({ 'headers:x': 'h', 'query_params:flag': true, 'query_params:list': ['a', 'b'], 'uri_captures:1': 'one' } as Record<string, any>)[`${source}:${key}`],
  };

  it('renders lookups, literals, `or` chains and Lua tostring of flags', () => {
    expect(renderTemplate(compileTemplate('a$(headers.x)b'), env)).toBe('ahb');
    expect(renderTemplate(compileTemplate("$(headers.missing or 'dflt')-$(query_params.flag)"), env)).toBe('dflt-true');
    expect(renderTemplate(compileTemplate('$(uri_captures[1])/$(query_params["list"])'), env)).toBe('one/a, b');
    expect(renderTemplate(compileTemplate('$(headers.missing)'), env)).toBe('');
  });

  it('treats only balanced $( ) as templates, like Penlight', () => {
    expect(compileTemplate('$(a').plain).toBe(true);
    expect(renderTemplate(compileTemplate('$($(headers.x)'), env)).toBe('$(h');
    expect(renderTemplate(compileTemplate(`$("\\"q\\" \\65")`), env)).toBe('"q" A');
  });

  it('throws a TemplateError for anything else', () => {
    for (const text of ['$(type(headers.x))', '$(headers)', '$(os.getenv("HOME"))', '$(headers.x .. "y")', '$(shared.written = true)']) {
      expect(() => compileTemplate(text), text).toThrow(TemplateError);
    }
  });
});

describe('transformer registration', () => {
  it("runs request-transformer at 801 and response-transformer at 800, after key-auth and rate-limiting, as Kong's PRIORITY says", async () => {
    const { createPluginHandlers, pluginSchemas } = await import('../../src/plugins/registry.js');
    const { pluginDependencies } = await import('./fake-context.js');
    const { buildPluginPlan } = await import('../../src/plugins/runtime.js');
    const pluginHandlers = createPluginHandlers(pluginDependencies());
    expect(pluginHandlers.get('request-transformer')?.priority).toBe(801);
    expect(pluginHandlers.get('response-transformer')?.priority).toBe(800);
    expect(pluginSchemas.has('request-transformer') && pluginSchemas.has('response-transformer')).toBe(true);
    const names = ['response-transformer', 'request-transformer', 'rate-limiting', 'key-auth'];
    const plan = buildPluginPlan(
      names.map((name, i) => ({ id: `p${i}`, name, enabled: true, route: null, service: null, consumer: null, config: {} }) as any),
      pluginHandlers,
    );
    expect(plan.entries.map((entry) => entry.handler.name)).toEqual(['key-auth', 'rate-limiting', 'request-transformer', 'response-transformer']);
  });
});

describe('name:value entries', () => {
  it("split at the first ':' and drop the colons right after it, as Kong's ^([^:]+):*(.-)$ does", async () => {
    const { splitColonPair } = await import('../../src/plugins/colon-pairs.js');
    expect(splitColonPair('x-a:b:c')).toEqual({ name: 'x-a', value: 'b:c' });
    expect(splitColonPair('x-a::b')).toEqual({ name: 'x-a', value: 'b' });
    expect(splitColonPair('url:http://x')).toEqual({ name: 'url', value: 'http://x' });
    expect(splitColonPair('x-a:')).toEqual({ name: 'x-a', value: '' });
    expect(splitColonPair('x-a')).toEqual({ name: 'x-a', value: '' });
    expect(splitColonPair(':x')).toBeNull();
  });
});
