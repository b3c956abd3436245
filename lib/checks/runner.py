"""Run checks side by side, bounded, in dependency order; a slow or crashing check becomes ``error``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from hookwright import parallel
from hookwright.checks.base import Check, CheckContext, CheckError
from hookwright.reporting import Finding, StepResult

# The slowest checks start first so that the critical path starts at once.
_PRIORITY = {
    "tests": 0,
    "coverage": 1,
    "command": 2,
    "lint": 3,
    "syntax": 4,
    "git_state": 5,
    "todo": 6,
}


def _run_one(check: Check, ctx: CheckContext) -> StepResult:
    started = time.monotonic()
    try:
        reason = check.unavailable(ctx)
        if reason:
            return StepResult(check.name, "skipped", 0.0, reason=reason)
        return check.run(ctx)
    except CheckError as exc:
        finding = Finding(None, None, None, "check-error", str(exc), "error", check.name)
        return StepResult(check.name, "error", time.monotonic() - started, (finding,), reason=str(exc))
    except Exception as exc:
        # One broken check must not take the verdict of the others with it.
        import traceback  # here, not at import: it brings linecache and tokenize, for a rare path

        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        finding = Finding(None, None, None, "internal-error", detail, "error", check.name)
        return StepResult(check.name, "error", time.monotonic() - started, (finding,), reason=detail)


def run_checks(
    checks: Sequence[Check],
    ctx: CheckContext,
    *,
    on_done: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Results in the order of ``checks``."""
    jobs = max(1, ctx.jobs or parallel.default_jobs())
    order = sorted(range(len(checks)), key=lambda i: _PRIORITY.get(checks[i].kind, 3))
    results: dict[int, StepResult] = {}
    finished: dict[str, threading.Event] = {c.name: threading.Event() for c in checks}
    done = threading.Condition()
    slots = threading.Semaphore(jobs)
    deadlines: dict[int, float] = {}

    def worker(index: int) -> None:
        check = checks[index]
        try:
            for need in check.needs:
                if need in finished:
                    finished[need].wait()
            with slots:
                deadlines[index] = time.monotonic() + check.timeout + 5
                result = _run_one(check, ctx)
        except BaseException as exc:  # pragma: no cover - KeyboardInterrupt lands in the main thread
            result = StepResult(check.name, "error", 0.0, reason=str(exc))
        with done:
            results.setdefault(index, result)
            finished[check.name].set()
            done.notify_all()

    # Daemon threads: a check stuck in-process past its timeout cannot hold the process open.
    threads = [threading.Thread(target=worker, args=(i,), daemon=True, name=checks[i].name) for i in order]
    for thread in threads:
        thread.start()
    reported: set[int] = set()
    try:
        with done:
            while len(results) < len(checks):
                done.wait(0.2)
                now = time.monotonic()
                for index, deadline in list(deadlines.items()):
                    if index not in results and now > deadline:
                        check = checks[index]
                        message = f"timed out after {check.timeout:g}s"
                        finding = Finding(None, None, None, "timeout", message, "error", check.name)
                        results[index] = StepResult(
                            check.name, "error", check.timeout, (finding,), reason=message
                        )
                        finished[check.name].set()
                for index in [i for i in results if i not in reported]:
                    reported.add(index)
                    if on_done:
                        on_done(results[index])
    except BaseException:
        parallel.kill_all()
        # Let the checks unwind (their temporary directories go with them) before we exit.
        give_up = time.monotonic() + 5
        for thread in threads:
            thread.join(max(0.0, give_up - time.monotonic()))
        raise
    return [results[i] for i in range(len(checks))]
