// symnet in Pyodide, off the page's thread: typing and the preview stay quick while Python
// loads and checks.  Requests are {id, kind, text, at} (at: a quiz variant's point, as JSON,
// or null); replies {id, reply} (symnet's JSON, parsed) or {id, failed}, and {ready} or
// {startFailed} once.  Nothing the student types leaves the browser: the wheels come from
// beside the page, Pyodide from its base URL.
let session;

async function start(config) {
  const base = new URL(config.pyodide, self.location.href).href;
  const { loadPyodide } = await import(base + "pyodide.mjs");  // a module worker's import
  const pyodide = await loadPyodide({ indexURL: base });
  // every wheel by its URL: nothing is resolved, so symnet's NumPy is never fetched
  await pyodide.loadPackage(config.wheels.map((w) => new URL(w, self.location.href).href),
                            { messageCallback: () => {} });
  const browser = pyodide.pyimport("symnet.web.browser");
  session = browser.Session(JSON.stringify(config.model), config.wrt, config.digits);
  self.postMessage({ ready: true });
}

let started;
self.onmessage = async (event) => {
  const { id, kind, text, at, config } = event.data;
  if (config) {
    started = start(config);
    started.catch((error) => self.postMessage({ startFailed: String(error) }));
    return;
  }
  try {
    await started;
    self.postMessage({ id, reply: JSON.parse(session.reply(kind, text, at)) });
  } catch (error) {
    self.postMessage({ id, failed: String(error) });
  }
};
