"""Making sure an event's commits and their merge base are in the (often shallow) clone of a job."""

from __future__ import annotations

from hookwright.errors import GitError
from hookwright.git.repo import NULL_SHA, Repo
from hookwright.github.events import COMMIT_ID, EventRefs

_FETCH_TIMEOUT = 600


def _fetch(repo: Repo, what: str, *args: str) -> None:
    result = repo.run(
        "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", *args, timeout=_FETCH_TIMEOUT
    )
    if not result.ok:
        lines = [line for line in result.err.splitlines() if line.strip()]
        # git ends with advice ("Please make sure you have the correct access rights"): say its reason.
        reason = next(
            (line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1] if lines else ""
        )
        raise GitError(
            f"cannot fetch {what}: {reason or result.returncode} (check out with "
            "`fetch-depth: 0`, or keep the checkout's credentials for a private repository)"
        )


def is_shallow(repo: Repo) -> bool:
    return repo.check("rev-parse", "--is-shallow-repository").strip() == b"true"


def _have(repo: Repo, ref: str, remote: str) -> str:
    sha = repo.rev_parse(ref)
    if sha is not None:
        return sha
    depth = ("--depth=1",) if is_shallow(repo) else ()
    if COMMIT_ID.fullmatch(ref):
        _fetch(repo, f"{ref} from {remote}", *depth, remote, ref)  # GitHub serves commits by id
    else:
        name = ref.removeprefix("refs/heads/")
        refspec = f"+refs/heads/{name}:refs/remotes/{remote}/{name}"
        _fetch(repo, f"branch {name} from {remote}", *depth, remote, refspec)
        ref = f"refs/remotes/{remote}/{name}"
    return repo.resolve(ref)


def ensure_commits(
    repo: Repo, refs: EventRefs, remote: str = "origin", max_rounds: int = 10
) -> tuple[str, str]:
    """Fetch what is missing, deepening a shallow clone only until base and head meet.

    Doubling from the event's own commit count fetches at most about twice the history needed,
    in a handful of round trips; after ``max_rounds`` the clone is unshallowed once and for all.
    """
    head = _have(repo, refs.head, remote)
    if refs.base == NULL_SHA:
        return NULL_SHA, head
    base = _have(repo, refs.base, remote)
    step = max(refs.depth_hint, 1)
    for _ in range(max_rounds):
        if repo.merge_base(base, head) is not None or not is_shallow(repo):
            return base, head
        _fetch(repo, f"more history from {remote}", f"--deepen={step}", remote, base, head)
        step *= 2
    if repo.merge_base(base, head) is None and is_shallow(repo):
        _fetch(repo, f"the whole history from {remote}", "--unshallow", remote)
    return base, head
