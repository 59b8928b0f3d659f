// The sync pipeline without HTTP: parse → decK keys → prepare → plan → (fake) apply → diff.

import { readDeclarationMeta } from '../../src/deck/declaration-meta.js';
import { diffStates, summarize } from '../../src/deck/diff-states.js';
import { hasAllTags } from '../../src/deck/entity-model.js';
import { emptyGatewayState, type GatewayState } from '../../src/deck/gateway-state.js';
import { parseDeclaration } from '../../src/deck/parse-declaration.js';
import { planSync } from '../../src/deck/plan-sync.js';
import { prepareDeclaration } from '../../src/deck/prepare-declaration.js';
import { fakeApply } from './fake-gateway.js';
import { SyncError } from '../../src/deck/errors.js';

export function pureSync(text: string, current: GatewayState = emptyGatewayState(), options: { source?: string; selectTags?: string[] } = {}) {
  const source = options.source ?? 'key-auth.yaml';
  const parsed = parseDeclaration(text, source);
  const meta = readDeclarationMeta(parsed, options.selectTags ?? []);
  const prepared = prepareDeclaration(parsed, meta);
  const plan = planSync({ source, positionOf: parsed.positionOf, prepared, meta, current });
  const after = fakeApply(plan.declaration);
  const scope = (state: GatewayState) => state.nodes.filter((node) => hasAllTags(node.entity, meta.selectTags));
  const changes = diffStates(scope(current), scope(after));
  return { parsed, meta, plan, after, changes, summary: summarize(changes), lines: changes.map((change) => change.line) };
}

/** The SyncError `run` throws (any other error, or none, fails the test). */
export function syncErrorOf(run: () => unknown): SyncError {
  try {
    run();
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('expected a SyncError');
}
