"""Where things live: the local-stack launcher is its own package without import cycles, the app never imports it."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path, package):
    """Modules of `package` that `path` imports (absolute or relative)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package if node.level else (node.module or "")
            module = f"{package}.{node.module}" if node.level and node.module else base
            if module == package:  # `from . import x` / `from localstack import x`
                found |= {f"{package}.{a.name}" for a in node.names}
            elif module.startswith(package + "."):
                found.add(module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return found


def test_the_launcher_modules_import_each_other_without_a_cycle():
    modules = {f"localstack.{p.stem}": p for p in (ROOT / "localstack").glob("*.py") if p.stem != "__init__"}
    graph = {name: _imports(path, "localstack") & set(modules) for name, path in modules.items()}
    assert graph["localstack.supervisor"] == {"localstack.databases", "localstack.processes", "localstack.replset"}
    assert graph["localstack.replset"] == {"localstack.databases", "localstack.processes"}
    assert graph["localstack.processes"] == set()
    done, stack = set(), []

    def visit(name):
        assert name not in stack, f"import cycle: {' -> '.join(stack + [name])}"
        if name not in done:
            stack.append(name)
            for other in graph[name]:
                visit(other)
            stack.pop()
            done.add(name)

    for name in graph:
        visit(name)


def test_the_app_does_not_import_the_launcher():
    importers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "webapp").rglob("*.py")
                       if "localstack" in p.read_text(encoding="utf-8"))
    assert importers == []


def test_every_flask_command_is_registered_in_cli_py(app):
    from webapp import cli

    ours = {name: command for name, command in app.cli.commands.items() if name not in ("run", "shell", "routes")}
    assert {"init-db", "outbox-relay", "close-past-shows", "resume-cancellations"} <= set(ours)
    elsewhere = sorted(name for name, command in ours.items() if command.callback.__module__ != cli.__name__)
    assert elsewhere == [], "register commands in webapp/cli.py"
    assert [name for name, bp in app.blueprints.items() if bp.cli.commands] == []


# The API package is being rewritten on another branch, which drops this import; remove the entry then.


def test_no_module_imports_another_modules_private_names():
    found = set()
    for path in (ROOT / "webapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found |= {(str(path.relative_to(ROOT)), a.name) for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__") and a.name != "_"}
    assert not found, "import a public name (drop the underscore where it is defined)"
