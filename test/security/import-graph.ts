/**
 * Reads module imports with the TypeScript parser (not a regex over lines), so multi-line imports,
 * `export … from`, dynamic `import()`, `require()` and type-only forms are all seen as what they are.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

export interface ImportRef {
  specifier: string
  /**
   * True only when the module is not loaded at runtime: `import type` / `export type` / `import('x').T`.
   * `import { type A } from 'x'` is NOT type-only here: under verbatimModuleSyntax (our tsconfig) it
   * compiles to `import {} from 'x'`, which still loads and runs the module.
   */
  typeOnly: boolean
  line: number
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx']

export function importsOf(fileName: string, text: string): ImportRef[] {
  const kind = /\.[jt]sx$/.test(fileName) ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind)
  const found: ImportRef[] = []
  const add = (literal: ts.Node, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1
    found.push({ specifier: literal.text, typeOnly, line })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true)
    } else if (ts.isCallExpression(node) && node.arguments[0]) {
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const requireCall = ts.isIdentifier(node.expression) && node.expression.text === 'require'
      if (dynamicImport || requireCall) add(node.arguments[0], false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

export function isElectron(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/')
}

const BUILTINS = new Set(builtinModules)
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)
}

/** Every source file under the given folders of the repo, as repo-relative paths with '/' separators. */
export function sourceFiles(root: string, folders: string[]): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) {
        out.push(toRepoPath(root, full))
      }
    }
  }
  for (const folder of folders) if (existsSync(join(root, folder))) walk(join(root, folder))
  return out.sort()
}

export function toRepoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/')
}

/** Resolves a relative specifier the way the bundler does for our sources; undefined for packages. */
export function resolveRelative(root: string, fromRepoPath: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(root, dirname(fromRepoPath), specifier)
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    // ESM style './x.js' written for a './x.ts' source
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.jsx$/, '.tsx'),
    ...SOURCE_EXTENSIONS.map((ext) => join(base, `index${ext}`))
  ]
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile())
  return toRepoPath(root, hit ?? base)
}

/**
 * Files whose code runs when `entries` run: the closure over relative imports that load a module at
 * runtime (type-only imports are erased and do not count). Returns each file with the import that
 * brought it in, for readable failures.
 */
export function runtimeClosure(
  root: string,
  entries: string[],
  read: (repoPath: string) => string = (p) => readFileSync(join(root, p), 'utf8')
): Map<string, string> {
  const reached = new Map<string, string>(entries.map((e) => [e, 'entry']))
  const queue = [...entries]
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (!SOURCE_EXTENSIONS.some((ext) => file!.endsWith(ext))) continue // css, html: nothing to follow
    for (const ref of importsOf(file, read(file))) {
      if (ref.typeOnly) continue
      const target = resolveRelative(root, file, ref.specifier)
      if (target === undefined || reached.has(target)) continue
      reached.set(target, `${file}:${ref.line}`)
      queue.push(target)
    }
  }
  return reached
}
