import type { Command } from 'commander'
import type { Action } from '../context'
import { EXIT } from '../exit-codes'
import { formatTable, writeJson } from '../output'

export function registerTypesCommand(program: Command, action: Action): void {
  program
    .command('types')
    .description('list the policy types and categories that --types and --categories accept')
    .action(
      action((ctx) => {
        const api = ctx.atlas()
        const categories = api.listCategories()
        const policyTypes = api.listPolicyTypes()
        if (ctx.json) {
          writeJson(ctx.io.stdout, { categories, policyTypes })
          return EXIT.OK
        }
        const label = new Map(categories.map((c) => [c.key as string, c.label]))
        const order = categories.map((c) => c.key as string)
        const sorted = [...policyTypes].sort(
          (a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.key.localeCompare(b.key)
        )
        ctx.io.stdout.write(
          formatTable(
            [
              { header: 'Category' },
              { header: 'Type (--types)' },
              { header: 'Label' },
              { header: 'Graph path' }
            ],
            sorted.map((t) => [
              `${t.category} (${label.get(t.category) ?? t.category})`,
              t.key,
              t.label,
              t.path
            ])
          )
        )
        return EXIT.OK
      })
    )
}
