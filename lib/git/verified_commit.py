"""``verify --commit``: commit exactly the tree that was verified, or nothing.

``git commit`` would record whatever the index holds when it runs, and a file staged while the
checks ran would go in unverified. So the commit is built from the verified tree id with
``commit-tree`` and the branch moved with ``update-ref`` against the verified HEAD: if the index or
the branch changed meanwhile, nothing is committed. git's commit hooks (commit-msg, post-commit) do
not run on this path; the verification record is attached as a note when ``records.git_notes`` is on.
"""

from __future__ import annotations

from hookwright.errors import BadInput
from hookwright.git.repo import EMPTY_TREE, NULL_SHA, Repo


class NotCommitted(Exception):
    """The state moved on since it was verified: the sentence says how."""


def _tree_of_index(repo: Repo) -> str:
    with repo.frozen_index() as index:
        return repo.with_index(index).write_tree(index) if index is not None else EMPTY_TREE


def commit(repo: Repo, tree: str, head: str | None, message: str) -> str:
    """Commit ``tree`` on ``head`` (the HEAD it was verified against); the new commit's id."""
    in_progress = repo.in_progress()
    if in_progress:
        raise BadInput(f"a {in_progress[0]} is in progress: finish it with `git commit`, not --commit")
    text = repo.check("stripspace", input=message.encode()).decode()
    if not text.strip():
        raise BadInput("--commit: the message is empty")
    if _tree_of_index(repo) != tree:
        raise NotCommitted("the index changed while it was being verified; nothing was committed")
    if head is not None and repo.check("rev-parse", f"{head}^{{tree}}").decode().strip() == tree:
        raise NotCommitted("nothing to commit: the index is the same as HEAD")
    parents = ("-p", head) if head else ()
    new = repo.check("commit-tree", tree, *parents, input=text.encode()).decode().strip()
    subject = text.splitlines()[0]
    kind = "commit" if head else "commit (initial)"
    result = repo.run("update-ref", "-m", f"{kind}: {subject}", "HEAD", new, head or NULL_SHA)
    if not result.ok:
        raise NotCommitted(f"HEAD moved while the index was being verified; nothing was committed ({new})")
    return new
