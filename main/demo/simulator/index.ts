/** Fakes shared by the test suites and the product's demo tenant (plain Node, no test-framework imports). */
export * from './graph-catalog'
export * from './tenant-generator'
export * from './graph-fake'
export * from './identity-fake'
