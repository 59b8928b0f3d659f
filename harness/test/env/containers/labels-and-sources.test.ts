import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { aptSourcesMirror, rootfsImageTag } from '../../../src/env/containers/debian-rootfs.js';
import { DEBIAN_RECIPES } from '../../../src/env/containers/base-images.js';
import { currentOwner, LABEL_OWNER_STARTED, ownerLabels, ownerState } from '../../../src/env/containers/labels.js';

describe('owner labels (what the next start may clean up)', () => {
  it('call this process alive', () => {
    expect(ownerState(ownerLabels())).toBe('alive');
  });

  it('call a finished process gone', async () => {
    const child = execa(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await child;
    expect(ownerState(ownerLabels({ host: hostname(), pid, started: '' }))).toBe('gone');
  });

  it('call a recycled pid gone (same pid, other start time)', () => {
    const labels = ownerLabels();
    expect(ownerState({ ...labels, [LABEL_OWNER_STARTED]: `${labels[LABEL_OWNER_STARTED]}0` })).toBe(
      currentOwner().started ? 'gone' : 'alive',
    );
  });

  it("leave another machine's things alone", () => {
    expect(ownerState(ownerLabels({ host: `${hostname()}-elsewhere`, pid: 1, started: '' }))).toBe('elsewhere');
  });
});

describe("the Debian mirror, from apt's own sources", () => {
  it('reads deb822 .sources and one-line .list entries of the suite with main', () => {
    const root = mkdtempSync(join(tmpdir(), 'labkit-apt-'));
    try {
      mkdirSync(join(root, 'sources.list.d'));
      writeFileSync(join(root, 'sources.list.d', 'a-nodesource.sources'), 'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n');
      writeFileSync(
        join(root, 'sources.list.d', 'debian.sources'),
        'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n\n' +
          'Types: deb\n# a comment\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main contrib\n',
      );
      expect(aptSourcesMirror('bookworm', root)).toBe('http://mirror.example/debian');

      rmSync(join(root, 'sources.list.d', 'debian.sources'));
      writeFileSync(join(root, 'sources.list'), '# deb http://old/debian bookworm main\ndeb [arch=amd64] http://one-line.example/debian bookworm main\n');
      expect(aptSourcesMirror('bookworm', root)).toBe('http://one-line.example/debian');
      expect(aptSourcesMirror('trixie', root)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('tags a rootfs image by its recipe and suite', () => {
    const tag = rootfsImageTag(DEBIAN_RECIPES.httpbin, 'bookworm');
    expect(tag).toMatch(/^kong-labkit\/debian-httpbin:bookworm-[0-9a-f]{12}$/);
    expect(rootfsImageTag(DEBIAN_RECIPES.httpbin, 'bookworm')).toBe(tag);
    expect(rootfsImageTag(DEBIAN_RECIPES.httpbin, 'trixie')).not.toBe(tag);
  });
});
