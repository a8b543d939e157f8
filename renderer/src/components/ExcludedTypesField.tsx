import {
  Combobox,
  Field,
  makeStyles,
  Option,
  OptionGroup,
  Tag,
  TagGroup,
  tokens
} from '@fluentui/react-components'
import type { Workspace } from '../state/use-workspace'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  tags: { flexWrap: 'wrap', rowGap: tokens.spacingVerticalXS },
  // 39 types in 9 groups: a list that scrolls below the field instead of covering the window
  listbox: { maxHeight: '320px', overflowY: 'auto' }
})

/**
 * The policy types a tenant never syncs, picked by their human labels (grouped by category); each chosen
 * type is a tag that a click or Delete removes.
 */
export function ExcludedTypesField({
  ws,
  value,
  onChange
}: {
  ws: Workspace
  value: string[]
  onChange: (types: string[]) => void
}) {
  const styles = useStyles()
  const summary =
    value.length === 0 ? '' : value.length === 1 ? ws.typeLabel(value[0]!) : `${value.length} types excluded`
  return (
    <div className={styles.root}>
      <Field
        label="Excluded policy types"
        hint="Types this tenant never syncs, such as features it has no licence for: they show as not selected in its runs, not as failures."
      >
        <Combobox
          multiselect
          placeholder="None: every selected type is synced"
          value={summary}
          selectedOptions={value}
          onOptionSelect={(_, d) => onChange(d.selectedOptions)}
          data-testid="excluded-types"
          positioning="below-start"
          listbox={{ className: styles.listbox }}
        >
          {ws.categories.map((c) => (
            <OptionGroup key={c.key} label={c.label}>
              {c.policyTypes.map((t) => (
                <Option key={t} value={t}>
                  {ws.typeLabel(t)}
                </Option>
              ))}
            </OptionGroup>
          ))}
        </Combobox>
      </Field>
      {value.length > 0 ? (
        <TagGroup
          className={styles.tags}
          aria-label="Excluded policy types"
          onDismiss={(_, d) => onChange(value.filter((t) => t !== d.value))}
        >
          {value.map((t) => (
            <Tag
              key={t}
              value={t}
              size="small"
              dismissible
              dismissIcon={{ 'aria-label': `Stop excluding ${ws.typeLabel(t)}` }}
            >
              {ws.typeLabel(t)}
            </Tag>
          ))}
        </TagGroup>
      ) : null}
    </div>
  )
}
