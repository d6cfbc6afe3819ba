"""Real Fenxiao nodes for the browser test: a central and a store, each a `fenxiao` process on
127.0.0.1, set up with the same CLI a shop uses (no shortcuts into the database)."""
import json
import os
import socket
import subprocess
import time

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait


class Fenxiao:
    """Runs the `fenxiao` binary built by `swift build`."""

    def __init__(self, binary):
        self.binary = binary

    def run(self, *args, data, stdin=None, check=True, user=None, pin=None):
        """`fenxiao ARGS --data DATA --json`, acting as `user` (with `pin` once they have one)."""
        env = {k: v for k, v in os.environ.items() if k not in ("FENXIAO_USER", "FENXIAO_PIN", "FENXIAO_HOME")}
        if user:
            env["FENXIAO_USER"] = user
        if pin:
            env["FENXIAO_PIN"] = pin
        proc = subprocess.run(
            [self.binary, *args, "--data", data, "--json"], input=stdin, capture_output=True, text=True, timeout=60, env=env)
        if check and proc.returncode != 0:
            raise RuntimeError(f"fenxiao {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return json.loads(proc.stdout) if proc.stdout.strip().startswith(("{", "[")) else proc.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`fenxiao serve` on 127.0.0.1:port until stopped; waits until it answers /v1/health."""

    def __init__(self, fx, data, port, *extra, log=None, env=None):
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(log or os.devnull, "ab")
        child = {k: v for k, v in os.environ.items() if k not in ("FENXIAO_USER", "FENXIAO_PIN", "FENXIAO_HOME")}
        child.update(env or {})
        self.proc = subprocess.Popen(
            [fx.binary, "serve", "--data", data, "--port", str(port), *extra], stdout=self.log, stderr=self.log, env=child)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fenxiao serve --data {data} exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)  # polling for the port to open, bounded by the deadline
        self.stop()
        raise RuntimeError(f"fenxiao serve --data {data} did not listen on {port} within 20 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def wait_until(what, predicate, timeout):
    """Polls `predicate` until it is true or `timeout` seconds pass (then fails naming `what`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.25)


class PageWait(WebDriverWait):
    """`WebDriverWait` ignoring stale and missing elements, and also Chrome's "Node with given id
    does not belong to the document" (a generic WebDriverException, which `ignored_exceptions`
    cannot single out): an element found on a page a form's POST is replacing answers that while
    the old page is torn down — not yet, so the wait asks again."""

    def __init__(self, driver, timeout):
        super().__init__(driver, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))

    def until(self, method, message=""):
        def tolerant(driver):
            try:
                return method(driver)
            except WebDriverException as e:
                if "does not belong to the document" in (e.msg or ""):
                    return False
                raise
        return super().until(tolerant, message)


def replaced(element):
    """A wait condition: `element`'s page was replaced. Like `EC.staleness_of`, but Chrome may also
    answer "Node with given id does not belong to the document" (a WebDriverException) while the
    old page is being torn down; that means gone too."""
    def gone(_driver):
        try:
            element.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            return True
    return gone


def run_scenario(name, scenario):
    """Runs `scenario(fx, root, shots=True)` against the built binary in a fresh folder: prints
    `<name>: passed` and `1 passed, 0 failed` (the folder removed), or the failure with the
    folder kept for its logs; the exit status says which."""
    import shutil, sys, tempfile, traceback

    root_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = os.environ.get("FENXIAO_BIN") or os.path.join(root_dir, ".build", "debug", "fenxiao")
    if not os.access(binary, os.X_OK):
        print(f"{name}: {binary} is missing; run `swift build` first", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="fenxiao-" + name.replace(" ", "-") + "-")
    try:
        scenario(Fenxiao(binary), root, shots=True)
    except Exception:
        print(f"{name}: FAILED (logs in {root})", file=sys.stderr)
        traceback.print_exc()
        print("0 passed, 1 failed")
        return 1
    shutil.rmtree(root, ignore_errors=True)
    print(f"{name}: passed")
    print("1 passed, 0 failed")
    return 0
