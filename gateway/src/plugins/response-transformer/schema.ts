// kong/plugins/response-transformer/schema.lua (3.11), with Kong's messages. On top of Kong's checks,
// header names and values that no HTTP response can carry are refused here: Kong would accept them
// and then fail in header_filter on every response.

import type { PluginSchema } from '../../schema/plugin-schema.js';
import type { FieldDef, RecordDef } from '../../schema/types.js';
import { typedefs } from '../../schema/typedefs.js';
import { COLON_ENTRY, splitColonPair, validateHeaderPair, validateHeaderValueText } from '../colon-pairs.js';

/** Header entries written to the response: a name a response can carry and a value without control characters. */
function checkResponseHeader(entry: string): string | null {
  const { name, value } = splitColonPair(entry)!;
  if (!HTTP_TOKEN.test(name)) return `'${name}' is not a valid header`;
  return validateHeaderValueText(value);
}

/** RFC 9110's token: what a response header name may be (Node refuses anything else). */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const array = (elements: FieldDef): FieldDef => ({ type: 'array', default: [], required: true, elements });

const stringArray = array({ type: 'string' });
const colonStringArray = array({ type: 'string', match: COLON_ENTRY });
const colonResponseHeaders = array({ type: 'string', match: COLON_ENTRY, custom_validator: checkResponseHeader });
const colonHeadersArray = array({ type: 'string', match: COLON_ENTRY, custom_validator: (entry: string) => validateHeaderPair(entry, true) });
const jsonTypes = array({ type: 'string', one_of: ['boolean', 'number', 'string'] });

const record = (fields: RecordDef['fields']): RecordDef => ({ type: 'record', required: true, fields });

const colonStringRecord = record([
  ['json', colonStringArray],
  ['json_types', jsonTypes],
  ['headers', colonResponseHeaders],
]);

export const responseTransformerSchema: PluginSchema = {
  name: 'response-transformer',
  protocols: typedefs.protocolsHttp,
  config: {
    type: 'record',
    fields: [
      [
        'remove',
        record([
          ['json', stringArray],
          ['headers', stringArray],
        ]),
      ],
      [
        'rename',
        record([
          ['json', colonStringArray],
          ['headers', colonHeadersArray],
        ]),
      ],
      ['replace', colonStringRecord],
      ['add', colonStringRecord],
      ['append', colonStringRecord],
    ],
  },
};
