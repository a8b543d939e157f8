import { CATEGORIES, type Category } from '../../domain/policy-type'
import { POLICY_TYPES, typesInCategory } from './registry'

/** A policy type of the registry as the API lists it (listPolicyTypes). */
export interface PolicyTypeInfo {
  key: string
  label: string
  category: Category
  path: string
  permissions: string[]
  foundation: boolean
  licenseGated: boolean
}

/** A category with its label and its policy types, in registry order (listCategories). */
export interface CategoryInfo {
  key: Category
  label: string
  policyTypes: string[]
}

export const CATEGORY_LABELS: Record<Category, string> = {
  configuration: 'Configuration',
  compliance: 'Compliance',
  security: 'Endpoint security',
  apps: 'Apps',
  scripts: 'Scripts',
  updates: 'Updates',
  enrollment: 'Enrollment',
  tenant_admin: 'Tenant administration',
  identity: 'Identity'
}

export function listPolicyTypes(): PolicyTypeInfo[] {
  return POLICY_TYPES.map((t) => ({
    key: t.key,
    label: t.label,
    category: t.category,
    path: t.path,
    permissions: [...t.permissions],
    foundation: t.foundation ?? false,
    licenseGated: t.licenseGated ?? false
  }))
}

export function listCategories(): CategoryInfo[] {
  return CATEGORIES.map((key) => ({
    key,
    label: CATEGORY_LABELS[key],
    policyTypes: typesInCategory(key).map((t) => t.key)
  }))
}
