"""Private names of Textual, Rich and Peewee are used in one module only (screens/textual_patches.py),
where each has its reason and a version check; and that module fails loudly on another Textual.

The scan reads the libraries' sources for the private names they define (functions, methods,
classes, ``self._x`` attributes, module and class variables) and the project's sources for the
private names it uses: a module ``textual._x``, a name imported with a leading underscore, an
attribute ``obj._x`` that the library defines and the project does not, and, in a class derived
from a library class, any ``self._x`` or method ``_x`` the library defines (an override of its
internals).
"""
from __future__ import annotations

import ast
import importlib
import inspect
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("textual", "rich", "peewee", "playhouse")
SCANNED = ("screens", "workshop", "models")
PATCH_MODULE = ROOT / "screens" / "textual_patches.py"
# Underscore names a library documents as its public API.
DOCUMENTED = {
    "_meta",  # Peewee: "use ModelClass._meta" (docs, "Model options and table metadata")
}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_private_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {name for name in names if is_private(name)}


@cache
def library_private_names() -> frozenset[str]:
    names: set[str] = set()
    for library in LIBRARIES:
        module = importlib.import_module(library)
        folder = Path(module.__file__).parent
        files = [Path(module.__file__)] if folder.name == "site-packages" else folder.rglob("*.py")
        for path in files:
            names |= defined_private_names(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names - DOCUMENTED)


def project_files() -> list[Path]:
    return [path for folder in SCANNED for path in sorted((ROOT / folder).rglob("*.py"))
            if path != PATCH_MODULE and "migrations" not in path.parts]


@cache
def project_private_names() -> frozenset[str]:
    names: set[str] = set()
    for path in project_files():
        names |= defined_private_names(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


def is_library(cls: type) -> bool:
    return cls.__module__.split(".")[0] in LIBRARIES


@cache
def private_names_of(cls: type) -> frozenset[str]:
    """The private names a library class has: in its namespace, and set on ``self`` by its code."""
    names = {name for name in vars(cls) if is_private(name)}
    try:
        names |= defined_private_names(ast.parse(inspect.getsource(cls).strip() + "\n"))
    except (OSError, TypeError, SyntaxError, IndentationError):
        pass
    return frozenset(names)


def module_of(path: Path):
    return importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))


def private_uses(path: Path, module=None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    library = library_private_names()
    own = project_private_names()
    stdlib_modules = set()
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in LIBRARIES and any(is_private(part) for part in alias.name.split(".")):
                    uses.append(f"{path.name}:{node.lineno} import {alias.name}")
                elif top not in LIBRARIES:
                    stdlib_modules.add(alias.asname or top)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in LIBRARIES:
                if any(is_private(part) for part in node.module.split(".")):
                    uses.append(f"{path.name}:{node.lineno} from {node.module}")
                uses += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names if is_private(a.name)]
    # A class derived from a library class: its methods and self attributes must not be the library's.
    for cls_node in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        cls = getattr(module, cls_node.name, None) if module is not None else None
        if not isinstance(cls, type):
            continue
        inherited = frozenset().union(*(private_names_of(base) for base in cls.__mro__[1:] if is_library(base)))
        for node in ast.walk(cls_node):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in cls_node.body \
                    and node.name in inherited:
                uses.append(f"{path.name}:{node.lineno} {cls_node.name} overrides {node.name}")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in ("self", "cls") and node.attr in inherited:
                uses.append(f"{path.name}:{node.lineno} {cls_node.name} uses self.{node.attr}")
    # Anything else: an attribute only the libraries define.
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr in library \
                and node.attr not in own:
            if isinstance(node.value, ast.Name) and node.value.id in stdlib_modules:
                continue  # os._exit, sys._getframe: the standard library's
            uses.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1 \
                and isinstance(node.args[1], ast.Constant) and node.args[1].value in library:
            uses.append(f"{path.name}:{node.lineno} {node.func.id}(..., {node.args[1].value!r})")
    return sorted(set(uses))


def test_no_private_name_of_textual_rich_or_peewee_outside_the_patch_module():
    uses = [use for path in project_files() for use in private_uses(path, module_of(path))]
    assert uses == [], "private names outside screens/textual_patches.py:\n" + "\n".join(uses)


def test_the_scan_sees_each_kind_of_private_use(tmp_path):
    """The scan itself can fail: each way of reaching into a library's internals is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from textual._compositor import Compositor  # noqa\n"
        "from textual.widgets import DataTable\n"
        "class T(DataTable):\n"
        "    def _on_resize(self, event):\n"
        "        self._line_cache.clear()\n"
        "def draw(screen):\n"
        "    screen._compositor.render_update(full=True)\n"
        "    getattr(screen, '_refresh_layout')\n")
    import importlib.util
    spec = importlib.util.spec_from_file_location("sample", sample)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    uses = private_uses(sample, module)
    assert any("from textual._compositor" in u for u in uses)
    assert any("overrides _on_resize" in u for u in uses)
    assert any("self._line_cache" in u for u in uses)
    assert any("._compositor" in u for u in uses)
    assert any("'_refresh_layout'" in u for u in uses)


def test_the_patches_are_for_the_textual_version_installed():
    """Fails loudly on another Textual: re-measure each patch (textual_patches.py says how) and keep,
    change or drop it before moving the pin in pyproject.toml."""
    import textual
    from textual.app import App
    from textual.screen import Screen

    from screens import textual_patches
    assert textual.__version__ == textual_patches.TESTED_WITH, (
        f"Textual {textual.__version__} is installed; screens/textual_patches.py was written against "
        f"{textual_patches.TESTED_WITH}: check each patch there")
    methods, instance_attributes = textual_patches.used()
    missing = [f"{owner.__name__}.{name}" for owner, names in methods.items()
               for name in names if not hasattr(owner, name)]
    app = App()
    instances = {App: app, Screen: Screen()}
    from textual.widgets import DataTable
    instances[DataTable] = DataTable()
    missing += [f"{owner.__name__}().{name}" for owner, names in instance_attributes.items()
                for name in names if not hasattr(instances[owner], name)]
    assert missing == [], f"gone from Textual {textual.__version__}: {missing}"
    assert textual_patches.active()


def test_the_pin_in_pyproject_is_the_version_the_patches_were_written_for():
    from screens import textual_patches
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"textual=={textual_patches.TESTED_WITH}"' in text


def test_nothing_is_built_ahead_on_a_textual_the_patches_were_not_written_for(monkeypatch):
    from screens import textual_patches
    from screens.kept import KeptScreens
    monkeypatch.setattr(textual_patches, "active", lambda: False)
    assert KeptScreens(app=None).build_next(staff=None) is False  # screens are built when first opened
