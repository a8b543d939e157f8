import type Database from 'better-sqlite3'
import { AtlasError } from '../../domain/error-codes'

/** Bounds of the settings store: a preference is small; a list of saved views stays well under this. */
export const SETTINGS_LIMITS = { keyLength: 100, valueBytes: 256 * 1024 } as const

/**
 * Key → JSON value store for the user's preferences and saved views. Values go in and come out as JSON
 * text checked here, so nothing the store hands back fails to parse and no value grows without bound.
 */
export class SettingsRepo {
  private readonly getStmt: Database.Statement
  private readonly putStmt: Database.Statement
  private readonly deleteStmt: Database.Statement

  constructor(sqlite: Database.Database) {
    this.getStmt = sqlite.prepare('SELECT value_json AS valueJson FROM settings WHERE key = ?')
    this.putStmt = sqlite.prepare(
      `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`
    )
    this.deleteStmt = sqlite.prepare('DELETE FROM settings WHERE key = ?')
  }

  /** The stored value, or undefined when the key was never set. */
  get(key: string): unknown {
    checkKey(key)
    const row = this.getStmt.get(key) as { valueJson: string } | undefined
    if (!row) return undefined
    return parseJson(key, row.valueJson)
  }

  /** Stores JSON text as given (after checking it parses and fits). */
  setJson(key: string, json: string, nowIso: string): void {
    checkKey(key)
    checkSize(key, json)
    parseJson(key, json)
    this.putStmt.run(key, json, nowIso)
  }

  /** Stores a value that JSON can represent (no undefined, functions, BigInt or cycles). */
  set(key: string, value: unknown, nowIso: string): void {
    let json: string | undefined
    try {
      json = JSON.stringify(value)
    } catch (err) {
      throw new AtlasError(
        'INVALID_INPUT',
        `Setting ${key}: the value cannot be stored as JSON (${String(err)}).`
      )
    }
    if (json === undefined) {
      throw new AtlasError('INVALID_INPUT', `Setting ${key}: the value cannot be stored as JSON.`)
    }
    this.setJson(key, json, nowIso)
  }

  delete(key: string): boolean {
    checkKey(key)
    return this.deleteStmt.run(key).changes > 0
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > SETTINGS_LIMITS.keyLength) {
    throw new AtlasError(
      'INVALID_INPUT',
      `Setting key must be 1 to ${SETTINGS_LIMITS.keyLength} characters (got ${key.length}).`
    )
  }
}

function checkSize(key: string, json: string): void {
  const bytes = Buffer.byteLength(json, 'utf8')
  if (bytes > SETTINGS_LIMITS.valueBytes) {
    throw new AtlasError(
      'INVALID_INPUT',
      `Setting ${key} is ${bytes} bytes; at most ${SETTINGS_LIMITS.valueBytes} are kept.`
    )
  }
}

function parseJson(key: string, json: string): unknown {
  try {
    return JSON.parse(json) as unknown
  } catch {
    throw new AtlasError('INVALID_INPUT', `Setting ${key} is not valid JSON.`)
  }
}
