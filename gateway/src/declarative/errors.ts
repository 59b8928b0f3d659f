// The 400 body Kong answers for an invalid declarative configuration (Errors:declarative_config),
// carried by a typed error.

import { errorTreeToJson, luaPretty, type JsonErrorNode } from '../schema/error-tree.js';
import type { ErrorTree } from '../schema/types.js';

export type FlattenedErrorItem =
  | { type: 'field'; field: string; message: string }
  | { type: 'entity'; message: string };

export interface FlattenedEntityError {
  entity_type: string;
  entity_name?: string;
  entity_id?: string;
  entity_tags?: string[];
  entity: Record<string, unknown>;
  errors: FlattenedErrorItem[];
}

export interface DeclarativeErrorBody {
  code: 14;
  name: 'invalid declarative configuration';
  /** Lua pretty-print of `fields`: informative, not meant to be parsed. */
  message: string;
  fields: { [key: string]: JsonErrorNode };
  flattened_errors?: FlattenedEntityError[];
}

export class DeclarativeConfigError extends Error {
  readonly body: DeclarativeErrorBody;
  /** One line in our words after Kong's (e.g. which plugins this gateway runs); `fields` stay exactly Kong's. */
  readonly hint: string | null;

  constructor(fields: ErrorTree, flattened?: FlattenedEntityError[], hint: string | null = null) {
    const message = `declarative config is invalid: ${luaPretty(fields)}${hint === null ? '' : `; ${hint}`}`;
    super(message);
    this.name = 'DeclarativeConfigError';
    this.hint = hint;
    const json = errorTreeToJson(fields);
    this.body = {
      code: 14,
      name: 'invalid declarative configuration',
      message,
      fields: json !== null && typeof json === 'object' && !Array.isArray(json) ? json : {},
      ...(flattened ? { flattened_errors: flattened } : {}),
    };
  }

  /** One line per problem, for people: `service 'a': port: value should be between 0 and 65535`. */
  describe(): string[] {
    const lines: string[] = [];
    for (const entity of this.body.flattened_errors ?? []) {
      const label = `${entity.entity_type}${entity.entity_name ? ` '${entity.entity_name}'` : ''}`;
      for (const item of entity.errors) lines.push(`${label}: ${item.type === 'field' ? `${item.field}: ` : ''}${item.message}`);
    }
    if (Object.keys(this.body.fields).length > 0) lines.push(`${lines.length > 0 ? 'also: ' : ''}${JSON.stringify(this.body.fields)}`);
    if (this.hint !== null) lines.push(this.hint);
    return lines;
  }

  /** The error for text that is not a configuration at all (Kong's `failed parsing …`). */
  static parseFailure(reason?: string): DeclarativeConfigError {
    const text = reason ? `failed parsing declarative configuration: ${reason}` : 'failed parsing declarative configuration';
    return new DeclarativeConfigError({ error: text });
  }
}
