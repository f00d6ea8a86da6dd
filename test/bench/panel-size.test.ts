import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importsOf, measurePanelSize } from './panel-size';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A built extension in miniature: file path -> content. */
function built(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'panel-size-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

describe('the panel size measure', () => {
  it('reads static imports, re-exports and dynamic imports from the syntax, not from strings that look like them', () => {
    const source = `import{a}from"./a.js";import"./side.js";export*from"./all.js";export{b}from"./b.js";const s='import("./not-an-import.js")';const l=()=>import("./lazy.js");`;
    expect(importsOf(source)).toEqual({ static: ['./a.js', './side.js', './all.js', './b.js'], dynamic: ['./lazy.js'] });
  });

  it('counts what the page loads statically as initial, what only dynamic imports reach as lazy, and nothing else', () => {
    const dir = built({
      'devtools-panel.html': '<script type="module" crossorigin src="/chunks/entry.js"></script><link rel="modulepreload" href="/chunks/preloaded.js"><link rel="stylesheet" href="/assets/panel.css">',
      'chunks/entry.js': 'import"./shared.js";const w=()=>import("./whatif.js");',
      'chunks/preloaded.js': 'export const p=1;',
      'chunks/shared.js': 'export const s=1;',
      // Reached dynamically, and it reaches shared.js again (already initial) and a chunk of its own.
      'chunks/whatif.js': 'import"./shared.js";import"./whatif-dep.js";',
      'chunks/whatif-dep.js': 'export const d=1;',
      'chunks/panel-demo.js': 'import"./shared.js";',
      'assets/panel.css': 'body{color:red}',
    });
    const size = measurePanelSize(dir);
    expect(size.initial.map((s) => s.file)).toEqual(['chunks/entry.js', 'chunks/preloaded.js', 'chunks/shared.js']);
    expect(size.lazy.map((s) => s.file)).toEqual(['chunks/whatif-dep.js', 'chunks/whatif.js']);
    expect(size.initialGzipBytes).toBe(size.initial.reduce((sum, s) => sum + s.gzipBytes, 0));
    expect(size.cssGzipBytes).toBeGreaterThan(0);
  });
});
