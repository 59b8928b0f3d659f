// The Python/Werkzeug re-implementations behind the embedded httpbin, checked against values
// CPython 3.11 and Debian's httpbin 0.7.0 (Werkzeug 2.2, gunicorn 20.1) produced.
import { describe, expect, it } from 'vitest';
import {
  PyFloat,
  PyInt,
  pythonFloatRepr,
  pythonJsonDumps,
  pythonJsonLoads,
  PythonJsonError,
} from '../../src/upstream/httpbin/python-json.js';
import { pythonFloat, pythonInt, pythonUrlsafeB64decode } from '../../src/upstream/httpbin/python-parsing.js';
import { PythonRandom } from '../../src/upstream/httpbin/python-random.js';
import { pythonTitle } from '../../src/upstream/httpbin/request-view.js';
import { parseQueryPairs, semiflatten, werkzeugHost, werkzeugRequestUrl } from '../../src/upstream/httpbin/werkzeug-urls.js';
import { parseMultipart } from '../../src/upstream/httpbin/multipart.js';

describe('Python json as Flask 2.2 uses it', () => {
  it('dumps compact, key-sorted (by code point) and ASCII-only', () => {
    const text = '{"b":[1,2.0,-0,-0.0,1E2,1e400,NaN],"a":"\\u00e9\\ud83d\\ude00x\\u007f","\\u00e9":{"z":1,"A":2}, "c": 123456789012345678901234567890}';
    // json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    expect(pythonJsonDumps(pythonJsonLoads(text))).toBe(
      '{"a":"\\u00e9\\ud83d\\ude00x\\u007f","b":[1,2.0,0,-0.0,100.0,Infinity,NaN],"c":123456789012345678901234567890,"\\u00e9":{"A":2,"z":1}}',
    );
    expect(pythonJsonDumps({ '\u{1F600}': 1, '\uffff': 2 })).toBe('{"\\uffff":2,"\\ud83d\\ude00":1}');
    expect(pythonJsonDumps('tab\tquote"back\\slash\u0001')).toBe('"tab\\tquote\\"back\\\\slash\\u0001"');
  });

  it('prints floats like repr()', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'], [1.5, '1.5'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'],
      [123456789012345680, '1.2345678901234568e+17'], [1e-4, '0.0001'], [1e-5, '1e-05'], [2.5e-7, '2.5e-07'],
      [-0, '-0.0'], [1e22, '1e+22'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [100, '100.0'], [0.3333333333333333, '0.3333333333333333'],
    ];
    for (const [value, repr] of cases) expect(pythonFloatRepr(value)).toBe(repr);
  });

  it('keeps integers exact and floats as floats when parsing', () => {
    const parsed = pythonJsonLoads('[12345678901234567890123, 1.0, -0]') as unknown[];
    expect(parsed[0]).toEqual(new PyInt('12345678901234567890123'));
    expect(parsed[1]).toEqual(new PyFloat(1));
    expect(parsed[2]).toEqual(new PyInt('0'));
  });

  it('rejects what json.loads rejects', () => {
    for (const bad of ['', '{"a":1,}', '\ufeff{}', '01', '"raw\u0001control"', '[1] x', "{'a':1}", '"\\x"']) {
      expect(() => pythonJsonLoads(bad), bad).toThrow(PythonJsonError);
    }
  });
});

describe("Python's random module", () => {
  it('reproduces random.seed(n); randint(0, 255)', () => {
    const r = new PythonRandom();
    r.seed(42n);
    expect([1, 2, 3, 4].map(() => r.randomByte())).toEqual([57, 12, 140, 125]);
    r.seed(1n);
    expect([1, 2, 3, 4].map(() => r.randomByte())).toEqual([68, 32, 130, 60]);
    r.seed(12345678901234567890n);
    expect([1, 2, 3, 4].map(() => r.randomByte())).toEqual([229, 167, 181, 117]);
    expect(r.random()).toBe(0.5714061072234214);
    expect(r.uniform(0, 3)).toBe(1.0910930811596797);
  });

  it('seeds with the absolute value, like CPython', () => {
    const a = new PythonRandom();
    const b = new PythonRandom();
    a.seed(-42n);
    b.seed(42n);
    expect(a.random()).toBe(b.random());
  });
});

describe('Python conversions of URL parts', () => {
  it('int() and float()', () => {
    expect(pythonInt(' +20_1 ')).toBe(201n);
    expect(pythonInt('2__0')).toBeUndefined();
    expect(pythonInt('200.0')).toBeUndefined();
    expect(pythonFloat('1_0e-1')).toBe(1);
    expect(pythonFloat('.5')).toBe(0.5);
    expect(pythonFloat('-inf')).toBe(-Infinity);
    expect(Number.isNaN(pythonFloat('NaN'))).toBe(true);
    expect(pythonFloat('abc')).toBeUndefined();
  });

  it('base64.urlsafe_b64decode, non-strict', () => {
    const decode = (s: string) => pythonUrlsafeB64decode(s)?.toString('latin1');
    expect(decode('aGVsbG8=')).toBe('hello');
    expect(decode('aGk=aGk=')).toBe('hi'); // stops at the first complete padding
    expect(decode('aGk====')).toBe('hi');
    expect(decode('aG k=')).toBe('hi'); // characters outside the alphabet are skipped
    expect(decode('!!!')).toBe('');
    expect(decode('_w==')).toBe('\xff');
    expect(decode('aGk')).toBeUndefined(); // incorrect padding
    expect(decode('a')).toBeUndefined();
    expect(decode('a=Gk')).toBeUndefined();
  });
});

describe('Werkzeug request details', () => {
  it('title-cases header names like str.title()', () => {
    expect(pythonTitle('APIKEY')).toBe('Apikey');
    expect(pythonTitle('X-CONSUMER-USERNAME')).toBe('X-Consumer-Username');
    expect(pythonTitle('X-B3-TRACEID')).toBe('X-B3-Traceid');
    expect(pythonTitle('X-1A')).toBe('X-1A');
  });

  it('parses query strings into args', () => {
    const pairs = parseQueryPairs(Buffer.from('a&b=&c=1;d=2&e=x+y&f=%2B%20%C3%A9&g=a=b&&h=%FF&h=2', 'latin1'));
    expect(semiflatten(pairs)).toEqual({ a: '', b: '', c: '1;d=2', e: 'x y', f: '+ é', g: 'a=b', h: ['\ufffd', '2'] });
  });

  it('rebuilds request.url as an IRI', () => {
    const url = (path: string, query: string) => werkzeugRequestUrl('http', '127.0.0.1:8000', path, query);
    expect(url('/anything/ x/é', 'q=%41%zz')).toBe('http://127.0.0.1:8000/anything/%20x/é?q=A%zz');
    expect(url('/get', 'a&b=&c=1;d=2&e=x+y&f=%2B%20%C3%A9&g=a=b')).toBe('http://127.0.0.1:8000/get?a&b=&c=1;d=2&e=x+y&f=+%20é&g=a=b');
    expect(url('/get', 'q=a%2Fb/c?d')).toBe('http://127.0.0.1:8000/get?q=a%2Fb%2Fc%3Fd');
    expect(url('/get', 'x="<>`{}|\\^')).toBe('http://127.0.0.1:8000/get?x=%22%3C%3E%60%7B%7D%7C%5C%5E');
    expect(url('/get', 'x=%E2%82%ACa%FF')).toBe('http://127.0.0.1:8000/get?x=€a%FF');
    expect(url('//get', '')).toBe('http://127.0.0.1:8000/get');
    expect(werkzeugRequestUrl('http', 'a:80,b:81', '/get', '')).toBe('http://a/get'); // a port that is no integer is dropped
  });

  it("drops the scheme's default port from the host", () => {
    expect(werkzeugHost('http', 'example.com:80', 'x')).toBe('example.com');
    expect(werkzeugHost('https', 'example.com:443', 'x')).toBe('example.com');
    expect(werkzeugHost('http', 'example.com:443', 'x')).toBe('example.com:443');
    expect(werkzeugHost('http', undefined, '127.0.0.1:9')).toBe('127.0.0.1:9');
  });

  it('splits multipart bodies with any line break style', () => {
    const body = Buffer.from('--b\nContent-Disposition: form-data; name="a"\n\n1\n--b\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nhi\r\n--b--');
    const parts = parseMultipart(body, 'b');
    expect(parts?.map((p) => [p.name, p.filename, p.body.toString()])).toEqual([
      ['a', undefined, '1'],
      ['f', 'x', 'hi'],
    ]);
    expect(parseMultipart(body.subarray(0, body.length - 5), 'b')).toBeUndefined(); // no closing boundary
  });
});
