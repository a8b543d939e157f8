/**
 * The demo tenant's scenario: what the simulator serves and how the second look differs from the first.
 * Kept apart from demo-tenant.ts and demo-data.ts so both can import it without a cycle, and so reading a
 * constant never loads the tenant generator.
 */
export const DEMO_SEED = 20_260_101
export const DEMO_SIZE = 400

/** the collection the simulator refuses (403) from the second demo sync on */
export const DEMO_FORBIDDEN_PATH = '/deviceManagement/deviceManagementScripts'
export const DEMO_FORBIDDEN_SCOPES = [
  'DeviceManagementScripts.Read.All',
  'DeviceManagementConfiguration.Read.All'
]
/** how many objects the simulator "deletes" before the second demo sync */
export const DEMO_DELETED_COUNT = 12

/** `first`: the pristine tenant. `changed`: some objects deleted and one type forbidden (a later sync). */
export type DemoScenario = 'first' | 'changed'
