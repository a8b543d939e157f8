import { asc, eq } from 'drizzle-orm'
import type { Orm } from '../client'
import { tenants } from '../schema'

export type TenantRow = typeof tenants.$inferSelect
export type NewTenantRow = typeof tenants.$inferInsert

/** Tenant records. Holds references to secrets (secret_ref), never secrets. */
export class TenantsRepo {
  constructor(private readonly orm: Orm) {}

  list(): TenantRow[] {
    return this.orm.select().from(tenants).orderBy(asc(tenants.displayName)).all()
  }

  get(id: string): TenantRow | undefined {
    return this.orm.select().from(tenants).where(eq(tenants.id, id)).get()
  }

  findByName(displayName: string): TenantRow | undefined {
    return this.orm.select().from(tenants).where(eq(tenants.displayName, displayName)).get()
  }

  insert(row: NewTenantRow): TenantRow {
    return this.orm.insert(tenants).values(row).returning().get()
  }

  update(id: string, patch: Partial<Omit<NewTenantRow, 'id' | 'createdAt'>>): TenantRow | undefined {
    return this.orm.update(tenants).set(patch).where(eq(tenants.id, id)).returning().get()
  }

  /** Removes the tenant with its items, observations, runs and locks (foreign keys cascade). */
  remove(id: string): boolean {
    return this.orm.delete(tenants).where(eq(tenants.id, id)).run().changes > 0
  }
}
