// The console's entry: app.js and what it imports (console.js, and the package's domain module
// from ./pkg/domain.js), or, when the package is not next to this page, a message that says so.
try {
  await import('./app.js');
} catch (e) {
  const loader = document.getElementById('loader');
  if (loader) {
    loader.classList.add('failure');
    loader.textContent = `The console did not load: ${e instanceof Error ? e.message : String(e)}. `
      + 'Serve the package’s pkg/ folder next to this page (ncloud-gateway does, with pkg_dir).';
  }
}
