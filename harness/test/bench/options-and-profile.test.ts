import { describe, expect, it } from 'vitest';
import { sourceArea, summarizeProfile, withOriginalLines, type CpuProfile } from '../../src/bench/profile-summary.js';
import { parseSchedstat, parseStatCpuNs, parseStatUserSysNs, processCpuNs, processesUserSysNs } from '../../src/bench/cpu-time.js';

describe('CPU profile summary', () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('run', 'file:///repo/gateway/src/proxy/proxy-handler.ts', 201) },
      { id: 4, callFrame: frame('dispatch', 'file:///repo/node_modules/undici/lib/dispatcher/pool-base.js', 9) },
      { id: 5, callFrame: frame('writeHead', 'node:_http_server', 300) },
      { id: 6, callFrame: frame('(garbage collector)', '') },
    ],
    startTime: 0,
    endTime: 1000,
    samples: [2, 3, 3, 4, 5, 6, 2, 3],
    timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100],
  };
  const summary = summarizeProfile(profile);

  it('counts self time, idle left out of the busy share', () => {
    expect(summary.totalMs).toBeCloseTo(0.8, 10);
    expect(summary.busyMs).toBeCloseTo(0.6, 10);
    expect(summary.functions[0]).toMatchObject({ name: 'run (gateway/src/proxy/proxy-handler.ts:202)', selfMs: 0.3, share: 0.5 });
  });

  it('names source lines through a source-map lookup when one is given', () => {
    const mapped = withOriginalLines(summary, (url, line, column) => (url.endsWith('proxy-handler.ts') && line === 201 && column === 0 ? 162 : null));
    expect(mapped.functions[0].name).toBe('run (gateway/src/proxy/proxy-handler.ts:162)');
    // No line known: the compiled position stays.
    expect(mapped.functions.find((f) => f.name.startsWith('dispatch'))?.name).toBe('dispatch (npm:undici/pool-base.js:10)');
  });

  it('keeps two functions of one compiled line apart', () => {
    const oneLine: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('a', 'file:///r/gateway/src/x.ts', 0) },
        { id: 2, callFrame: { ...frame('b', 'file:///r/gateway/src/x.ts', 0), columnNumber: 500 } },
      ],
      startTime: 0,
      endTime: 2,
      samples: [1, 2],
      timeDeltas: [1, 1],
    };
    expect(summarizeProfile(oneLine).functions).toHaveLength(2);
  });

  it('groups by area: our files, npm packages, node internals, V8', () => {
    expect(summary.areas.map((a) => a.name)).toEqual(['gateway/src/proxy/proxy-handler.ts', 'npm:undici', 'node:_http_server', '(garbage collector)']);
    expect(sourceArea('file:///x/node_modules/@fastify/proxy/index.js', 'f')).toBe('npm:@fastify/proxy');
  });
});

describe('server CPU time from /proc', () => {
  it('reads schedstat nanoseconds', () => {
    expect(parseSchedstat('1459718 9423926 3\n')).toBe(1459718);
    expect(parseSchedstat('')).toBeNull();
  });

  it('reads utime + stime from stat, even with spaces and parentheses in the name', () => {
    const stat = '4242 (node (gw) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 7701 0 0';
    expect(parseStatCpuNs(stat)).toBe(3e9);
    expect(parseStatCpuNs('1 (x) S')).toBeNull();
  });

  it('splits stat into user and system time', () => {
    const stat = '4242 (node (gw) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 7701 0 0';
    expect(parseStatUserSysNs(stat)).toEqual({ userNs: 2.5e9, sysNs: 0.5e9 });
    expect(parseStatUserSysNs('1 (x) S 1 2 3 4 5 6 7 8 9 10 11')).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('reads this process (skipped: /proc is Linux only)', () => {
    expect(processCpuNs(process.pid)).toBeGreaterThan(0);
    expect(processCpuNs(2 ** 22 + 1)).toBeNull();
    const split = processesUserSysNs([process.pid]);
    expect(split!.userNs + split!.sysNs).toBeGreaterThan(0);
    expect(processesUserSysNs([process.pid, 2 ** 22 + 1])).toBeNull();
  });
});
