#!/usr/bin/env node
// `npm test`: the one test command (README, .ci/run). Runs each gate in order and prints a closing
// "N passed, N failed" line counted from the test runners' JSON reports, so CI shows how many tests ran.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const steps = [
  ['typecheck (node side)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['typecheck (web side)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.web.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['layers', 'npm', ['run', '--silent', 'lint:layers']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['build', 'npx', ['electron-vite', 'build']],
  [
    'unit+integration',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.vitest-report.json']
  ]
]
if (existsSync('playwright.config.ts') && process.env.SKIP_E2E !== '1') {
  steps.push([
    'renderer e2e',
    'npx',
    ['playwright', 'test', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: '.playwright-report.json' }
  ])
}

let passed = 0
let failed = 0
let gateFailed = false
rmSync('.vitest-report.json', { force: true })
rmSync('.playwright-report.json', { force: true })
for (const [name, cmd, args, env] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    console.log(`=== ${name} FAILED (exit ${r.status})`)
    gateFailed = true
    if (!name.includes('e2e') && !name.includes('unit')) failed++
  }
}
if (existsSync('.vitest-report.json')) {
  const report = JSON.parse(readFileSync('.vitest-report.json', 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
}
if (existsSync('.playwright-report.json')) {
  const report = JSON.parse(readFileSync('.playwright-report.json', 'utf8'))
  passed += report.stats?.expected ?? 0
  failed += (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0)
}
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(gateFailed || failed > 0 ? 1 : 0)
