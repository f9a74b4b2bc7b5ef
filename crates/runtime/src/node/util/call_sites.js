// lode:module internal/util/call_sites
// The current stack as structured call sites (Error.prepareStackTrace's
// view), for util.getCallSites and for built-ins that need to know which
// user code called them (node:test locations, deprecations that spare
// node_modules).

// Up to `limit` sites above `skipAbove` (which itself is left out).
function callSites(limit, skipAbove) {
  const holder = {};
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = (error, sites) => sites;
  try {
    Error.captureStackTrace(holder, skipAbove);
    return holder.stack;
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

// The nearest site outside Lode's built-ins (`node:` files), or undefined.
function firstUserCallSite() {
  return callSites(50, firstUserCallSite).find((site) => {
    const file = site.getFileName();
    return file && !file.startsWith('node:');
  });
}

module.exports = { callSites, firstUserCallSite };
