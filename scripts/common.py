"""What the scripts share: where the repository and ../shared are, and ../shared/corpus/make_corpus.py
(the corpus generator, which lives outside this repository) loaded as a module by its path."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (as CI has it), or ARCHIVE_SHARED
SHARED = Path(os.environ.get("ARCHIVE_SHARED") or ROOT.parent / "shared")
CORPUS_DIR = SHARED / "corpus"


def load_make_corpus(corpus_dir: str | os.PathLike = CORPUS_DIR, hint: str = ""):
    """make_corpus.py of `corpus_dir` as the module `make_corpus` (loaded once; it needs reportlab)."""
    path = Path(corpus_dir).resolve() / "make_corpus.py"
    loaded = sys.modules.get("make_corpus")
    if loaded is not None and Path(loaded.__file__).resolve() == path:
        return loaded
    if not path.exists():
        raise SystemExit(f"no make_corpus.py in {path.parent}{hint}")
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # pickled objects and a second load find the same module
    spec.loader.exec_module(module)
    return module


def run_module(module: str, *args, **kwargs) -> subprocess.CompletedProcess:
    """`python -m module args…` (a script of this package, e.g. "scripts.fixtures.render_shapes"),
    with this repository first on its PYTHONPATH so that it runs whatever the working folder."""
    env = {**os.environ, **kwargs.pop("env", {})}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], env=env, **kwargs)
