"""The tkelectron command: run | demo | new | package | doctor | plugins | bench."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

__all__ = ["main"]


def _run(args: argparse.Namespace) -> int:
    if args.compositor:  # also for plain scripts, whose app.run() reads it
        os.environ["TKELECTRON_COMPOSITOR"] = args.compositor
    if args.watch:
        from .tools.watch import run_watching

        return run_watching(args.path, args.compositor, quiet=args.quiet)
    from .tools._run_app import run_app

    return run_app(args.path, args.compositor, quiet=args.quiet)


#: The entry-point group that names the demo launcher (``tkelectron.demos`` by default).
LAUNCHER_GROUP = "tkelectron.launcher"


class _Demo(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def pattern(self) -> str: ...


class _Launcher(Protocol):
    """What a module named in :data:`LAUNCHER_GROUP` offers (``tkelectron.demos.launcher_cli``)."""

    def tour(self, out: Path) -> int: ...

    def run_launcher(self, compositor: str | None = None) -> int: ...

    def run_demo(self, name: str, compositor: str | None = None) -> int: ...

    def discover(self) -> Iterable[_Demo]: ...


def _launcher() -> _Launcher | None:
    """The demo launcher module, found by entry point: the core never imports the demos."""
    import importlib.metadata

    for entry in importlib.metadata.entry_points(group=LAUNCHER_GROUP):
        launcher: _Launcher = entry.load()
        return launcher
    return None


def _demo(args: argparse.Namespace) -> int:
    launcher = _launcher()
    if launcher is None:
        print(f"tkelectron demo: no demo launcher is installed (entry-point group {LAUNCHER_GROUP!r})", file=sys.stderr)
        return 2
    if args.tour:
        return launcher.tour(Path(args.out))
    if args.name is None and not args.list:
        return launcher.run_launcher(args.compositor)
    if args.list or args.name is None:
        for demo in launcher.discover():
            print(f"{demo.name:16} {demo.title} — {demo.pattern}")
        return 0
    return launcher.run_demo(args.name, args.compositor)


def _new(args: argparse.Namespace) -> int:
    from .tools.scaffold import ScaffoldError, scaffold

    try:
        folder = scaffold(args.name, Path(args.dir))
    except ScaffoldError as exc:
        print(f"tkelectron new: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder}: cd {folder} && pytest")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from .tools.doctor import doctor

    return doctor()


def _plugins(args: argparse.Namespace) -> int:
    from .tools.plugins_report import report

    print(report())
    return 0


def _package(args: argparse.Namespace) -> int:
    from .tools.package import PackageError, package, parse_formats

    overrides = {
        "name": args.name,
        "product_name": args.product_name,
        "version": args.app_version,
        "description": args.description,
        "icon": args.icon,
        "categories": args.categories,
        "maintainer": args.maintainer,
    }
    try:
        package(Path(args.path), Path(args.out), parse_formats(args.format), overrides)
    except PackageError as exc:
        print(f"tkelectron package: {exc}", file=sys.stderr)
        return 2
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .tools.bench import run_bench

    return run_bench(quick=args.quick)


DESCRIPTION = "Run, test and ship desktop apps built on Tk with Electron's process model."
EPILOG = "Run 'tkelectron COMMAND --help' for a command's options; 'tkelectron new myapp' starts an app."
VERBOSE_HELP = "log debug messages and show full tracebacks (as TKELECTRON_DEBUG=1 does)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tkelectron", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run an app (a folder with main.py, a .py file or a module)")
    run.add_argument("path", help="a folder with main.py, a .py file, or an installed app's name")
    run.add_argument(
        "--compositor", choices=["tkhtml", "headless"], default=None,
        help="tkhtml: real Tk windows (the default); headless: no display, nothing drawn",
    )
    run.add_argument("--watch", action="store_true", help="reload on changes to the app's files")
    run.add_argument("-q", "--quiet", action="store_true", help="no line when the app starts")
    run.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)
    run.set_defaults(func=_run)

    demo = sub.add_parser("demo", help="the demo launcher, or run one demo by name")
    demo.add_argument("name", nargs="?")
    demo.add_argument("--list", action="store_true", help="list the demos")
    demo.add_argument("--tour", action="store_true", help="run every demo under Xvfb and save screenshots")
    demo.add_argument("--out", default="screenshots", help="where --tour saves screenshots")
    demo.add_argument("--compositor", choices=["tkhtml", "headless"], default=None)
    demo.set_defaults(func=_demo)

    new = sub.add_parser("new", help="scaffold a new app")
    new.add_argument("name")
    new.add_argument("--dir", default=".")
    new.set_defaults(func=_new)

    sub.add_parser("doctor", help="what this machine offers tkelectron").set_defaults(func=_doctor)
    sub.add_parser("plugins", help="installed plugins and their hooks").set_defaults(func=_plugins)

    pkg = sub.add_parser("package", help="build a standalone Linux app: a folder, a .tar.gz and a .deb")
    pkg.add_argument("path", help="the app folder (with main.py)")
    pkg.add_argument("--out", default="dist", help="where the outputs go (default: dist)")
    pkg.add_argument("--format", default="dir,tar,deb", help="comma-separated: dir, tar, deb (default: all)")
    pkg.add_argument("--name", help="package and executable name (default: from pyproject.toml)")
    pkg.add_argument("--product-name", help="the name shown in menus")
    pkg.add_argument("--version", dest="app_version", help="the app's version")
    pkg.add_argument("--description", help="one line about the app")
    pkg.add_argument("--icon", help="a .png or .svg file")
    pkg.add_argument("--categories", help="desktop categories, comma-separated (default: Utility)")
    pkg.add_argument("--maintainer", help="'Name <email>' for the .deb")
    pkg.set_defaults(func=_package)

    bench = sub.add_parser("bench", help="measure IPC and UI latency against the raw floor")
    bench.add_argument("--quick", action="store_true", help="fewer iterations")
    bench.set_defaults(func=_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .common._user_errors import DEBUG_VARIABLE, UserErrorFormatter

    args = build_parser().parse_args(argv)
    if args.verbose:
        os.environ[DEBUG_VARIABLE] = "1"  # full tracebacks everywhere, renderers included
    # Logged errors show the user's frames only, unless debugging.
    handler = logging.StreamHandler()
    handler.setFormatter(UserErrorFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, handlers=[handler])
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        # Ctrl+C before the app could install its own handling (while it was
        # still importing or starting): the shell's code, no traceback.
        return 130


if __name__ == "__main__":
    sys.exit(main())
