// content/ and labs/ tell the same story: one page per lab, and every declaration a page writes is its lab's.
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, REPO_ROOT, findPages, readPage, type WriteFileStep } from '../../src/docs/index.js';
import { loadLabs } from '../../src/spec/index.js';

const pages = findPages(CONTENT_DIR).map((path) => ({ path, shown: relative(REPO_ROOT, path), parsed: readPage(path, relative(REPO_ROOT, path)) }));
const labs = loadLabs();

describe('content/', () => {
  it('has Hugo pages with a title and a weight', () => {
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(typeof page.parsed.frontMatter.title, `${page.shown}: title`).toBe('string');
      expect(typeof page.parsed.frontMatter.weight, `${page.shown}: weight`).toBe('number');
    }
  });

  it('has one page per lab, each naming its lab in the front matter', () => {
    // The module's own folder is one page per lab; other folders (chapter-example) show constructs and name no lab.
    const module = pages.filter((page) => page.shown.startsWith('content/api-key-authentication/'));
    const named = module.filter((page) => basename(page.path) !== '_index.md').map((page) => page.parsed.frontMatter.lab);
    expect(pages.filter((page) => !module.includes(page)).every((page) => page.parsed.frontMatter.lab === undefined)).toBe(true);
    expect([...named].sort()).toEqual(labs.map((lab) => lab.id).sort());
  });

  for (const lab of labs) {
    it(`writes exactly lab ${lab.id}'s declaration, and syncs it`, () => {
      const page = pages.find((candidate) => candidate.parsed.frontMatter.lab === lab.id);
      expect(page, `no page in content/ has lab: ${lab.id}`).toBeDefined();
      const writes = page!.parsed.steps.filter((step): step is WriteFileStep => step.kind === 'write-file');
      expect(writes.length, `${page!.shown} writes no declaration`).toBeGreaterThan(0);
      const expected = yaml.load(readFileSync(lab.declarationPath, 'utf8'));
      for (const write of writes) {
        expect(write.path, `${page!.shown}:${write.at.line}`).toBe(lab.declaration);
        expect(yaml.load(write.text), `${page!.shown}:${write.bodyLine} differs from labs/${lab.id}/${lab.declaration}`).toEqual(expected);
      }
      const syncs = page!.parsed.steps.filter((step) => step.kind === 'deck' && step.action === 'sync');
      expect(syncs.map((step) => (step.kind === 'deck' ? step.files : []))).toContainEqual([lab.declaration]);
    });
  }
});
