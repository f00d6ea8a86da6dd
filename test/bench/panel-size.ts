import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'acorn';

/**
 * What the panel page costs to load, from the built extension: "initial panel JS" is every script
 * devtools-panel.html loads before the panel can draw (its module script, its modulepreloads and
 * everything they import statically, transitively); "lazy chunks" are the scripts reachable only
 * through a dynamic `import()` (the What if editor, a fix platform's renderer), fetched when first
 * used. Each file is gzipped on its own at level 9, as a store or a CDN would serve it.
 */
export interface ScriptSize {
  /** Path inside the built extension, e.g. `chunks/App-x.js`. */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface PanelSize {
  readonly initial: readonly ScriptSize[];
  readonly lazy: readonly ScriptSize[];
  readonly initialGzipBytes: number;
  readonly lazyGzipBytes: number;
  /** Stylesheets the page links (not JS; reported beside it). */
  readonly cssGzipBytes: number;
}

type Node = { readonly type: string; readonly [key: string]: unknown };

/** Static and dynamic import specifiers of one ES module, from its syntax tree (not a regex over minified code). */
export function importsOf(source: string): { readonly static: string[]; readonly dynamic: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
    const n = node as Node;
    const specifier = (n.source as Node | null | undefined)?.value;
    if (typeof specifier === 'string') {
      if (n.type === 'ImportExpression') found.dynamic.push(specifier);
      else if (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') found.static.push(specifier);
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(parse(source, { ecmaVersion: 'latest', sourceType: 'module' }));
  return found;
}

/** Relative specifiers only: bare ones would be resolved by an import map the extension does not have. */
function resolve(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith('/')) return specifier.slice(1);
  if (specifier.startsWith('./') || specifier.startsWith('../')) return posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  return null;
}

export function measurePanelSize(builtExtension: string, page = 'devtools-panel.html'): PanelSize {
  const html = readFileSync(join(builtExtension, page), 'utf8');
  const attribute = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1] ?? null;
  const tags = [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);
  const entryScripts = tags
    .filter((tag) => tag.startsWith('<script') || /\brel="modulepreload"/.test(tag))
    .map((tag) => attribute(tag, tag.startsWith('<script') ? 'src' : 'href'))
    .flatMap((src) => (src ? [resolve(page, src)] : []))
    .filter((file): file is string => file !== null);
  const stylesheets = tags.filter((tag) => /\brel="stylesheet"/.test(tag)).flatMap((tag) => attribute(tag, 'href') ?? []);

  const graph = new Map<string, ReturnType<typeof importsOf>>();
  const importsFor = (file: string) => {
    let imports = graph.get(file);
    if (!imports) {
      imports = importsOf(readFileSync(join(builtExtension, file), 'utf8'));
      graph.set(file, imports);
    }
    return imports;
  };
  const closure = (roots: readonly string[], follow: 'static' | 'all', exclude: ReadonlySet<string>) => {
    const seen = new Set<string>();
    const queue = [...roots];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (seen.has(file) || exclude.has(file)) continue;
      seen.add(file);
      const imports = importsFor(file);
      const next = follow === 'static' ? imports.static : [...imports.static, ...imports.dynamic];
      for (const specifier of next) {
        const target = resolve(file, specifier);
        if (target) queue.push(target);
      }
    }
    return seen;
  };

  const initial = closure(entryScripts, 'static', new Set());
  const dynamicRoots = [...initial].flatMap((file) => importsFor(file).dynamic.flatMap((s) => resolve(file, s) ?? []));
  const lazy = closure(dynamicRoots, 'all', initial);

  const sizeOf = (file: string): ScriptSize => {
    const content = readFileSync(join(builtExtension, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  };
  const sum = (sizes: readonly ScriptSize[]) => sizes.reduce((total, size) => total + size.gzipBytes, 0);
  const initialSizes = [...initial].sort().map(sizeOf);
  const lazySizes = [...lazy].sort().map(sizeOf);
  return {
    initial: initialSizes,
    lazy: lazySizes,
    initialGzipBytes: sum(initialSizes),
    lazyGzipBytes: sum(lazySizes),
    cssGzipBytes: stylesheets.reduce((total, href) => total + gzipSync(readFileSync(join(builtExtension, resolve(page, href) ?? href)), { level: 9 }).length, 0),
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
