// LuaSocket's url.parse, which Kong uses for the service `url` shorthand and URL validation.
// Its quirks matter: a query string is dropped from the path, and "host:8080" parses as scheme "host".

export interface ParsedUrl {
  scheme?: string;
  authority?: string;
  path?: string;
  query?: string;
  fragment?: string;
  params?: string;
  userinfo?: string;
  host?: string;
  port?: string;
  user?: string;
  password?: string;
}

export function parseSocketUrl(url: string): ParsedUrl | null {
  if (url === '') return null;
  const parsed: ParsedUrl = {};
  let rest = url;
  rest = rest.replace(/^([A-Za-z0-9][A-Za-z0-9+\-.]*):/, (_m, scheme: string) => {
    parsed.scheme = scheme;
    return '';
  });
  rest = rest.replace(/^\/\/([^/]*)/, (_m, authority: string) => {
    parsed.authority = authority;
    return '';
  });
  rest = rest.replace(/#([\s\S]*)$/, (_m, fragment: string) => {
    parsed.fragment = fragment;
    return '';
  });
  rest = rest.replace(/\?([\s\S]*)/, (_m, query: string) => {
    parsed.query = query;
    return '';
  });
  rest = rest.replace(/;([\s\S]*)/, (_m, params: string) => {
    parsed.params = params;
    return '';
  });
  if (rest !== '') parsed.path = rest;
  let authority = parsed.authority;
  if (authority === undefined) return parsed;
  authority = authority.replace(/^([^@]*)@/, (_m, userinfo: string) => {
    parsed.userinfo = userinfo;
    return '';
  });
  authority = authority.replace(/:([^:\]]*)$/, (_m, port: string) => {
    parsed.port = port;
    return '';
  });
  if (authority !== '') parsed.host = /^\[(.+)\]$/.exec(authority)?.[1] ?? authority;
  if (parsed.userinfo !== undefined) {
    const userinfo = parsed.userinfo.replace(/:([^:]*)$/, (_m, password: string) => {
      parsed.password = password;
      return '';
    });
    parsed.user = userinfo;
  }
  return parsed;
}
