import { describe, expect, it } from 'vitest';
import { readDeclarationMeta } from '../../src/deck/declaration-meta.js';
import { SyncError } from '../../src/deck/errors.js';
import { parseDeclaration } from '../../src/deck/parse-declaration.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

function meta(text: string, flagTags: string[] = []) {
  return readDeclarationMeta(parseDeclaration(text, 'kong.yaml'), flagTags);
}

function errorOf(text: string, flagTags: string[] = []): SyncError {
  try {
    meta(text, flagTags);
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('expected a SyncError');
}

describe('decK keys of a declaration', () => {
  it("reads the workshop file's _konnect and _info", () => {
    expect(meta(WORKSHOP_STEPS[0])).toEqual({ selectTags: ['httpbin-service-route'], defaults: {}, lookupTags: {}, controlPlane: 'kong-workshop' });
  });

  it("refuses other format versions with decK's message, a missing one counting as 1.1", () => {
    expect(errorOf('_format_version: "1.1"\nservices: []\n').message).toContain("cannot apply '1.1' config format version to Kong version 3.0 or above.");
    const missing = errorOf('services: []\n');
    expect(missing.message).toContain("cannot apply '1.1' config format version");
    expect(errorOf('services: []\n_format_version: "2.1"\n').line).toBe(2);
  });

  it('explains an unquoted 3.0', () => {
    expect(errorOf('_format_version: 3.0\n').message).toContain('write _format_version: "3.0"');
  });

  it('accepts control_plane_name or runtime_group_name, not both', () => {
    expect(meta('_format_version: "3.0"\n_konnect:\n  runtime_group_name: rg\n').controlPlane).toBe('rg');
    const both = errorOf('_format_version: "3.0"\n_konnect:\n  control_plane_name: a\n  runtime_group_name: b\n');
    expect(both.message).toContain('cannot set both runtime_group_name and control_plane_name');
    expect(both.line).toBe(3);
    expect(errorOf('_format_version: "3.0"\n_konnect:\n  control_plane: a\n').message).toContain('_konnect.control_plane is not a decK setting');
  });

  it('refuses _workspace (decK in Konnect mode does too)', () => {
    expect(errorOf('_format_version: "3.0"\n_konnect:\n  control_plane_name: a\n_workspace: w\n').message).toContain('Workspaces are not supported in Konnect');
    expect(errorOf('_format_version: "3.0"\n_workspace: w\n').message).toContain('_workspace is not supported');
  });

  it('reads _info.defaults and default_lookup_tags', () => {
    const read = meta(
      '_format_version: "3.0"\n_info:\n  defaults:\n    service:\n      port: 8080\n  default_lookup_tags:\n    consumers: [global]\n',
    );
    expect(read.defaults).toEqual({ service: { port: 8080 } });
    expect(read.lookupTags).toEqual({ consumers: ['global'] });
    expect(errorOf('_format_version: "3.0"\n_info:\n  default_lookup_tags:\n    consumers: []\n').message).toContain('global consumers specified but no global tags');
    expect(errorOf('_format_version: "3.0"\n_info:\n  defaults:\n    plugin: {}\n').message).toContain('_info.defaults.plugin is not supported');
    expect(errorOf('_format_version: "3.0"\n_info:\n  select_tags: mine\n').message).toContain('_info.select_tags must be a list');
  });

  it('takes --select-tag values, which must equal the file\'s when both are given', () => {
    expect(meta('_format_version: "3.0"\n', ['a', 'b']).selectTags).toEqual(['a', 'b']);
    expect(meta(WORKSHOP_STEPS[0], ['httpbin-service-route']).selectTags).toEqual(['httpbin-service-route']);
    const differ = errorOf(WORKSHOP_STEPS[0], ['other']);
    expect(differ.message).toContain('tags specified in the state file ([httpbin-service-route]) and via --select-tags flag ([other]) are different');
  });
});
