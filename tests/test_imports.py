"""Plain imports: the namespace does not depend on what was imported before, no function hides
its module, deriving and checking run without NumPy, and everything runs from many threads.

What happens on import is seen in a fresh interpreter (``sys.executable``), where nothing is
imported yet."""

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import symnet
import symnet.cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(symnet.__file__).parent


def run(code):
    """Run ``code`` in a fresh interpreter; its standard output, or the failure's stderr."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def type_checking_imports(path):
    """``{module: [names]}`` imported under ``if TYPE_CHECKING:`` in ``path``."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom):
                    found[imp.module] = [alias.name for alias in imp.names]
    return found


def test_the_type_checking_imports_are_the_names_symnet_exports():
    """What mypy and editors read is what ``symnet.__getattr__`` imports on first use."""
    assert type_checking_imports(PACKAGE / "__init__.py") == symnet._EXPORTS


def test_the_type_checking_imports_of_the_cli_are_its_commands():
    """import-linter sees the edge from the CLI to each subcommand it imports when chosen."""
    found = type_checking_imports(PACKAGE / "cli.py")
    assert found == {"commands": sorted(symnet.cli.COMMANDS)}


SUBMODULES = sorted(m.name for m in pkgutil.iter_modules(symnet.__path__) if m.name != "__main__")

DESCRIBE = """
import json, types
import symnet
def describe(obj):
    if isinstance(obj, types.ModuleType):
        return "module " + obj.__name__
    return f"{type(obj).__name__} {getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
names = sorted({*dir(symnet), *%r})
print(json.dumps({name: describe(getattr(symnet, name)) for name in names}))
""" % (SUBMODULES,)


def test_the_namespace_is_the_same_whatever_was_imported_before():
    """``symnet.derive`` is the module in a fresh interpreter too (it used to raise there and be
    the module after one derivation); every exported name is always the same object."""
    before = ["",
              "import symnet.derive",
              "import symnet.sheets.sheet, symnet.commands.worksheet",
              "import symnet as sn; sn.Network('2-2-1').derive('w1').result",
              "import symnet as sn; sn.check(sn.Network('2-2-1'), 'w5', '2*N1')",
              "import symnet.cli; symnet.cli.main(['derive', '2-2-1', '--wrt', 'w1'])"]
    seen = [json.loads(run(prelude + "\n" + DESCRIBE).splitlines()[-1]) for prelude in before]
    assert all(s == seen[0] for s in seen[1:])
    assert seen[0]["derive"] == "module symnet.derive"
    assert seen[0]["Network"] == "type symnet.network.Network"
    assert seen[0]["worksheet"] == "function symnet.sheets.sheet.worksheet"


def test_no_name_of_a_package_hides_one_of_its_modules():
    """``import symnet.sheets.sheet as m`` gives the module: no function, class or constant of a
    package is called like one of the package's modules."""
    for info in pkgutil.walk_packages(symnet.__path__, "symnet."):
        if not info.name.endswith("__main__"):  # runs the command line
            importlib.import_module(info.name)
    for name, module in sorted(sys.modules.items()):
        if name.startswith("symnet."):
            parent, _, leaf = name.rpartition(".")
            assert getattr(sys.modules[parent], leaf) is module, name


def test_help_imports_no_sympy():
    """``symnet --help`` answers at once: the subcommands, and SymPy, load only when chosen."""
    out = run("import sys\nfrom symnet.cli import main\ntry:\n    main(['--help'])\n"
              "finally:\n    print(sorted(m for m in ('sympy', 'numpy') if m in sys.modules))")
    assert out.splitlines()[-1] == "[]"


NO_NUMPY = """
import sys

class NoNumPy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError(f"No module named {name!r} (blocked)")

sys.meta_path.insert(0, NoNumPy())
"""


def test_deriving_and_checking_need_no_numpy():
    """Where NumPy is not installed (a browser's Pyodide has SymPy), deriving and checking work:
    a right answer, a wrong one with its diagnosis and credit, and the command line's two."""
    out = run(NO_NUMPY + """
import symnet as sn
net = sn.Network("2-2-1", activation="sigmoid")
print(sn.text(net.derive("w1").result))
right = sn.check(net, "w5", "2*(yhat - y)*h1")
wrong = sn.check(net, "w1", "2*(yhat - y)*w5*sigmoid(N1)*x1")
print(right.correct, wrong.correct, 0 < wrong.credit < 1)
print(wrong.diagnosis[0])
print(sn.check_derivation(net, "w5", "dL/dw5 = dL/dyhat * dyhat/dw5\\n= 2*(yhat - y)*h2").correct)
from symnet.cli import main
print(main(["derive", "2-2-1", "--wrt", "w5"]), main(["check", "2-2-1", "--wrt", "w5", "2*N1"]))
print("numpy" in sys.modules)
try:
    net.fit([[0.0, 1.0]], [1.0], epochs=1, progress=False)
except ImportError as exc:
    print("fit:", exc)
""").splitlines()
    assert out[0] == "2*w5*x1*(yhat - y)*sigmoid(N1)*(1 - sigmoid(N1))"
    assert out[1] == "True False True"
    assert "sigmoid(N1)" in out[2]  # σ where σ' belongs: the diagnosis names it
    assert out[3] == "False"
    assert out[-3:] == ["0 1", "False", "fit: No module named 'numpy' (blocked)"]


def test_sixteen_threads_fit_check_and_init_at_once():
    """Threads of a fresh interpreter that first touch training, checking and initialising at the
    same moment all succeed (a lazily loaded module used to be seen half-initialised)."""
    out = run("""
import sys
import threading
import traceback
import symnet as sn

barrier = threading.Barrier(16)
results, errors = [], []

def work(i):
    try:
        barrier.wait()
        net = sn.Network("2-2-1", activation="sigmoid")
        kind = i % 4
        if kind == 0:
            result = net.fit([[0.0, 1.0], [1.0, 0.0]], [0.0, 1.0], lr=0.5, epochs=3,
                             progress=False)
            results.append(("fit", len(result.history)))
        elif kind == 1:
            results.append(("right", sn.check(net, "w5", "2*(yhat - y)*h1").correct))
        elif kind == 2:
            wrong = sn.check(net, "w1", "2*(yhat - y)*w5*sigmoid(N1)*x1")
            results.append(("wrong", wrong.correct, bool(wrong.diagnosis)))
        else:
            results.append(("init", len(net.init_params(seed=i))))
    except BaseException as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stdout)  # where: shown by the assertion below

threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(errors)
print(sorted(set(results)))
""").splitlines()
    assert out[-2] == "[]", "\n".join(out)
    assert out[-1] == str([("fit", 3), ("init", 9), ("right", True), ("wrong", False, True)])
