// The console imports ./pkg/index.browser.js, the package's browser entry: the package's types.
export * from '../../../../pkg/index.js';
