// Every construct of Kong's workshop pages is read into a step that runs, or a skip with its reason.
import { describe, expect, it } from 'vitest';
import { parsePage, type DeckStep, type PageStep, type RequestStep, type SkipStep } from '../../src/docs/index.js';
import { dataPlaneReplicas } from '../../src/docs/shell-script.js';

const fence = '```';
const page = (...lines: string[]): string => ['---', 'title: "T"', 'weight: 1', '---', ...lines].join('\n');
const command = (...lines: string[]): string[] => ['{{<highlight>}}', ...lines, '{{</highlight>}}'];
const steps = (text: string): PageStep[] => parsePage(text, 'p.md').steps;
const only = <T extends PageStep>(text: string): T => {
  const all = steps(text);
  expect(all).toHaveLength(1);
  return all[0] as T;
};

describe('curl -v', () => {
  it("reads the > request and < response lines, drops curl's * lines, and keeps the body around * Connection", () => {
    const text = page(
      ...command('curl -v $DATA_PLANE_LB/a'), // 5-7
      fence, // 8
      '*   Trying 127.0.0.1:80...', // 9
      '> GET /a HTTP/1.1', // 10
      '> Host: localhost', // 11
      '> User-Agent: curl/8.7.1', // 12
      '> Accept: */*', // 13
      '>', // 14
      '* Request completely sent off', // 15
      '< HTTP/1.1 401 Unauthorized', // 16
      '< WWW-Authenticate: Key', // 17
      '<', // 18
      '{', // 19
      '  "message":"No API key found in request"', // 20
      '* Connection #0 to host localhost left intact', // 21
      '}', // 22
      fence,
    );
    const step = only<RequestStep>(text);
    expect(step.request.shows).toMatchObject({ verbose: true });
    expect(step.documented).toMatchObject({
      blockLine: 8,
      statusLine: { text: 'HTTP/1.1 401 Unauthorized', code: 401, line: 16 },
      headers: [{ name: 'WWW-Authenticate', value: 'Key', line: 17 }],
      body: { text: '{\n  "message":"No API key found in request"\n}', line: 19 },
      request: {
        requestLine: { text: 'GET /a HTTP/1.1', line: 10 },
        headers: [
          { name: 'Host', value: 'localhost', line: 11 },
          { name: 'User-Agent', value: 'curl/8.7.1', line: 12 },
          { name: 'Accept', value: '*/*', line: 13 },
        ],
      },
    });
  });

  it('fails the step (not the page) when the block and the command disagree about -v', () => {
    const text = page(...command('curl -i $DATA_PLANE_LB/a'), fence, '> GET /a HTTP/1.1', '< HTTP/1.1 200 OK', fence);
    expect(only<RequestStep>(text).formatProblem).toMatchObject({ line: 9, message: expect.stringMatching(/add -v to the command/) });
  });
});

describe('pipes, loops, variables and prompts', () => {
  it('pipes curl into jq and compares what jq prints', () => {
    const step = only<RequestStep>(page(...command(`curl -s $DATA_PLANE_LB/get | jq '.args'`), `${fence}json`, '{}', fence));
    expect(step.pipeline).toEqual({ program: 'jq', args: ['.args'] });
    expect(step.documentedText).toMatchObject({ text: '{}', firstLine: 9, blockLine: 8 });
  });

  it('skips pipes into anything but jq', () => {
    expect(only<SkipStep>(page(...command('curl -s $DATA_PLANE_LB/get | grep origin'))).reason).toMatch(/verify-docs runs pipes into jq only/);
  });

  it('repeats the curl of a for … $(seq …) loop, on one line or several', () => {
    const one = only<RequestStep>(page(...command(`for i in $(seq 1 6); do curl -s -o /dev/null -w "%{http_code}\\n" $DATA_PLANE_LB/a; done`), fence, '200', fence));
    expect(one).toMatchObject({ loopCount: 6, request: { writeOut: '%{http_code}\n', shows: { body: false } }, documentedText: { text: '200' } });
    const several = only<RequestStep>(page(...command('for i in {2..4}', 'do', '  curl -I $DATA_PLANE_LB/a', 'done')));
    expect(several).toMatchObject({ loopCount: 3, request: { method: 'HEAD' }, at: { line: 6 } });
    expect(only<PageStep>(page(...command('for i in $(seq 1 3); do curl -s $DATA_PLANE_LB/a/$i; done')))).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/uses \$i/) });
  });

  it("expands the page's own exports in later commands, across blocks, and leaves the environment's variables to it", () => {
    const all = steps(page(...command('export APIKEY=123456', 'export DATA_PLANE_LB=http://a1b2.elb.amazonaws.com'), '', ...command(`curl -i $DATA_PLANE_LB/get -H "apikey: $APIKEY"`)));
    expect(all.map((step) => step.kind)).toEqual(['export', 'export', 'request']);
    expect(all[1]).toMatchObject({ name: 'DATA_PLANE_LB', ignored: true });
    expect((all[2] as RequestStep).request.headers).toEqual([['apikey', '123456']]);
  });

  it('reads $ prompts, and the output a prompt block shows under its command', () => {
    const all = steps(page(...command('$ export K=1', '$ curl --head $DATA_PLANE_LB/a -H "apikey: $K"', 'HTTP/1.1 200 OK', 'Via: 1.1 kong/3.11.0.2')));
    expect(all.map((step) => step.kind)).toEqual(['export', 'request']);
    expect((all[1] as RequestStep).documented).toMatchObject({ statusLine: { line: 8 }, headers: [{ name: 'Via', line: 9 }] });
  });
});

describe('what is skipped, with its reason', () => {
  it('kubectl and helm (a heredoc piped into kubectl too), with the sample output after them', () => {
    const all = steps(
      page(
        ...command('cat <<EOF | kubectl apply -f -', 'kind: DataPlane', 'spec:', '  deployment:', '    replicas: 3', 'EOF'),
        ...command('kubectl get pods -n kong'),
        fence, 'NAME   READY', fence,
        ...command('helm install kong kong/ingress'),
      ),
    );
    // A Kong data plane's replicas is a scale step (the environment's node count); the rest of Kubernetes is a skip.
    expect(all.map((step) => [step.kind, (step as SkipStep).reason])).toEqual([
      ['scale', undefined],
      ['skip', 'needs Kubernetes (kubectl)'],
      ['skip', 'needs Kubernetes (helm)'],
    ]);
    expect(all[0]).toMatchObject({ kind: 'scale', nodes: 3, at: { line: 6 } });
    expect(all[1]).toMatchObject({ documentedLine: 16 });
  });

  it("a kubectl manifest without a Kong data plane's replicas, and helm's, stay skips", () => {
    expect(only<SkipStep>(page(...command('cat <<EOF | kubectl apply -f -', 'kind: Deployment', 'spec:', '  replicas: 3', 'EOF')))).toMatchObject({ kind: 'skip', reason: 'needs Kubernetes (kubectl)' });
    expect(only<PageStep>(page(...command('cat <<EOF | helm install kong kong/ingress -f -', 'kind: DataPlane', 'spec:', '  deployment:', '    replicas: 3', 'EOF')))).toMatchObject({ kind: 'skip', reason: 'needs Kubernetes (helm)' });
  });

  it("kubectl's output after a scale belongs to it", () => {
    const all = steps(page(...command('cat <<EOF | kubectl apply -f -', 'kind: DataPlane', 'spec:', '  deployment:', '    replicas: 2', 'EOF'), fence, 'dataplane.gateway-operator.konghq.com/kong created', fence));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'scale', nodes: 2, documentedLine: 13 });
  });

  it("counts a Kong Deployment's replicas, not other workloads'", () => {
    expect(dataPlaneReplicas('kind: Deployment\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - image: kong/kong-gateway:3.11\n')).toBe(2);
    expect(dataPlaneReplicas('kind: Deployment\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - image: redis:7\n')).toBeUndefined();
  });

  it("HTTPie, other hosts, and a response shown without its command (a Konnect UI step)", () => {
    expect(only<SkipStep>(page(...command('http :8000/get apikey:123456'))).reason).toMatch(/uses HTTPie \(http\)/);
    expect(only<SkipStep>(page(...command('curl -s https://us.api.konghq.com/v2/control-planes -H "Authorization: Bearer $PAT"'))).reason).toBe(
      "requests us.api.konghq.com, a host other than the environment's",
    );
    expect(only<SkipStep>(page(...command('curl -i http://httpbin.org/get'))).reason).toMatch(/requests httpbin\.org/);
    const orphan = only<SkipStep>(page('In the Konnect UI, open the route:', '', fence, 'HTTP/1.1 200 OK', fence));
    expect(orphan).toMatchObject({ at: { line: 8 }, documentedLine: 7, reason: expect.stringMatching(/without the command that produced it \(a step done in the Konnect UI/) });
    // Kong's local ports stand for the environment.
    expect(only<RequestStep>(page(...command('curl -i localhost:8001/status'))).kind).toBe('request');
  });

  it('unknown programs and decK commands the built-in decK does not run', () => {
    expect(only<SkipStep>(page(...command('open https://cloud.konghq.com'))).reason).toBe('verify-docs does not run "open"');
    expect(only<SkipStep>(page(...command('deck file openapi2kong -s api.yaml'))).reason).toMatch(/not "deck file openapi2kong"/);
  });
});

describe('decK output blocks', () => {
  it("belong to the deck command before them: sync's lines, ping's, a diff's Summary", () => {
    const all = steps(page(...command('deck gateway ping --konnect-token $PAT'), fence, 'Successfully Konnected to the Kong organization!', fence, ...command('deck gateway diff k.yaml'), fence, 'Summary:', '  Created: 0', fence));
    expect(all.map((step) => [(step as DeckStep).action, (step as DeckStep).konnect, (step as DeckStep).documented?.text])).toEqual([
      ['ping', true, 'Successfully Konnected to the Kong organization!'],
      ['diff', false, 'Summary:\n  Created: 0'],
    ]);
  });
});

describe('the rate-limit story from the documented answers', () => {
  const output = (status: string, remaining: string) => [fence, status, `X-RateLimit-Remaining-Minute: ${remaining}`, fence];
  const curl = command('curl --head $DATA_PLANE_LB/a');

  it('repeats a 429 after the same command answered 200, whatever language the prose is in', () => {
    const text = page('Envoyez la requête :', ...curl, ...output('HTTP/1.1 200 OK', '4'), 'Encore :', ...curl, ...output('HTTP/1.1 429 Too Many Requests', '0'));
    expect(steps(text).map((step) => (step as RequestStep).repeat)).toEqual([undefined, 'story']);
  });

  it('repeats until a documented Remaining: 0 shows on a 200', () => {
    const text = page(...curl, ...output('HTTP/1.1 200 OK', '4'), ...curl, ...output('HTTP/1.1 200 OK', '0'));
    expect(steps(text).map((step) => (step as RequestStep).repeat)).toEqual([undefined, 'story']);
  });

  it('does not repeat a 429 that no 200 of the same command came before', () => {
    const other = command('curl --head $DATA_PLANE_LB/b');
    const text = page(...other, ...output('HTTP/1.1 200 OK', '4'), ...curl, ...output('HTTP/1.1 429 Too Many Requests', '0'));
    expect(steps(text).map((step) => (step as RequestStep).repeat)).toEqual([undefined, undefined]);
  });
});

describe('npm run redis -- stop|start|status', () => {
  it('is a redis step, with or without the --, and anything else npm runs is a skip', () => {
    const all = steps(page(...command('npm run redis -- stop', 'npm run redis start', 'npm run --silent redis -- status', 'npm run build')));
    expect(all.map((step) => [step.kind, step.kind === 'redis' ? step.action : (step as SkipStep).reason])).toEqual([
      ['redis', 'stop'],
      ['redis', 'start'],
      ['skip', 'verify-docs does not run "npm"'],
      ['skip', 'verify-docs does not run "npm"'],
    ]);
  });

  it('an action it does not have fails its step, naming the three there are', () => {
    const step = only<PageStep>(page(...command('npm run redis -- pause')));
    expect(step).toMatchObject({ kind: 'invalid', problem: 'npm run redis takes one of stop, start, status (npm run redis -- stop), not "pause"', at: { line: 6 } });
  });
});
