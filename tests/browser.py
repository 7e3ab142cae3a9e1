"""A real browser for the page's tests and benchmark: headless Chromium driven through
chromedriver's WebDriver protocol (plain HTTP and JSON, no client library), and the files served
by ``python -m http.server``.  ``available()`` says why not, where something is missing."""

import base64
import json
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port, process, what):
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port}")


def available():
    """None when Chromium and chromedriver are installed, else why not."""
    if not any(shutil.which(c) for c in CHROMIUM):
        return "no Chromium (apt-get install chromium)"
    if not shutil.which("chromedriver"):
        return "no chromedriver (apt-get install chromium-driver)"
    return None


class Server:
    """``python -m http.server`` on ``root``, on a free port of 127.0.0.1."""

    def __init__(self, root):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
             "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self.port, self.process, "http.server")
        self.url = f"http://127.0.0.1:{self.port}/"

    def close(self):
        self.process.terminate()
        self.process.wait()


class Browser:
    """One headless Chromium session: ``open(url)``, ``run(script, *args)`` (JavaScript, its
    return value), ``wait(script)`` (until it returns something truthy), ``screenshot()``."""

    def __init__(self, width=1000, height=1400):
        self.port = _free_port()
        self.driver = subprocess.Popen(["chromedriver", f"--port={self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self.port, self.driver, "chromedriver")
        binary = next(shutil.which(c) for c in CHROMIUM if shutil.which(c))
        args = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}"]
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": binary, "args": args}}}}
        self.session = self._call("POST", "session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())["value"]

    def open(self, url):
        self._call("POST", f"session/{self.session}/url", {"url": url})

    def run(self, script, *args):
        return self._call("POST", f"session/{self.session}/execute/sync",
                          {"script": script, "args": list(args)})

    def wait(self, script, *args, timeout=180):
        """Poll ``script`` until it returns something truthy; return that."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = self.run(script, *args)
            if found:
                return found
            time.sleep(0.02)
        raise TimeoutError(f"the page never satisfied: {script}")

    def screenshot(self):
        return base64.b64decode(self._call("GET", f"session/{self.session}/screenshot"))

    def close(self):
        try:
            self._call("DELETE", f"session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait()


def npm_package(name, version, folder):
    """The npm package ``name@version`` unpacked into ``folder`` (by ``npm pack``, from the
    registry or npm's cache); its folder, or raise RuntimeError saying why not."""
    if not shutil.which("npm"):
        raise RuntimeError("no npm (apt-get install npm)")
    done = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {name}@{version} failed: {done.stderr.strip()[-200:]}")
    tarball = Path(folder) / done.stdout.strip().splitlines()[-1]
    target = Path(folder) / name
    target.mkdir()
    with tarfile.open(tarball) as tar:
        # the "data" filter refuses links and paths out of the folder (where Python has it)
        tar.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return target / "package"


def local_site(root, name="site", bytecode=False):
    """The checker page of ∂L/∂w1 on the 2-2-1 sigmoid network, with the 3 variants of the quiz
    of seed 7, at ``root/name``, which loads
    Pyodide from ``root/pyodide/package`` (its npm package, which has no SymPy: the page serves
    its own wheels), with KaTeX from its npm package; the page's folder.  Raises RuntimeError
    when a package cannot be had."""
    from symnet.web.katex import VERSION
    from symnet.web.site import PYODIDE_VERSION, write_page

    root = Path(root)
    pyodide = root / "pyodide" / "package"
    if not pyodide.is_dir():
        npm_package("pyodide", PYODIDE_VERSION, root)
    katex = root / "katex" / "package"
    if not katex.is_dir():
        npm_package("katex", VERSION, root)
    write_page({"arch": "2-2-1", "activation": "sigmoid"}, "w1", root / name,
               pyodide="../pyodide/package/", katex=katex, bytecode=bytecode,
               pyodide_package=pyodide, variants=3, seed=7)
    return root / name
