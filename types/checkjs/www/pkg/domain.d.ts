// The console imports ./pkg/domain.js, the package's copy of js/domain.js: checked from the source.
export * from '../../../../js/domain.js';
