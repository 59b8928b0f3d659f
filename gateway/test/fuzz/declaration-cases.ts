// Seeded generator of malformed declarations for the POST /config fuzz suite: type confusion,
// prototype names, YAML aliases, nesting depth, sizes, UTF-8, route regexes and numbers. Every
// case keeps the `known` service and route intact, so a declaration that loads must still proxy it.

import yaml from 'js-yaml';

export const UPSTREAM_URL = 'http://httpbin.kong.svc.cluster.local:8000';
/** The route every case keeps; its Host makes it win over any route a case adds. */
export const KNOWN_HOST = 'known.test';

export interface FuzzForm {
  form: 'json' | 'yaml';
  contentType: string;
  body: Buffer;
}

export interface FuzzCase {
  kind: string;
  description: string;
  forms: FuzzForm[];
}

/** mulberry32: small, fast and the same on every machine. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

class Picker {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Writes `key` as an own property even when it is `__proto__`. */
function put(target: Obj, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function baseDeclaration(): Obj {
  return {
    _format_version: '3.0',
    services: [
      { name: 'known', url: UPSTREAM_URL, routes: [{ name: 'known', hosts: [KNOWN_HOST], paths: ['/known'] }] },
      {
        name: 'extra',
        url: UPSTREAM_URL,
        connect_timeout: 5000,
        retries: 2,
        tags: ['fuzz'],
        routes: [
          {
            name: 'extra-route',
            paths: ['/extra'],
            headers: { 'x-fuzz': ['on'] },
            plugins: [
              { name: 'key-auth', config: { key_names: ['apikey'], hide_credentials: false } },
              { name: 'rate-limiting', config: { minute: 5, policy: 'local' } },
              { name: 'acl', config: { allow: ['fuzzers'] } },
            ],
          },
        ],
      },
    ],
    consumers: [
      {
        username: 'extra-user',
        custom_id: 'c-1',
        tags: ['fuzz'],
        keyauth_credentials: [{ key: 'extra-key' }],
        basicauth_credentials: [{ username: 'extra-basic', password: 'not-a-secret' }],
        acls: [{ group: 'fuzzers' }],
      },
    ],
  };
}

/** The parts a case may break: everything but the known service (services[0]). */
function mutableContainers(doc: Obj): Array<Obj | Json[]> {
  const found: Array<Obj | Json[]> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      found.push(node);
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      found.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk((doc.services as Json[])[1]);
  walk(doc.consumers as Json[]);
  return found;
}

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype', 'isPrototypeOf'];

function confusedValue(pick: Picker): Json {
  return pick.one<() => Json>([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 2 ** 53 + 2,
    () => -0,
    () => '',
    () => 'x',
    () => '1',
    () => [],
    () => ({}),
    () => [null],
    () => [[]],
    () => ({ a: 1 }),
    () => 'a'.repeat(pick.int(200, 5000)),
    () => pick.one(PROTO_NAMES),
    () => ['~/(a+)+$'],
    () => ({ [pick.one(PROTO_NAMES)]: 1 }),
  ])();
}

function replaceSomewhere(pick: Picker, doc: Obj, value: () => Json): string {
  const containers = mutableContainers(doc);
  const target = pick.one(containers);
  if (Array.isArray(target)) {
    const index = target.length > 0 && pick.chance(0.8) ? pick.int(0, target.length - 1) : target.length;
    target[index] = value();
    return `element ${index}`;
  }
  const keys = Object.keys(target);
  const key = keys.length > 0 && pick.chance(0.85) ? pick.one(keys) : pick.one(['name', 'paths', 'config', 'tags', 'port', 'extra']);
  put(target, key, value());
  return `field ${key}`;
}

/** `depth` nested arrays and objects as text (JSON.stringify and yaml.dump would recurse that deep). */
function nestedText(pick: Picker, depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const array = pick.chance(0.5);
    open += array ? '[' : '{"k":';
    close = (array ? ']' : '}') + close;
  }
  return `${open}${pick.one(['"leaf"', '1', 'null', '[]'])}${close}`;
}

const REGEX_ATOMS = ['a', 'b', '.', '\\d', '\\w', '\\s', '[a-c]', '[^/]', '(?:a|b)', '(a)', '(?<n>x)', '\\b', '\\/', 'é', '[[:alpha:]]', '\\Qa.b\\E', '\\x41'];
const REGEX_BROKEN = ['(', ')', '[', '\\', '(?<1a>x)', '[z-a]', 'a{3,1}', '\\1', '(?=a)', '(?!a)', '(?<=a)', '\\Z', 'a++', '(?>a)', '\\k<nope>', '(?P=n)', '\\p{L}', '(?x)', '*'];
const REGEX_QUANTIFIERS = ['', '', '*', '+', '?', '{2}', '{1,40}', '{3,}', '*?', '+?', '{0,99999}', '{17}'];
const REGEX_CATASTROPHIC = ['(a+)+$', '(a|a)*$', '(a*)*b', '(a|aa)+$', '(.*a){20}', '(\\w+\\s?)+$', '.*.*.*.*.*.*.*.*x$', '(?:a?){30}a{30}'];

function randomRegex(pick: Picker, depth = 0): string {
  if (pick.chance(0.15)) return pick.one(REGEX_CATASTROPHIC);
  const parts: string[] = [];
  for (let i = pick.int(1, 4); i > 0; i--) {
    let atom = pick.chance(0.1) ? pick.one(REGEX_BROKEN) : pick.one(REGEX_ATOMS);
    if (depth < 2 && pick.chance(0.25)) atom = `(${randomRegex(pick, depth + 1)})`;
    parts.push(atom + pick.one(REGEX_QUANTIFIERS));
  }
  const text = parts.join(pick.chance(0.2) ? '|' : '');
  return depth === 0 && pick.chance(0.1) ? `(?i)${text}` : text;
}

const NUMBER_FIELDS: Array<[string[], string]> = [
  [['services', '1'], 'port'],
  [['services', '1'], 'connect_timeout'],
  [['services', '1'], 'retries'],
  [['services', '1', 'routes', '0'], 'regex_priority'],
  [['services', '1', 'routes', '0', 'plugins', '1', 'config'], 'minute'],
  [['consumers', '0', 'keyauth_credentials', '0'], 'ttl'],
];
const NUMBERS = ['-1', '0', '1', '65535', '65536', '1.5', '1e309', '-1e309', '2147483648', '9007199254740993', '-0', '"80"', '1e-7', '0.0', '100000000000000000000000'];

function at(doc: Obj, path: string[]): Obj {
  let node: Json = doc;
  for (const part of path) node = (node as Obj)[part];
  return node as Obj;
}

function jsonForms(value: unknown): FuzzForm[] {
  return [
    { form: 'json', contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) },
    { form: 'yaml', contentType: 'text/yaml', body: Buffer.from(yaml.dump(value, { noRefs: true, lineWidth: -1 })) },
  ];
}

/** The same text (or bytes) sent as JSON and as YAML. */
function textForms(body: Buffer): FuzzForm[] {
  return [
    { form: 'json', contentType: 'application/json', body },
    { form: 'yaml', contentType: 'text/yaml', body },
  ];
}

type Generator = (pick: Picker) => Omit<FuzzCase, 'kind'>;

const GENERATORS: Record<string, Generator> = {
  'type confusion': (pick) => {
    const doc = baseDeclaration();
    const where: string[] = [];
    for (let i = pick.int(1, 3); i > 0; i--) where.push(replaceSomewhere(pick, doc, () => confusedValue(pick)));
    return { description: where.join(', '), forms: jsonForms(doc) };
  },
  'prototype names': (pick) => {
    const doc = baseDeclaration();
    const name = pick.one(PROTO_NAMES);
    const service = (doc.services as Obj[])[1];
    const route = (service.routes as Obj[])[0];
    const consumer = (doc.consumers as Obj[])[0];
    const spot = pick.int(0, 7);
    if (spot === 0) put(doc, name, confusedValue(pick));
    else if (spot === 1) put(service, name, confusedValue(pick));
    else if (spot === 2) route.name = name;
    else if (spot === 3) route.headers = { [name]: ['v'] };
    else if (spot === 4) consumer.username = name;
    else if (spot === 5) (route.plugins as Obj[])[0].instance_name = name;
    else if (spot === 6) route.service = name;
    else put((route.plugins as Obj[])[1].config as Obj, name, 1);
    return { description: `${name} at spot ${spot}`, forms: jsonForms(doc) };
  },
  'YAML aliases': (pick) => {
    const fan = pick.int(2, 12);
    const levels = pick.int(1, 9);
    const lines = ['- &a0 [lol]'];
    for (let i = 1; i <= levels; i++) lines.push(`- &a${i} [${Array(fan).fill(`*a${i - 1}`).join(',')}]`);
    const selfRef = pick.chance(0.2) ? '\n_comment_loop: &loop [*loop]' : '';
    const merged = pick.chance(0.3) ? `\nconsumers:\n- &c {username: alias-user, tags: [x]}\n- {<<: *c, username: alias-2}` : '';
    const text = `_format_version: "3.0"\n_ignore:\n${lines.join('\n')}\nservices:\n- {name: known, url: "${UPSTREAM_URL}", routes: [{name: known, hosts: [${KNOWN_HOST}], paths: [/known]}]}\n- {name: s, host: h, _ignore: *a${levels}}${merged}${selfRef}\n`;
    return { description: `fan ${fan}, ${levels} levels${selfRef ? ', self reference' : ''}`, forms: [{ form: 'yaml', contentType: 'text/yaml', body: Buffer.from(text) }] };
  },
  depth: (pick) => {
    const doc = baseDeclaration();
    const depth = pick.one([10, 500, 998, 999, 1000, 1001, 1005, 5000, 20000]);
    const spot = replaceSomewhere(pick, doc, () => 'DEPTH_HERE');
    const nested = nestedText(pick, depth);
    const json = JSON.stringify(doc).replace('"DEPTH_HERE"', nested);
    const text = yaml.dump(doc, { lineWidth: -1 }).replace('DEPTH_HERE', nested);
    return {
      description: `${depth} levels at ${spot}`,
      forms: [
        { form: 'json', contentType: 'application/json', body: Buffer.from(json) },
        { form: 'yaml', contentType: 'text/yaml', body: Buffer.from(text) },
      ],
    };
  },
  sizes: (pick) => {
    const doc = baseDeclaration();
    const choice = pick.int(0, 9);
    let description: string;
    if (choice === 0) {
      // Over the Admin API's 10 MiB body limit: 413.
      (doc.consumers as Obj[])[0].custom_id = 'x'.repeat(11 * 1024 * 1024);
      description = '11 MiB string';
    } else if (choice <= 3) {
      const count = pick.int(500, 3000);
      doc.consumers = Array.from({ length: count }, (_, i) => ({ username: `user-${i}`, keyauth_credentials: [{ key: `key-${i}` }] }));
      description = `${count} consumers`;
    } else if (choice <= 6) {
      const length = pick.int(1000, 300_000);
      replaceSomewhere(pick, doc, () => 'n'.repeat(length));
      description = `a ${length}-character string`;
    } else {
      const count = pick.int(100, 20_000);
      (doc.consumers as Obj[])[0].tags = Array.from({ length: count }, (_, i) => `t${i}`);
      description = `${count} tags`;
    }
    // JSON only for the 11 MiB case: the YAML copy would only repeat the 413.
    const forms = jsonForms(doc);
    return { description, forms: choice === 0 ? forms.slice(0, 1) : forms };
  },
  'UTF-8': (pick) => {
    const doc = baseDeclaration();
    const marker = 'MARKER';
    const spot = pick.int(0, 3);
    if (spot === 0) (doc.consumers as Obj[])[0].username = marker;
    else if (spot === 1) (doc.consumers as Obj[])[0].tags = [marker];
    else if (spot === 2) (doc.services as Obj[])[1].name = marker;
    else ((doc.services as Obj[])[1].routes as Obj[])[0].name = marker;
    const bytes = pick.one([
      [0xff],
      [0xc3, 0x28],
      [0xe2, 0x28, 0xa1],
      [0xf0, 0x28, 0x8c, 0xbc],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0xc3, 0xa9],
      [0xf0, 0x9f, 0x94, 0x91],
      [0xef, 0xbb, 0xbf],
    ]);
    const text = JSON.stringify(doc);
    const at = text.indexOf(marker);
    let body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at + marker.length))]);
    let description = `bytes ${bytes.map((b) => b.toString(16)).join(' ')} at spot ${spot}`;
    if (pick.chance(0.2)) {
      body = Buffer.from(text.replace(marker, pick.one(['a\\ud800', '\\udc00b', '\\ud83d\\udd11', '\\u0000'])));
      description = `a JSON escape at spot ${spot}`;
    }
    return { description, forms: textForms(body) };
  },
  regexes: (pick) => {
    const doc = baseDeclaration();
    const route = ((doc.services as Obj[])[1].routes as Obj[])[0];
    const regex = pick.chance(0.05) ? 'a'.repeat(pick.int(20_000, 60_000)) : randomRegex(pick);
    if (pick.chance(0.7)) route.paths = [`~/extra${regex}`];
    else route.headers = { 'x-fuzz': [`~*${regex}`] };
    return { description: JSON.stringify(regex.length > 60 ? `${regex.slice(0, 60)}…(${regex.length})` : regex), forms: jsonForms(doc) };
  },
  numbers: (pick) => {
    const [path, field] = pick.one(NUMBER_FIELDS);
    const number = pick.one(NUMBERS);
    const doc = baseDeclaration();
    put(at(doc, path), field, 'NUMBER_HERE');
    // Written into the text: 1e309 and -0 do not survive JSON.stringify.
    const text = JSON.stringify(doc).replace('"NUMBER_HERE"', number);
    return { description: `${field}: ${number}`, forms: textForms(Buffer.from(text)) };
  },
  'document shape': (pick) => {
    // Texts that may load carry the known service; the others are refused whatever they hold.
    const base = JSON.stringify(baseDeclaration());
    const baseYaml = yaml.dump(baseDeclaration(), { lineWidth: -1 });
    const text = pick.one([
      '',
      'null',
      '[]',
      '"3.0"',
      '42',
      '{}',
      '{"_format_version":3}',
      '{"_format_version":"3.0","services":{"a":1}}',
      base.replace('"_format_version":"3.0"', '"_format_version":"3.0","_format_version":"1.0"'),
      `${baseYaml}_comment: !!binary aGVsbG8=\n`,
      `${baseYaml}_comment: !!set {a, b}\n`,
      `${baseYaml}consumers:\n- username: 2001-12-14\n  tags: [2002-12-14, 12:30:00]\n`,
      `%YAML 1.1\n---\n${baseYaml}`,
      `${baseYaml}---\nsecond: doc\n`,
      base.slice(0, -1),
      `\ufeff${base}`,
    ]);
    return { description: JSON.stringify(text.length > 60 ? `${text.slice(0, 30)}…${text.slice(-30)}` : text), forms: textForms(Buffer.from(text)) };
  },
};

export const KINDS = Object.keys(GENERATORS);

/** `count` cases from `seed`, kinds in turn so that every kind is covered by a small run. */
export function generateCases(seed: number, count: number): FuzzCase[] {
  const pick = new Picker(randomSource(seed));
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    return { kind, ...GENERATORS[kind](pick) };
  });
}
