"""Template packs: filters, the sandbox, declared-versus-used checks, overrides, and leftover markers."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from conftest import hookwright, write
from conftest import run_cli as run

from hookwright import strict_yaml
from hookwright.errors import BadInput
from hookwright.templates import filters as template_filters
from hookwright.templates import pack_registry, placeholders
from hookwright.templates import packs as template_packs
from hookwright.templates import render as templates
from hookwright.templates.packs import PackError

BUILTIN = template_packs.builtin_dir()

ENTITY = {
    "name": "BookLoan",
    "fields": [{"name": "title", "type": "str"}, {"name": "due", "type": "int", "optional": True}],
}
BUILTIN_VALUES = {
    "crud": ENTITY,
    "model": ENTITY,
    "db": {},
    "test": {
        "import_path": "app.schemas.book_loan",
        "function": "validate_book_loan",
        "cases": [{"args": [{"title": "Dune"}], "expected": {"title": "Dune", "due": None}}],
        "raises": [{"args": [{}], "exception": "ValueError", "match": "title"}],
    },
    "lookup": {
        "import_path": "app.colors",
        "function": "color_code",
        "values": {"red": 1, "blue": 2},
        "value_type": "int",
    },
    "config": {
        "name": "settings",
        "settings": {
            "debug": True,
            "on": "yes",
            "port": 8080,
            "ratio": 0.5,
            "db": {"url": "sqlite://", "pool": {"size": 5}},
            "tags": ["a", "b"],
        },
    },
}


def render_pack(pack: template_packs.Pack, values: dict, target: str = ".") -> list[templates.Rendered]:
    context, problems = templates.prepare(pack, values, pack.name)
    assert not problems, problems
    planned, problems = templates.plan_paths(pack, context, target, pack.name)
    assert not problems, problems
    return templates.render_all(planned)


def make_pack(root: Path, name: str, files: dict[str, str | bytes], yaml_text: str) -> Path:
    folder = root / name
    write(folder / "template.yaml", yaml_text)
    for relative, text in files.items():
        write(folder / relative, text)
    return folder


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        ("snake", "BookLoan", "book_loan"),
        ("snake", "HTTPServerError", "http_server_error"),
        ("snake", "book-loan item", "book_loan_item"),
        ("pascal", "book_loan", "BookLoan"),
        ("kebab", "BookLoan", "book-loan"),
        ("camel", "book_loan", "bookLoan"),
        ("plural", "category", "categories"),
        ("plural", "box", "boxes"),
        ("plural", "person", "people"),
        ("plural", "UserProfile", "UserProfiles"),
        ("plural", "book_loan", "book_loans"),
        ("plural", "data", "data"),
        ("singular", "categories", "category"),
        ("singular", "boxes", "box"),
        ("singular", "people", "person"),
        ("singular", "status", "status"),
        ("upper", "a_b", "A_B"),
        ("key", "on", '"on"'),
        ("key", "plain_key", "plain_key"),
        ("py", None, "None"),
        ("py", {"a": [1, True, "x"]}, '{"a": [1, True, "x"]}'),
    ],
)
def test_filters_are_plain_functions(function: str, value: object, expected: str) -> None:
    assert template_filters.FILTERS[function](value) == expected


def test_every_builtin_pack_loads_without_problems() -> None:
    names = pack_registry.registry(Path.cwd()).names()
    assert {"crud", "model", "test", "config", "db", "lookup"} <= set(names)
    for name in names:
        template_packs.load(BUILTIN / name, "built-in")


def test_builtin_packs_write_ruff_clean_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for name, values in BUILTIN_VALUES.items():
        pack = template_packs.load(BUILTIN / name, "built-in")
        for rendered in render_pack(pack, values):
            write(out / rendered.path, rendered.data)
    rules = "E,F,W,I,UP,B,SIM,RUF,N,C4,PIE,RET,PL"
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--target-version=py310",
            f"--select={rules}",
            "--ignore=E501",
            ".",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_config_pack_writes_the_same_settings_three_ways(tmp_path: Path) -> None:
    import tomllib

    pack = template_packs.load(BUILTIN / "config", "built-in")
    files = {r.path: r.data for r in render_pack(pack, BUILTIN_VALUES["config"])}
    expected = BUILTIN_VALUES["config"]["settings"]
    assert json.loads(files["config/settings.json"]) == expected
    assert tomllib.loads(files["config/settings.toml"].decode()) == expected
    assert strict_yaml.loads(files["config/settings.yaml"], "settings.yaml").data == expected


def test_undeclared_and_unused_variables_are_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = make_pack(
        tmp_path,
        "broken",
        {
            "a.py.j2": "x = 1\n\ny = {{ nmae }}\n",
            "b.txt.j2": "{% for f in fields %}{{ f }}{% endfor %}{{ oops }}\n",
        },
        "name: broken\nfiles:\n  - template: a.py.j2\n    path: out/{{ name }}.py\n  - template: b.txt.j2\n"
        "    path: out/{{ name }}.txt\nvariables:\n  type: object\n  properties:\n    name: {type: string}\n"
        "    fields: {type: array}\n    unused: {type: string}\n",
    )
    with pytest.raises(PackError) as caught:
        template_packs.load(folder)
    assert caught.value.problems == [
        "broken/a.py.j2:3: 'nmae' is used but not declared in template.yaml (fields, name, unused)",
        "broken/b.txt.j2:1: 'oops' is used but not declared in template.yaml (fields, name, unused)",
        "broken/template.yaml:12: 'unused' is declared but no template or path uses it",
    ]


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        pytest.param(
            "{% if x %}\nno end\n",
            r"^broken/a.j2:\d+: syntax error: Unexpected end of template",
            id="jinja-syntax",
        ),
        pytest.param("{{ x.__class__.__mro__ }}\n", None, id="sandbox"),
    ],
)
def test_template_errors(tmp_path: Path, template: str, problem: str | None) -> None:
    folder = make_pack(
        tmp_path,
        "broken",
        {"a.j2": template},
        "name: broken\nfiles:\n  - {template: a.j2, path: out.txt}\nvariables:\n  properties:\n    x: {type: string}\n",
    )
    if problem:
        with pytest.raises(PackError, match=problem):
            template_packs.load(folder)
        return
    pack = template_packs.load(folder)
    with pytest.raises(BadInput, match=r"broken/a.j2:1: .*unsafe"):
        render_pack(pack, {"x": "y"})


def test_context_holds_no_callables_or_globals(tmp_path: Path) -> None:
    folder = make_pack(
        tmp_path,
        "g",
        {"a.j2": "{{ range(3) }}{{ lipsum() }}\n"},
        "name: g\nfiles:\n  - {template: a.j2, path: a.txt}\n",
    )
    with pytest.raises(PackError) as caught:
        template_packs.load(folder)
    assert [p.split(": ", 1)[1][:30] for p in caught.value.problems] == [
        "'lipsum' is used but not decla",
        "'range' is used but not declar",
    ]


def test_binary_files_are_copied_byte_for_byte(tmp_path: Path) -> None:
    blob = b"\x89PNG\r\n\x1a\n{{ not a placeholder }}\xff\x00"
    folder = make_pack(
        tmp_path,
        "art",
        {"logo.png": blob, "README.md.j2": "# {{ name }}\n"},
        "name: art\nfiles:\n  - {template: logo.png, path: '{{ name }}/logo.png'}\n"
        "  - {template: README.md.j2, path: '{{ name }}/README.md'}\nvariables:\n  properties:\n    name: {type: string}\n",
    )
    rendered = {r.path: r for r in render_pack(template_packs.load(folder), {"name": "site"})}
    assert rendered["site/logo.png"].data == blob
    assert not rendered["site/logo.png"].rendered
    assert rendered["site/README.md"].data == b"# site\n"


def test_user_pack_overrides_builtin_by_name(committed_repo: Path) -> None:
    make_pack(
        committed_repo / "packs",
        "model",
        {"m.py.j2": "NAME = {{ name | json }}\n"},
        "name: model\ndescription: ours\nfiles:\n  - {template: m.py.j2, path: 'models/{{ name | snake }}.py'}\n"
        "variables:\n  properties:\n    name: {type: string, format: identifier}\n",
    )
    write(committed_repo / ".hookwright.yaml", "templates: [packs]\n")
    listed = hookwright("templates", "list", cwd=committed_repo)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^model +packs \(overrides built-in\): ours$", listed.stdout, re.M), listed.stdout
    created = hookwright("create", "model", "--var", "name=Author", cwd=committed_repo)
    assert created.returncode == 0, created.stdout + created.stderr
    assert (committed_repo / "models" / "author.py").read_text() == 'NAME = "Author"\n'
    shown = hookwright("templates", "vars", "model", "--format", "json", cwd=committed_repo)
    assert json.loads(shown.stdout)["variables"]["properties"]["name"]["format"] == "identifier"


def test_template_yaml_errors_name_file_line_and_key(
    in_git_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_pack(
        in_git_dir / "packs",
        "bad",
        {"a.j2": "x\n"},
        "name: bad\nfiles:\n  - {template: a.j2, path: a}\ncolour: red\n",
    )
    result = run(capsys, "create", "bad", "--templates", "packs")
    assert result.returncode == 2
    assert result.stderr.startswith("hookwright: error: bad/template.yaml:4:1: /colour: unknown key 'colour'")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


# -- leftover placeholders ---------------------------------------------------------------------------

INSERTS = ["{{ name }}", "{% if debug %}", "{#", "{{-name-}}", "{%- endif %}"]


def _token_positions(text: str) -> list[tuple[int, str]]:
    """Offsets at token boundaries, and offsets inside string tokens (kind "string")."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        start = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        if token.type == tokenize.STRING and end - start > 2:
            found.append((random.randint(start + 1, end - 2), "string"))
        else:
            found.append((start, "code"))
            found.append((end, "code"))
    return found


def test_reinserted_markers_are_all_caught_in_code_and_strings() -> None:
    random.seed(9)
    rendered = []
    for name, values in BUILTIN_VALUES.items():
        rendered += render_pack(template_packs.load(BUILTIN / name, "built-in"), values)
    python = [r for r in rendered if r.path.endswith(".py")]
    data_files = [r for r in rendered if not r.path.endswith(".py")]
    for r in rendered:  # the clean outputs raise no alarm at all
        assert placeholders.scan(r.path, r.data, python=r.path.endswith(".py")) == [], r.path
    kinds = set()
    for trial in range(400):
        source = random.choice(python)
        text = source.data.decode()
        offset, kind = random.choice(_token_positions(text))
        marker = random.choice(INSERTS)
        mutated = text[:offset] + marker + text[offset:]
        found = placeholders.scan(source.path, mutated.encode(), python=True)
        assert found, f"trial {trial}: {marker!r} at {offset} ({kind}) in {source.path} not caught"
        kinds.add(kind)
        line = mutated.count("\n", 0, offset) + 1
        assert any(f.line == line for f in found), (trial, found)
    assert kinds == {"code", "string"}
    for trial in range(100):
        source = random.choice(data_files)
        text = source.data.decode()
        offset = random.randint(0, len(text))
        mutated = text[:offset] + random.choice(INSERTS) + text[offset:]
        assert placeholders.scan(source.path, mutated.encode(), python=False), (trial, source.path)


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('x = "{{ name }}"\n', "in string"),
        ("# {% if debug %}\n", "in comment"),
        ("x = {{ name }}\n", "in code"),
        ('x = f"{{ name }}"\n', "in f-string"),
        ('x = f"""{ {1} } {{ name | snake }}"""\n', "in f-string"),
    ],
)
def test_markers_say_where_they_sit(source: str, where: str) -> None:
    found = placeholders.scan("m.py", source.encode(), python=True)
    assert len(found) == 1 and where in found[0].message, found


def test_escaped_braces_in_fstrings_are_not_an_alarm() -> None:
    source = 'def f(x):\n    return f"{{" + f"{{{x}}}" + f"{{key: {x}}}"\n'
    assert placeholders.scan("m.py", source.encode(), python=True) == []


def test_braces_pack_raises_no_false_alarm(in_git_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A pack that writes a GitHub workflow: ${{ }} is what it means to write.
    make_pack(
        in_git_dir / "packs",
        "workflow",
        {
            "ci.yml.j2": "name: {{ name }}\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: echo \"${{ '{{' }} github.sha {{ '}}' }}\"\n"
        },
        "name: workflow\ntype: yaml\nbraces: true\nfiles:\n  - {template: ci.yml.j2, path: '.github/workflows/{{ name }}.yml'}\n"
        "variables:\n  properties:\n    name: {type: string}\n",
    )
    result = run(capsys, "create", "workflow", "--templates", "packs", "--var", "name=ci")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "${{ github.sha }}" in (in_git_dir / ".github/workflows/ci.yml").read_text()
    # The same pack without braces: true is stopped, and nothing is written.
    text = (in_git_dir / "packs/workflow/template.yaml").read_text().replace("braces: true", "braces: false")
    (in_git_dir / "packs/workflow/template.yaml").write_text(text)
    result = run(capsys, "create", "workflow", "--templates", "packs", "--var", "name=ci2")
    assert result.returncode == 1
    assert "leftover-placeholder" in result.stdout
    assert not (in_git_dir / ".github/workflows/ci2.yml").exists()


@pytest.mark.parametrize(
    ("value", "role", "problem"),
    [
        pytest.param("a\0b", "component", "NUL", id="nul"),
        pytest.param("a/b", "component", "path separator", id="slash"),
        pytest.param("a\\b", "component", "path separator", id="backslash"),
        pytest.param("..", "component", "outside", id="dotdot"),
        pytest.param("é" * 200, "component", "over the 255-byte", id="long-name"),
        pytest.param("docs/../../etc", "path", "contains '..'", id="path-dotdot"),
        pytest.param("/etc", "path", "absolute", id="absolute"),
        pytest.param("a\\b", "path", "backslash", id="path-backslash"),
        pytest.param("ﬁle", "component", "look-alike", id="nfkc-ligature"),
        pytest.param("my-mod", "module", "hyphen", id="module-hyphen"),
        pytest.param("print", "identifier", "builtin", id="builtin"),
    ],
)
def test_value_roles(value: str, role: str, problem: str) -> None:
    from hookwright.templates.roles import check_value

    found = check_value(value, role)
    assert found and problem in found[0], found


def test_pack_type_picks_the_validator_for_a_file_the_extension_does_not_name(in_git_dir: Path) -> None:
    from hookwright.templates import creation, creation_checks

    make_pack(
        in_git_dir / "packs",
        "conf",
        {"c.j2": "key: [unclosed\n"},
        "name: conf\ntype: yaml\nfiles:\n  - {template: c.j2, path: app.conf}\n",
    )
    pack = template_packs.load(in_git_dir / "packs" / "conf")
    outputs = [creation.Output.from_rendered(r) for r in render_pack(pack, {})]
    assert [f.code for f in creation_checks.syntax(outputs)] == ["yaml"]
