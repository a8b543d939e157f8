export * from './error-codes'
export * from './run'
export * from './policy-type'
export * from './selection'
