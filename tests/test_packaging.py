"""What ``pip install handpicked`` (no extras) gives: extraction without the desk's or the bulk
job's dependencies, and a command line whose desk commands name the extra they need.

The extras are installed in the test environment, so each check runs in a fresh interpreter
whose imports of the extras' packages fail as they would where those are not installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from handpicked.cli import cli
from handpicked.cli.extras import DESK_COMMANDS

SEED = Path(__file__).parent / "fixtures" / "seed-article" / "page.html"
HEAVY = tuple(
    "dask distributed pyarrow fastwarc fastapi starlette uvicorn tokenizers safetensors "
    "sqlalchemy alembic numpy".split()
)

#: Makes the named top-level packages fail to import, as when they are not installed.
BLOCK = """
import importlib.abc, sys
class Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Missing())
"""


def run_python(code: str, *, blocked: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    script = BLOCK.format(blocked=set(blocked)) + code
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


def test_extracting_a_page_imports_none_of_the_extras() -> None:
    code = f"""
import json, sys
import handpicked
article = handpicked.extract(open({str(SEED)!r}, "rb").read(), "https://example.com/story")
print(json.dumps({{"title": article.title, "loaded": sorted(sys.modules)}}))
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["title"]
    loaded = {name.split(".")[0] for name in report["loaded"]}
    assert not loaded & set(HEAVY)


def test_the_extract_command_works_without_the_extras() -> None:
    code = f"""
from handpicked.cli import main
main(["extract", {str(SEED)!r}, "--format", "json"])
"""
    result = run_python(code, blocked=HEAVY)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"]


def test_a_desk_command_without_the_desk_extra_names_it() -> None:
    result = run_python(
        'from handpicked.cli import main\nmain(["readers", "list", "--json"])', blocked=HEAVY
    )
    assert result.returncode == 1
    assert "pip install 'handpicked[desk]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_stand_ins_cover_every_desk_command() -> None:
    assert set(cli.commands) - {"extract", "demo"} == set(DESK_COMMANDS)


def test_handpicked_imports_without_the_extras() -> None:
    result = run_python("import handpicked; print(handpicked.__version__)", blocked=HEAVY)
    assert result.returncode == 0, result.stderr


def test_the_desk_is_exported_beside_extract() -> None:
    import handpicked
    from handpicked.desk import Desk

    assert handpicked.Desk is Desk
