import { describe, expect, it } from 'vitest';
import { formatSyncReport } from '../../src/deck/format-report.js';
import { emptyGatewayState, type GatewayState } from '../../src/deck/gateway-state.js';
import { pureSync } from './pure-sync.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

describe("the workshop page's four declarations, synced in order", () => {
  const expected = [
    ['creating service httpbin-service', 'creating route httpbin-route', 'creating plugin key-auth for service httpbin-service'],
    ['creating consumer consumer1', 'creating key-auth 23456 for consumer consumer1'],
    ['creating consumer consumer2', 'creating key-auth 87654 for consumer consumer2'],
    ['creating plugin rate-limiting for consumer consumer1', 'creating plugin rate-limiting for consumer consumer2'],
  ];

  it('prints the decK lines of each step, and nothing when a step is applied again', () => {
    let state: GatewayState = emptyGatewayState();
    WORKSHOP_STEPS.forEach((text, step) => {
      const result = pureSync(text, state);
      expect(result.lines, `step ${step + 1}`).toEqual(expected[step]);
      expect(result.summary).toEqual({ created: expected[step].length, updated: 0, deleted: 0 });
      state = result.after;

      const again = pureSync(text, state);
      expect(again.lines, `step ${step + 1} again`).toEqual([]);
      expect(again.summary).toEqual({ created: 0, updated: 0, deleted: 0 });
      state = again.after;
    });
  });

  it('keeps the ids of what runs already (decK updates in place), key-auth credentials included', () => {
    const first = pureSync(WORKSHOP_STEPS[1]);
    const second = pureSync(WORKSHOP_STEPS[2], first.after);
    const credential = (state: GatewayState, key: string) => state.nodes.find((node) => node.collection === 'keyauth_credentials' && node.entity.key === key);
    expect(credential(second.after, '123456')?.entity.id).toBe(credential(first.after, '123456')?.entity.id);
    const service = (state: GatewayState) => state.nodes.find((node) => node.collection === 'services');
    expect(service(second.after)?.entity.id).toBe(service(first.after)?.entity.id);
  });

  it("formats decK's summary, and zeros alone when there is nothing to do", () => {
    const first = pureSync(WORKSHOP_STEPS[0]);
    const report = { changes: first.changes, summary: first.summary, counters: 'cleared' as const, configurationHash: 'x' };
    expect(formatSyncReport(report)).toBe(
      [
        'creating service httpbin-service',
        'creating route httpbin-route',
        'creating plugin key-auth for service httpbin-service',
        'Summary:',
        '  Created: 3',
        '  Updated: 0',
        '  Deleted: 0',
      ].join('\n'),
    );
    const nothing = { changes: [], summary: { created: 0, updated: 0, deleted: 0 }, counters: 'kept' as const, configurationHash: 'x' };
    expect(formatSyncReport(nothing)).toBe('Summary:\n  Created: 0\n  Updated: 0\n  Deleted: 0');
  });

  it('deletes what a later file leaves out, children first (decK reverse order)', () => {
    let state = emptyGatewayState();
    for (const text of WORKSHOP_STEPS) state = pureSync(text, state).after;
    const back = pureSync(WORKSHOP_STEPS[0], state);
    expect(back.lines).toEqual([
      'deleting plugin rate-limiting for consumer consumer1',
      'deleting plugin rate-limiting for consumer consumer2',
      'deleting key-auth 23456 for consumer consumer1',
      'deleting key-auth 87654 for consumer consumer2',
      'deleting consumer consumer1',
      'deleting consumer consumer2',
    ]);
    expect(back.summary).toEqual({ created: 0, updated: 0, deleted: 6 });
  });

  it('never prints a key-auth key in full', () => {
    let state = emptyGatewayState();
    const lines: string[] = [];
    for (const text of WORKSHOP_STEPS) {
      const result = pureSync(text, state);
      lines.push(...result.lines);
      state = result.after;
    }
    lines.push(...pureSync(WORKSHOP_STEPS[0], state).lines);
    for (const key of ['123456', '987654']) expect(lines.join('\n')).not.toContain(key);
  });
});
