// A page's Python, started once in Node.js and saved as a memory snapshot (symnet page
// --bytecode): the browser restores it instead of starting Python and importing SymPy.
//   node snapshot.mjs PYODIDE_FOLDER WHEELS_FOLDER START.py OUT
// The wheels are put where worker.js puts them (/lib/symnet-page/, on sys.path as zip files,
// which Python imports from: the same bytes must be there when the snapshot is restored);
// START.py builds the page's session and warms it; OUT is Pyodide's snapshot of the memory.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [folder, wheels, start, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(folder) + "/", _makeSnapshot: true,
                                    stdout: () => {}, stderr: () => {} });
pyodide.FS.mkdirTree("/lib/symnet-page");
for (const name of fs.readdirSync(wheels).sort()) {
  pyodide.FS.writeFile(`/lib/symnet-page/${name}`, fs.readFileSync(path.join(wheels, name)));
}
pyodide.runPython(fs.readFileSync(start, "utf8"));
fs.writeFileSync(output, pyodide.makeMemorySnapshot());
