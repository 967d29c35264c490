"""promo_core never imports streamlit (rule 1 of DESIGN.md): usable from a notebook or a script."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import promo_core

PACKAGE = Path(promo_core.__file__).parent
_DYNAMIC_IMPORT = re.compile(r"""(import_module|__import__)\(\s*["']streamlit""")

_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import promo_core
names = [m.name for m in pkgutil.walk_packages(promo_core.__path__, "promo_core.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "ui": sorted(m for m in sys.modules if m.split(".")[0] == "streamlit")}))
"""


def test_importing_every_module_loads_no_streamlit() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL], capture_output=True, text=True, cwd=PACKAGE.parent, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "promo_core.loading.loader" in result["modules"]
    assert "promo_core.export" in result["modules"]
    assert result["ui"] == []


def _imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_file_in_promo_core_imports_streamlit() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "loading" / "loader.py" in files
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in files
        if "streamlit" in _imported_roots(path.read_text(encoding="utf-8"))
        or _DYNAMIC_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_finds_a_streamlit_import() -> None:
    assert "streamlit" in _imported_roots("import streamlit as st")
    assert "streamlit" in _imported_roots("from streamlit.runtime import exists")
    assert "streamlit" in _imported_roots("def f():\n    import streamlit\n")
    assert _DYNAMIC_IMPORT.search('importlib.import_module("streamlit")')
    assert "streamlit" not in _imported_roots('"""Never imports streamlit."""')
