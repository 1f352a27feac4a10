"""The repository's promises about itself: dependency lists agree, CI runs the README's test command."""

import pathlib
import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("book", "test"):
        # Requirements with an environment marker (a backport for old Pythons) have no conda counterpart.
        reqs += [r for r in project["optional-dependencies"][extra] if not r.startswith("lessons_lib") and ";" not in r]
    return dict(_split(r) for r in reqs)


def _environment_requirements() -> dict[str, str]:
    deps = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        # Conda entries ("  - name>=1,<2" or "  - name=1.2"); skip "pip" itself and its own list.
        m = re.match(r"^\s+- ([A-Za-z0-9_.][A-Za-z0-9_.\-]*.*)$", line)
        if m and not m.group(1).startswith("pip"):
            name, spec = _split(m.group(1))
            deps[name] = spec
    return deps


# What environment.yml may take from conda-forge: the interpreter, and the reader's editor with its MyST
# renderer. Everything the notebooks import comes from postBuild, pinned.
BINDER_CONDA_ONLY = {"python", "jupyterlab", "jupyterlab-myst"}


def test_binder_runs_the_python_the_lock_file_was_made_with():
    header = (ROOT / "requirements" / "constraints.txt").read_text().splitlines()[1]
    locked = re.search(r"Python (\d+)\.(\d+)\.", header).groups()
    conda = _environment_requirements()
    assert conda["python"] == "=" + ".".join(locked), (
        f"environment.yml asks conda for python{conda['python']}, but requirements/constraints.txt was made "
        f"with Python {'.'.join(locked)}: Binder would resolve other versions than the tests use")


def test_binder_installs_the_tested_versions():
    """Binder must not resolve lessons_lib's dependencies itself (conda would pick the newest numpy in a
    range): environment.yml lists none of them, and postBuild installs them with the lock file."""
    conda = _environment_requirements()
    assert set(conda) == BINDER_CONDA_ONLY, (
        f"environment.yml should list only {sorted(BINDER_CONDA_ONLY)}; the rest comes from postBuild with "
        f"requirements/constraints.txt, not {sorted(set(conda) - BINDER_CONDA_ONLY)}")
    assert "pip:" not in (ROOT / "environment.yml").read_text()
    commands = [line for line in (ROOT / "postBuild").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert "python -m pip install --quiet -c requirements/constraints.txt -e ." in commands
    pins = _constraints()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name, _ = _split(requirement)
        assert name in pins, f"{name}, which Binder installs, has no pin in requirements/constraints.txt"


def test_postbuild_alone_makes_lessons_lib_importable(tmp_path):
    """Run postBuild, as Binder does, in a fresh virtual environment on a copy of the repository, and import
    lessons_lib and its data from a neutral directory. The packages of the test environment are visible to
    the fresh one through a .pth file (standing in for what environment.yml and the pins provide: nothing is
    downloaded when the pinned versions are already there), but not this checkout's own lessons_lib."""
    import os
    import shutil
    import subprocess
    import sysconfig
    import venv

    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", "postBuild", "requirements", "lessons_lib"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, copy / name)
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # A plain path line: the directory joins sys.path, but its own .pth files (this checkout's editable
    # install of lessons_lib) are not run.
    pathlib.Path(site, "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    environ = {**os.environ, "PATH": f"{env / 'bin'}:{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    environ.pop("PYTHONPATH", None)
    subprocess.run(["bash", copy / "postBuild"], check=True, env=environ, cwd=tmp_path, capture_output=True)
    probe = ("import lessons_lib, lessons_lib.charlm as c, lessons_lib.datasets as d; "
             "print(lessons_lib.__file__); print(len(c.load_sonnets()) > 1000)")
    out = subprocess.run([python, "-c", probe], check=True, env=environ, cwd=tmp_path, capture_output=True,
                         text=True).stdout.split()
    assert out[0].startswith(str(copy / "lessons_lib")), f"imported {out[0]}, not the copy postBuild installed"
    assert out[1] == "True"


def test_jupyter_book_stays_on_version_1():
    assert _pyproject_requirements()["jupyter-book"] == ">=1.0.4,<2"


def _readme_command(label: str) -> str:
    readme = (ROOT / "README.md").read_text()
    m = re.search(rf"<!-- {label} -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert m, f"README.md has no marked {label} command"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command_as_written():
    command = _readme_command("test-command")
    ci = (ROOT / ".ci" / "run").read_text()
    assert command in ci.splitlines()


def test_readme_commands_point_at_existing_scripts():
    for label in ("build-command", "test-command"):
        script = _readme_command(label).split()[-1]
        assert (ROOT / script).is_file(), script


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_constraints_pin_every_direct_dependency_within_its_range():
    from packaging.specifiers import SpecifierSet

    pins = _constraints()
    for name, spec in _pyproject_requirements().items():
        assert name in pins, f"{name} is a dependency in pyproject.toml but not pinned: run bash scripts/lock.sh"
        assert pins[name] in SpecifierSet(spec), (
            f"requirements/constraints.txt pins {name}=={pins[name]}, outside pyproject.toml's {spec}: "
            "run bash scripts/lock.sh")


def test_constraints_are_exact_pins_and_used_by_the_install_step():
    text = (ROOT / "requirements" / "constraints.txt").read_text()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+!\-]+", line.strip()), line
    assert "-c requirements/constraints.txt" in (ROOT / "scripts" / "_env.sh").read_text()


def _repository_url() -> str:
    config = (ROOT / "_config.yml").read_text()
    return re.search(r"(?m)^repository:\s*\n\s+url:\s*(\S+)", config).group(1)


def test_every_notebook_installs_lessons_lib_from_the_books_repository_when_missing():
    import nbformat

    url = _repository_url()
    readme = (ROOT / "README.md").read_text()
    assert f'"lessons_lib @ git+{url}"' in readme, "README's Colab line must use _config.yml's repository.url"
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert 'if importlib.util.find_spec("lessons_lib") is None:' in first.source, path.name
        assert f'%pip install -q "lessons_lib @ git+{url}"' in first.source, (
            f"{path.name}: the install line must use _config.yml's repository.url ({url})")
