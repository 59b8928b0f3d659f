// A recorded pid is only signalled while /proc still shows the program we started: a pid the
// kernel handed to someone else since is left alone.

import { describe, expect, it } from 'vitest';
import { processStartTicks, recordedProcessState, stopRecordedProcess, type RecordedProcess } from '../../src/classroom/processes.js';

function recordOf(overrides: Partial<RecordedProcess>): RecordedProcess {
  return { role: 'gateway', pid: process.pid, startTicks: processStartTicks(process.pid), marker: 'node', log: '/dev/null', stopSignal: 'SIGTERM', ...overrides };
}

describe('recorded processes', () => {
  it('are running while pid, start time and command line all match', () => {
    expect(recordedProcessState(recordOf({}))).toBe('running');
  });

  it('are "replaced" when the pid now runs another program or started at another time, and are then never signalled', async () => {
    const otherProgram = recordOf({ marker: '/no/such/gateway/src/main.ts' });
    const otherStart = recordOf({ startTicks: '1' });
    expect(recordedProcessState(otherProgram)).toBe('replaced');
    expect(recordedProcessState(otherStart)).toBe('replaced');
    // Were either signalled, this test process would receive SIGTERM and die here.
    expect(await stopRecordedProcess(otherProgram, 200)).toBe(0);
    expect(await stopRecordedProcess(otherStart, 200)).toBe(0);
  });

  it('are "gone" when no such process exists', () => {
    expect(recordedProcessState(recordOf({ pid: 2 ** 22 + 12345 }))).toBe('gone');
  });
});
