import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';

/** The product's top-level folders (those that exist): everything but tests, benchmarks and the browser page. */
export const PRODUCT_FOLDERS = ['core', 'channels', 'broker', 'sources', 'serving', 'scaler', 'dashboard', 'cli'];

/** One relative import of a file: `import`, `export … from`, `import()` or an `import('…')` type. */
export interface ImportEdge {
  /** Importing file, relative to the root (posix separators). */
  from: string;
  /** Imported file, relative to the root (`.js` read as the `.ts` it is compiled from). */
  to: string;
  /** The module specifier as written. */
  specifier: string;
  /** `static` (import / export-from, type-only ones included), `dynamic` (import()) or `type` (an import('…') type). */
  kind: 'static' | 'dynamic' | 'type';
}

/** Every .ts file under `folders` of `root`, relative to it; dashboard/static (browser files) is left out. */
export function sourceFiles(root: string, folders: string[] = PRODUCT_FOLDERS): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
      const path = posix.join(folder, entry.name);
      if (entry.isDirectory()) return path === 'dashboard/static' ? [] : walk(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });
  return folders.filter((folder) => existsSync(join(root, folder))).flatMap(walk).sort();
}

/** The relative imports of one file, read from its syntax tree (TypeScript's parser, no type checking). */
export function importsOf(root: string, file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (literal: ts.Node | undefined, kind: ImportEdge['kind']) => {
    if (!literal || !ts.isStringLiteralLike(literal) || !literal.text.startsWith('.')) return;
    const target = relative(root, join(root, dirname(file), literal.text)).split('\\').join('/');
    edges.push({ from: file, to: target.replace(/\.js$/, '.ts'), specifier: literal.text, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, 'static');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, 'static');
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'type');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/**
 * The cycles of an import graph: one per strongly connected component (Tarjan), given as its
 * shortest path from the component's first file back to that file, e.g. [a.ts, b.ts, a.ts].
 */
export function findCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || next.get(file)?.includes(file)) components.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) connect(file);
  return components.map((component) => shortestLoop(component[0], new Set(component), next));
}

/** Breadth-first: the shortest path from `start` back to itself inside one component. */
function shortestLoop(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of next.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path: string[] = [];
        for (let at = file; at !== start; at = previous.get(at)!) path.unshift(at);
        return [start, ...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
