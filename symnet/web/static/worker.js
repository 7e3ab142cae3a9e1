// symnet in Pyodide, off the page's thread: typing and the preview stay quick while Python
// loads and checks.  Requests are {id, kind, text, at} (at: a quiz variant's point, as JSON,
// or null); replies {id, reply} (symnet's JSON, parsed) or {id, failed}, and {ready, phases}
// or {startFailed} once.  Nothing the student types leaves the browser: the wheels and the
// snapshot come from beside the page, Pyodide from its base URL.
let session;
const FOLDER = "/lib/symnet-page/";  // where snapshot.mjs put the wheels, imported as zip files

// when each step ended, in ms since the page opened (the benchmark reads them)
const phases = {};
const mark = (name) => { phases[name] = performance.timeOrigin + performance.now(); };

const here = (path) => new URL(path, self.location.href).href;
const bytes = (response) => {
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return response.arrayBuffer();
};

// Python as symnet page --bytecode left it in Node.js: SymPy imported, the session built and
// warm.  Pyodide restores a snapshot into memory as large as it was; its own start gives less,
// so the memory is grown first (an allocation, freed, that the snapshot then overwrites).
async function restore(base, loadPyodide, snapshot, asm) {
  const data = new Uint8Array(await snapshot);
  mark("snapshot fetched");
  const create = (await asm).default;
  const createPyodideModule = (module) => {
    module.onRuntimeInitialized = () => {
      const blocks = [];
      while (module.HEAP8.length < data.length) {
        blocks.push(module._malloc(data.length - module.HEAP8.length));
        if (!blocks.at(-1)) throw new Error("no memory for the snapshot");
      }
      blocks.forEach((block) => module._free(block));
    };
    return create(module);
  };
  return loadPyodide({ indexURL: base, _loadSnapshot: data, createPyodideModule });
}

async function start(config) {
  const base = new URL(config.pyodide, self.location.href).href;
  // fetched while Pyodide loads (after the snapshot, which comes first), unpacked as it arrives
  const fetchWheels = () => Promise.all(config.wheels.map((w) => fetch(here(w)).then(bytes)));
  let wheels = config.snapshot ? null : fetchWheels();
  const { loadPyodide, version } = await import(base + "pyodide.mjs");  // a module worker's
  let pyodide = null;
  if (config.snapshot && version === config.snapshot_pyodide) {
    const snapshot = fetch(here(config.snapshot)).then((response) => bytes(
      new Response(response.body.pipeThrough(new DecompressionStream("gzip")))));
    wheels = snapshot.then(fetchWheels, fetchWheels);
    try {
      pyodide = await restore(base, loadPyodide, snapshot, import(base + "pyodide.asm.mjs"));
    } catch (error) {  // another Pyodide build at the base URL, or no snapshot: start afresh
      console.warn("symnet: starting Python afresh, the snapshot failed:", String(error));
    }
  }
  wheels ??= fetchWheels();
  const fresh = pyodide === null;
  if (fresh) pyodide = await loadPyodide({ indexURL: base });
  mark("Python started");
  pyodide.FS.mkdirTree(FOLDER);
  const paths = config.wheels.map((w) => FOLDER + w.split("/").pop());
  (await wheels).forEach((data, i) => pyodide.FS.writeFile(paths[i], new Uint8Array(data)));
  mark("wheels");
  if (fresh) {
    // every wheel a zip on sys.path: nothing is resolved, so symnet's NumPy is never fetched
    pyodide.pyimport("sys").path.extend(pyodide.toPy(paths));
    const browser = pyodide.pyimport("symnet.web.browser");
    mark("symnet imported");
    session = browser.Session(JSON.stringify(config.model), config.wrt, config.digits);
  } else {
    session = pyodide.globals.get("session");
  }
  mark("session");
  self.postMessage({ ready: true, phases, snapshot: !fresh });
}

let started;
self.onmessage = async (event) => {
  const { id, kind, text, at, config } = event.data;
  if (config) {
    mark("worker");
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
