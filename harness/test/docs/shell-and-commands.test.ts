import { describe, expect, it } from 'vitest';
import { parseCurlArguments } from '../../src/docs/curl-command.js';
import { parseDeckArguments } from '../../src/docs/deck-command.js';
import { resolveUrl } from '../../src/docs/http-exchange.js';
import { expandWord, shellTokens, wordSource } from '../../src/docs/shell-words.js';

const curl = (line: string) => parseCurlArguments(shellTokens(line).slice(1));
const deck = (line: string) => parseDeckArguments(shellTokens(line).slice(1));
const addresses = { proxyUrl: 'http://127.0.0.1:8100', adminUrl: 'http://127.0.0.1:8101' };

describe('shell words', () => {
  it('reads quotes, escapes and variables as a shell does', () => {
    const tokens = shellTokens(`curl -H 'apikey: $X' "a b $DATA_PLANE_LB/x" \\$Y # comment`);
    const words = tokens.map((token) => (token.kind === 'word' ? wordSource(token.word) : token.text));
    expect(words).toEqual(['curl', '-H', 'apikey: $X', 'a b $DATA_PLANE_LB/x', '$Y']);
    const quoted = tokens[1].kind === 'word' && tokens[2].kind === 'word' ? tokens[2].word : [];
    // Single quotes keep $X literal: it is text, not a variable.
    expect(quoted).toEqual([{ text: 'apikey: $X' }]);
    const mixed = tokens[3].kind === 'word' ? tokens[3].word : [];
    expect(expandWord(mixed, (name) => `<${name}>`)).toBe('a b <DATA_PLANE_LB>/x');
  });

  it('separates redirections and heredoc operators', () => {
    const tokens = shellTokens(`cat > key-auth.yaml << 'EOF'`);
    expect(tokens.map((token) => (token.kind === 'word' ? wordSource(token.word) : `op:${token.text}`))).toEqual(['cat', 'op:>', 'key-auth.yaml', 'op:<<', 'EOF']);
    expect(tokens[4]).toMatchObject({ kind: 'word', quoted: true });
  });

  it('refuses what it cannot reproduce', () => {
    expect(() => shellTokens(`echo 'open`)).toThrow(/never closed/);
    expect(() => shellTokens('curl $(cat url)')).toThrow(/command substitution/);
  });
});

describe('curl commands', () => {
  it('reads the page forms: -i, --head, -H', () => {
    expect(curl('curl -i $DATA_PLANE_LB/key-auth-route/get')).toMatchObject({ method: 'GET', headers: [], shows: { headers: true, body: true } });
    const head = curl(`curl --head $DATA_PLANE_LB/key-auth-route/get -H 'apikey:123456'`);
    expect(head).toMatchObject({ method: 'HEAD', headers: [['apikey', '123456']], shows: { headers: true, body: false } });
    expect(resolveUrl(head, addresses)).toBe('http://127.0.0.1:8100/key-auth-route/get');
    expect(curl('curl -sI $DATA_PLANE_LB/x')).toMatchObject({ method: 'HEAD' });
    expect(curl('curl $DATA_PLANE_LB/x')).toMatchObject({ shows: { headers: false, body: true } });
  });

  it('reads bodies, methods and query strings', () => {
    const form = curl('curl -i $DATA_PLANE_LB/post -d apikey=123456 --data note=hello');
    expect(form).toMatchObject({ method: 'POST', body: 'apikey=123456&note=hello' });
    expect(form.headers).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
    const json = curl(`curl -i -X PUT $DATA_PLANE_LB/put -H 'Content-Type: application/json' -d '{"apikey":"1"}'`);
    expect(json).toMatchObject({ method: 'PUT', body: '{"apikey":"1"}', headers: [['Content-Type', 'application/json']] });
    const query = curl(`curl -i "$DATA_PLANE_LB/get?apikey=123456&page=2"`);
    expect(resolveUrl(query, addresses)).toBe('http://127.0.0.1:8100/get?apikey=123456&page=2');
    const get = curl('curl -i -G $DATA_PLANE_LB/get -d apikey=1');
    expect(get.method).toBe('GET');
    expect(resolveUrl(get, addresses)).toBe('http://127.0.0.1:8100/get?apikey=1');
    expect(curl(`curl -i $DATA_PLANE_LB/get -H 'Accept:'`).removedHeaders).toEqual(['Accept']);
  });

  it('turns -u user:password into Basic authentication, as curl does', () => {
    expect(curl('curl -i $DATA_PLANE_LB/x -u consumer1:open-sesame').headers).toEqual([['Authorization', 'Basic Y29uc3VtZXIxOm9wZW4tc2VzYW1l']]);
    expect(curl(`curl -i $DATA_PLANE_LB/x --user 'a:b:c'`).headers).toEqual([['Authorization', `Basic ${Buffer.from('a:b:c').toString('base64')}`]]);
    expect(curl(`curl -i $DATA_PLANE_LB/x -u a:b -H 'Authorization: Bearer t'`).headers).toEqual([['Authorization', 'Bearer t']]);
    expect(() => curl('curl -i $DATA_PLANE_LB/x -u consumer1')).toThrow(/curl would prompt for it, so write -u consumer1:PASSWORD/);
  });

  it('maps the admin variable and local Kong addresses', () => {
    expect(resolveUrl(curl('curl -i $KONG_ADMIN_URL/status'), addresses)).toBe('http://127.0.0.1:8101/status');
    expect(resolveUrl(curl('curl -i localhost:8000/x'), addresses)).toBe('http://127.0.0.1:8100/x');
    expect(resolveUrl(curl('curl -i http://localhost:8001/'), addresses)).toBe('http://127.0.0.1:8101/');
  });

  it('refuses options and variables it does not know, saying what it accepts', () => {
    expect(() => curl('curl -L $DATA_PLANE_LB/x')).toThrow(/does not know the curl option -L/);
    expect(() => curl('curl -i $SOMEWHERE/x')).toThrow(/\$SOMEWHERE is not a variable verify-docs knows; use \$DATA_PLANE_LB/);
    // The page's own variables are expanded before curl reads its words (see "page variables"); others are not known.
    expect(() => curl(`curl -i $DATA_PLANE_LB/x -H "apikey: $KEY"`)).toThrow(/expands variables only in the URL/);
    expect(() => curl('curl -i')).toThrow(/no URL/);
    expect(() => curl('curl -i $DATA_PLANE_LB/x -d @body.json')).toThrow(/reads a file/);
  });
});

describe('deck commands', () => {
  it('takes the file, keeps select tags and ignores Konnect flags', () => {
    expect(deck('deck gateway sync --konnect-token $PAT key-auth.yaml')).toEqual({
      action: 'sync', argv: ['gateway', 'sync', '--konnect-token', '$PAT', 'key-auth.yaml'], files: ['key-auth.yaml'], selectTags: [], ignoredFlags: ['--konnect-token'], konnect: true, force: false,
    });
    expect(deck('deck gateway sync --konnect-control-plane-name=kong-workshop --select-tag a -s key-auth.yaml')).toMatchObject({
      files: ['key-auth.yaml'],
      selectTags: ['a'],
      ignoredFlags: ['--konnect-control-plane-name'],
    });
  });

  it('reads reset -f, ping, diff and file validate, old spellings included', () => {
    expect(deck('deck gateway reset --konnect-control-plane-name kong-workshop --konnect-token $PAT -f')).toMatchObject({ action: 'reset', force: true, konnect: true, files: [] });
    expect(deck('deck gateway ping')).toMatchObject({ action: 'ping', konnect: false });
    expect(deck('deck gateway diff key-auth.yaml')).toMatchObject({ action: 'diff', files: ['key-auth.yaml'] });
    expect(deck('deck file validate key-auth.yaml')).toMatchObject({ action: 'file-validate', files: ['key-auth.yaml'] });
    expect(deck('deck sync -s key-auth.yaml')).toMatchObject({ action: 'sync', files: ['key-auth.yaml'] });
  });

  it('refuses what it cannot do, and names what it does not run', () => {
    expect(() => deck('deck gateway sync --konnect-token $PAT')).toThrow(/names no state file/);
    expect(() => deck('deck gateway sync --skip-consumers key-auth.yaml')).toThrow(/does not know the decK flag --skip-consumers/);
    expect(() => deck('deck gateway reset')).toThrow(/without -f asks "Are you sure\?"/);
    expect(deck('deck gateway dump -o x.yaml')).toMatchObject({ action: 'dump', files: ['x.yaml'] });
    expect(() => deck('deck konnect ping')).toThrow(/the kit's deck runs gateway sync, diff, apply, reset, ping, dump and validate, and file validate, not "deck konnect ping"/);
  });
});
