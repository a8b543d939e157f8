/** What one sync covers. Only keys that change the scope belong here (they are hashed). */
export interface SelectionInput {
  policy_types?: string[]
  categories?: string[]
  include_foundations?: boolean
  include_dependencies?: boolean
}

export interface NormalizedSelection {
  categories: string[]
  include_dependencies: boolean
  include_foundations: boolean
  policy_types: string[]
}
