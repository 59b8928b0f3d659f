// kong/plugins/request-transformer/schema.lua (3.11), with Kong's messages. On top of Kong's checks,
// what this gateway could not run is refused here instead of failing every request later:
// template expressions outside the supported form, methods nginx cannot send, a uri that cannot
// start with `/`, and header values no HTTP message can carry.

import type { PluginSchema } from '../../schema/plugin-schema.js';
import type { FieldDef, RecordDef } from '../../schema/types.js';
import { typedefs } from '../../schema/typedefs.js';
import { NGINX_METHODS } from '../../http/methods.js';
import { COLON_ENTRY, splitColonPair, validateHeaderPair, validateHeaderValueText } from '../colon-pairs.js';
import { compileTemplate, TemplateError } from './template.js';

/** The template check Kong's check_for_value does (pl.template.compile), with our closed expression form. */
function templateError(value: string): string | null {
  try {
    compileTemplate(value);
    return null;
  } catch (error) {
    if (error instanceof TemplateError) return `value '${value}' is not in supported format, error:${error.message}`;
    throw error;
  }
}

/** check_for_value: `name:value` with a non-empty value that compiles as a template. */
function checkForValue(entry: string): string | null {
  const pair = splitColonPair(entry);
  if (pair === null || pair.value === '') return `key '${pair?.name ?? ''}' has no value`;
  return templateError(pair.value);
}

/** Header entries with a value: Kong checks the name; the value must also be sendable and its template runnable. */
function checkHeaderValue(entry: string): string | null {
  const nameError = validateHeaderPair(entry);
  if (nameError !== null) return nameError;
  const { value } = splitColonPair(entry)!;
  const template = templateError(value);
  if (template !== null) return template;
  return compileTemplate(value).pieces.every((piece) => typeof piece !== 'string' || validateHeaderValueText(piece) === null)
    ? null
    : validateHeaderValueText(value);
}

function checkUri(uri: string): string | null {
  const template = templateError(uri);
  if (template !== null) return template;
  const first = compileTemplate(uri).pieces[0];
  // kong.service.request.set_path refuses a path that does not start with `/` (500 on every request).
  if (typeof first === 'string' && !first.startsWith('/')) return `'${uri}' must start with /`;
  return null;
}

function checkMethod(method: string): string | null {
  if (NGINX_METHODS.has(method)) return null;
  return `invalid method: ${method} (the upstream request can use ${[...NGINX_METHODS].join(', ')})`;
}

const array = (elements: FieldDef): FieldDef => ({ type: 'array', default: [], required: true, elements });

const stringsArray = array({ type: 'string' });
const headersArray = array({ type: 'string', custom_validator: (entry: string) => validateHeaderPair(entry) });
const colonStringsArray = array({ type: 'string', custom_validator: checkForValue });
const colonHeaderValueArray = array({ type: 'string', match: COLON_ENTRY, custom_validator: checkHeaderValue });
const colonHeadersArray = array({ type: 'string', match: COLON_ENTRY, custom_validator: (entry: string) => validateHeaderPair(entry, true) });

const record = (fields: RecordDef['fields']): RecordDef => ({ type: 'record', required: true, fields });

const colonStringsArrayRecord = record([
  ['body', colonStringsArray],
  ['headers', colonHeaderValueArray],
  ['querystring', colonStringsArray],
]);

export const requestTransformerSchema: PluginSchema = {
  name: 'request-transformer',
  protocols: typedefs.protocols,
  config: {
    type: 'record',
    fields: [
      ['http_method', { ...typedefs.httpMethod, custom_validator: checkMethod }],
      [
        'remove',
        record([
          ['body', stringsArray],
          ['headers', headersArray],
          ['querystring', stringsArray],
        ]),
      ],
      [
        'rename',
        record([
          ['body', colonStringsArray],
          ['headers', colonHeadersArray],
          ['querystring', colonStringsArray],
        ]),
      ],
      ['replace', record([...colonStringsArrayRecord.fields, ['uri', { type: 'string', custom_validator: checkUri }]])],
      ['add', colonStringsArrayRecord],
      ['append', colonStringsArrayRecord],
    ],
  },
};
