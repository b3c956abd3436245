"""Work the recorder must see, or give up the records for: other threads, other processes (t31).

A narrowed run whose change lies only in bodies records from the first test on
(``HOOKWRIGHT_PYTEST_LINES_FROM_TESTS``). A worker thread a test module starts while it is
imported runs on while the tests run: what it runs then must be in the shared record, or a later
change to it reaches no record and every test is left out (found end to end: a test's helper began
handing the worker ``triple``; the next change broke ``triple`` and ``verify`` passed with no test
run). A thread started with ``_thread`` directly never passes through ``threading.settrace``.

A server process a test module starts through multiprocessing's spawn context raises no audit event
the plugin knew: the tests that asked it kept records without its work, and a change to its handler
left every test out (end to end, ``verify`` passed; plain pytest fails). A process started while no
test runs leaves no test a record. One real pytest run of the plugin per case, as ``pytest_check``
starts it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_selection_recorder import bodies, recorded

OPS = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n\n\ndef halve(x):\n    return x / 2\n"
WORKER_TESTS = (
    "import _thread\nimport queue\nimport threading\n\nfrom pkg import ops\n\n\n"
    "class Worker:\n    def __init__(self):\n        self.jobs = queue.Queue()\n"
    "        self.results = queue.Queue()\n"
    "        threading.Thread(target=self.run, daemon=True).start()\n\n"
    "    def run(self):\n        while True:\n            function, value = self.jobs.get()\n"
    "            self.results.put(function(value))\n\n"
    "    def call(self, function, value):\n        self.jobs.put((function, value))\n"
    "        return self.results.get(timeout=10)\n\n\n"
    "WORKER = Worker()  # started while pytest collects this module\n\n\n"
    "def test_worker():\n    assert WORKER.call(ops.triple, 2) == 6\n\n\n"
    "def test_raw_thread():\n    done = queue.Queue()\n"
    "    _thread.start_new_thread(lambda: done.put(ops.halve(4)), ())\n"
    "    assert done.get(timeout=10) == 2\n"
)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("threads").resolve()
    files = {"pkg/__init__.py": "", "pkg/ops.py": OPS, "tests/test_worker.py": WORKER_TESTS}
    return recorded(root, files, from_tests=True)


def test_a_worker_started_while_collecting_records_what_it_runs_for_the_tests(record: dict) -> None:
    assert "tests/test_worker.py::test_worker" in record["passed"]
    # triple ran only in the worker, only while test_worker ran: shared, since whose it is is unknown.
    assert ("pkg/ops.py", 5) in bodies(record, ""), bodies(record, "")


def test_a_thread_started_with_the_thread_module_records_shared(record: dict) -> None:
    assert ("pkg/ops.py", 9) in bodies(record, ""), bodies(record, "")


SERVER = (
    "import socket\n\n\ndef handle(value):\n    return value * 2\n\n\n"
    "def serve(path):\n    with socket.socket(socket.AF_UNIX) as listener:\n"
    "        listener.bind(path)\n        listener.listen()\n        while True:\n"
    "            connection, _ = listener.accept()\n            with connection:\n"
    "                connection.sendall(str(handle(int(connection.recv(64)))).encode())\n"
)
SERVER_TESTS = (
    "import multiprocessing\nimport os\nimport socket\nimport tempfile\nimport time\n\n"
    "from pkg import server\n\nPATH = os.path.join(tempfile.mkdtemp(), 'socket')\n"
    "multiprocessing.get_context('spawn').Process(target=server.serve, args=(PATH,), daemon=True).start()\n\n\n"
    "def ask(value):\n    for _ in range(1200):\n        try:\n"
    "            with socket.socket(socket.AF_UNIX) as client:\n                client.connect(PATH)\n"
    "                client.sendall(str(value).encode())\n                return int(client.recv(64))\n"
    "        except (FileNotFoundError, ConnectionRefusedError):\n            time.sleep(0.05)\n\n\n"
    "def test_double():\n    assert ask(2) == 4\n"
)


def test_a_process_spawned_while_collecting_leaves_no_test_a_record(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/server.py": SERVER, "tests/test_server.py": SERVER_TESTS}
    record = recorded(tmp_path.resolve(), files, from_tests=False)
    assert "tests/test_server.py::test_double" in record["ran"]
    assert record["passed"] == [], "handle() ran in the spawned process, in no record"
