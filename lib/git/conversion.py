"""Files whose bytes ``git apply`` would not take as they are: line endings, ``$Id$``, filters, encodings.

``git apply`` reads a file through git's "clean" conversion and writes it back through "smudge"
(convert.c): with ``text`` / ``eol`` attributes or ``core.autocrlf``, a file's CRLF lines can become
LF on the way in and LF lines CRLF on the way out; ``ident`` rewrites ``$Id$``; a filter driver or a
``working-tree-encoding`` rewrites everything. hookwright patches the bytes as they are, so for such a
file the two would differ with both saying "applied" (a mixed CRLF/LF file under ``* text=auto`` did).
Rather than re-implement convert.c, which changes from one git version to the next, we refuse those
files and say why. A file without a CR, under LF output, is left alone by git too: that is the common
case of a ``* text=auto`` repository, and it is not refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hookwright.git.repo import Repo

_ATTRIBUTES = ("text", "eol", "crlf", "ident", "filter", "working-tree-encoding")
_NOT_SET = ("unspecified", "unset")


def _attributes(repo: Repo, paths: list[str]) -> dict[str, dict[str, str]]:
    """path -> attribute -> value (``set``, ``unset``, ``unspecified`` or a value), from git check-attr."""
    out = repo.check("check-attr", "-z", *_ATTRIBUTES, "--", *paths)
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    found: dict[str, dict[str, str]] = {}
    for path, name, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        found.setdefault(path, {})[name] = value
    return found


def _eol_reason(attrs: Mapping[str, str], autocrlf: str, core_eol: str, versions: Iterable[bytes]) -> str:
    text, eol, crlf = attrs.get("text", "unspecified"), attrs.get("eol", "unspecified"), attrs.get("crlf", "")
    if text == "unset" or crlf == "unset":
        return ""  # -text / binary: git takes the bytes as they are
    if text not in _NOT_SET:
        source = f"the attribute text={text}" if text != "set" else "the attribute text"
    elif eol not in _NOT_SET:
        source = f"the attribute eol={eol}"
    elif crlf not in ("", *_NOT_SET):
        source = "the attribute crlf"
    elif autocrlf in ("true", "input"):
        source = f"core.autocrlf={autocrlf}"
    else:
        return ""
    crlf_out = eol == "crlf" or autocrlf == "true" or (core_eol == "crlf" and eol in _NOT_SET)
    if crlf_out:
        return f"git writes its lines with CRLF here ({source})"
    if any(data is not None and b"\r" in data for data in versions):
        return f"it holds CR line endings, which git converts here ({source})"
    return ""


def refusals(repo: Repo, versions: Mapping[str, Iterable[bytes | None]]) -> dict[str, str]:
    """path -> why ``git apply`` would write other bytes than the patch says, for each such path.

    ``versions``: every state a path goes through (its bytes now, after each patch; None: absent).
    """
    if not versions:
        return {}
    attributes = _attributes(repo, sorted(versions))
    autocrlf = (repo.config_get("core.autocrlf") or "false").lower()
    core_eol = (repo.config_get("core.eol") or "").lower()
    found: dict[str, str] = {}
    for path, states in versions.items():
        attrs = attributes.get(path, {})
        datas = [data for data in states if data is not None]
        reason = _eol_reason(attrs, autocrlf, core_eol, datas)
        ident = attrs.get("ident") == "set" and any(b"$Id" in data for data in datas)
        driver = attrs.get("filter", "unspecified")
        if not reason and ident:
            reason = "git expands its $Id$ keyword here (the attribute ident)"
        configured = driver not in (*_NOT_SET, "set") and any(
            repo.config_get(f"filter.{driver}.{key}") for key in ("clean", "smudge", "process")
        )
        if not reason and configured:
            reason = f"git runs it through the filter {driver!r} here"
        encoding = attrs.get("working-tree-encoding", "unspecified")
        if not reason and encoding not in _NOT_SET and encoding.lower().replace("-", "") != "utf8":
            reason = f"git re-encodes it from {encoding} here (the attribute working-tree-encoding)"
        if reason:
            found[path] = reason
    return found


# What else decides the bytes a checkout writes for a blob: line endings, filters, attribute files.
CHECKOUT_CONFIG = r"^(core\.(autocrlf|eol|attributesfile|checkroundtripencoding)|filter\..*)$"


def checkout_fingerprint(repo: Repo, attribute_blobs: Iterable[tuple[str, str]]) -> str:
    """Everything but a blob that decides the bytes a checkout writes for it.

    ``attribute_blobs``: (path, blob) of every ``.gitattributes`` in the tree. A private copy made
    under other attributes holds other bytes for the same blobs (``eol=crlf``): it is started over.
    """
    import os
    from pathlib import Path

    from hookwright.cache import digest

    config = repo.checkout_config
    attributes_file = repo.config_get("core.attributesFile") if b"attributesfile" in config else None
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    files = [repo.common_dir / "info" / "attributes", Path(attributes_file or f"{xdg}/git/attributes")]
    contents = []
    for path in files:
        try:
            contents.append(path.expanduser().read_bytes())
        except OSError:
            contents.append(b"")
    return digest(sorted(attribute_blobs), config, *contents)
