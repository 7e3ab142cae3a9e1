// Python sources compiled to bytecode by Pyodide's own CPython (symnet page --bytecode):
//   node compile.mjs PYODIDE_FOLDER IN.zip OUT.zip
// IN.zip holds .py files by their paths in a wheel; OUT.zip the same paths ending in .pyc (a
// "sourceless" module, which Python imports without its source).  A file that does not compile
// is left out of OUT.zip, and keeps its source.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [folder, input, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(folder) + "/", stdout: () => {},
                                    stderr: () => {} });
pyodide.FS.writeFile("/tmp/in.zip", fs.readFileSync(input));
pyodide.runPython(`
import os, py_compile, warnings, zipfile
warnings.simplefilter("ignore")  # SyntaxWarnings of the packages' own
with zipfile.ZipFile("/tmp/in.zip") as zin, zipfile.ZipFile("/tmp/out.zip", "w") as zout:
    for name in zin.namelist():
        source = "/tmp/src/" + name
        os.makedirs(os.path.dirname(source), exist_ok=True)
        with open(source, "wb") as f:
            f.write(zin.read(name))
        try:
            py_compile.compile(source, cfile=source + "c", dfile=name, doraise=True)
        except py_compile.PyCompileError:
            continue
        with open(source + "c", "rb") as f:
            zout.writestr(name + "c", f.read())
`);
fs.writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
