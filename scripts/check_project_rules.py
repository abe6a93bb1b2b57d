"""Project rules that ruff cannot express (STYLE.md conventions 8 and 15).

1. Interface modules (views.py, api.py, management/commands/*) never touch `<Model>.objects`: they call
   selectors and services, which start from core.access.
2. Nothing passes a raw resident ID or phone attribute to a logger or print call.
"""

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "shuangjian"
RAW_PERSONAL = {"resident_id", "phone", "resident_id_cipher", "phone_cipher"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log", "print"}


def is_interface(path: Path) -> bool:
    return path.name in {"views.py", "api.py"} or "views" in path.parts or "commands" in path.parts


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if is_interface(path) and isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{path}:{node.lineno}: interface module uses .objects; call a selector or service")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in LOG_CALLS:
                for arg in ast.walk(node):
                    if isinstance(arg, ast.Attribute) and arg.attr in RAW_PERSONAL:
                        found.append(f"{path}:{node.lineno}: personal data `{arg.attr}` passed to {name}()")
    return found


def main() -> int:
    found = [p for path in sorted(SRC.rglob("*.py")) if "migrations" not in path.parts for p in problems(path)]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
