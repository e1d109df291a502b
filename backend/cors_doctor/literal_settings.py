"""A Django settings file, read as literals and never executed.

Only module-level assignments of literals are read: `NAME = <literal>`, where a literal is a string,
number, True/False/None, or a list, tuple, set or dict of literals; `+` between two of them; `*name`
inside a list or tuple, and a name, where the name is a setting read above or one of
django-cors-headers' defaults imported from corsheaders.defaults. Anything else (a call such as
os.environ.get(), an f-string, an if block, a star import) is not run: it is reported as not
understood, with its line, and the setting keeps Django's default in the report.

Bounded, since the lab's page reads what any visitor pastes: the source's size, the nesting depth
of an expression, and the number of items a value may grow to.
"""

import ast
from dataclasses import dataclass, field

from crossorigin.deployment.settings import DEFAULT_CORS_ALLOW_HEADERS, DEFAULT_CORS_ALLOW_METHODS
from crossorigin.translation import gettext_noop, translate

MAX_SOURCE_BYTES = 64 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 1000
CORS_DEFAULTS = {"default_headers": DEFAULT_CORS_ALLOW_HEADERS, "default_methods": DEFAULT_CORS_ALLOW_METHODS}

WHY = {
    "not_literal": gettext_noop("not a literal ({kind}): it is not run, so the setting keeps its default here"),
    "unknown_name": gettext_noop("uses {name}, which is neither a setting read above nor a default of corsheaders.defaults"),
    "statement": gettext_noop("a {kind} statement: settings inside it are not read"),
    "star_import": gettext_noop("a star import: the settings it brings are not read"),
    "too_deep": gettext_noop("nested more than {depth} levels deep"),
    "too_many": gettext_noop("more than {items} items or characters"),
    "not_a_list": gettext_noop("+= or * of something that is not a list or tuple read above"),
}


class NotPython(ValueError):
    """The text is not Python (or is over the size limit); `line` says where, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _NotUnderstood(Exception):
    def __init__(self, why: str, **values):
        super().__init__(why)
        self.why, self.values = why, values


@dataclass
class ReadSettings:
    values: dict = field(default_factory=dict)
    # {"line": n, "name": NAME or None, "why": a sentence in the reader's language}
    not_understood: list = field(default_factory=list)

    def note(self, line: int, setting: str | None, why: str, **values):
        self.not_understood.append({"line": line, "name": setting, "why": translate(WHY[why]).format(**values)})


def read(source: str) -> ReadSettings:
    """The settings a file assigns as literals, and what it holds that is not read."""
    if len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise NotPython(f"over {MAX_SOURCE_BYTES} bytes")
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise NotPython(error.msg, error.lineno) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # ValueError: a NUL byte; the others: nesting deeper than the parser goes.
        raise NotPython(type(error).__name__) from None
    result, known = ReadSettings(), {}
    for node in tree.body:
        _statement(node, result, known)
    return result


def _statement(node, result: ReadSettings, known: dict):
    if isinstance(node, ast.ImportFrom):
        if any(alias.name == "*" for alias in node.names):
            result.note(node.lineno, None, "star_import")
        elif node.module == "corsheaders.defaults":
            for alias in node.names:
                if alias.name in CORS_DEFAULTS:
                    known[alias.asname or alias.name] = CORS_DEFAULTS[alias.name]
        return
    if isinstance(node, ast.Import) or isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return  # imports and docstrings set nothing
    target, value, augmented = _assignment(node)
    if target is None:
        result.note(node.lineno, None, "statement", kind=type(node).__name__)
        return
    if not target.isupper():
        return  # Django reads only upper-case names
    try:
        evaluated = _evaluate(value, known, 0)
        if augmented:
            if not isinstance(known.get(target), (list, tuple)) or not isinstance(evaluated, (list, tuple)):
                raise _NotUnderstood("not_a_list")
            evaluated = _sized(type(known[target])(list(known[target]) + list(evaluated)))
    except _NotUnderstood as problem:
        result.note(node.lineno, target, problem.why, **problem.values)
        result.values.pop(target, None)
        known.pop(target, None)
        return
    known[target] = result.values[target] = evaluated


def _assignment(node):
    """(name, value node, is +=) for NAME = ..., NAME: type = ..., NAME += ...; (None, ...) otherwise."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value, False
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        return node.target.id, node.value, False
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
        return node.target.id, node.value, True
    return None, None, False


def _sized(value):
    """Refuses a value past the limits: `A = A + A` on every line would double it each time."""
    if isinstance(value, (list, tuple, set, dict)) and len(value) > MAX_ITEMS:
        raise _NotUnderstood("too_many", items=MAX_ITEMS)
    if isinstance(value, str) and len(value) > MAX_SOURCE_BYTES:
        raise _NotUnderstood("too_many", items=MAX_SOURCE_BYTES)
    return value


def _evaluate(node, known: dict, depth: int):
    if depth > MAX_DEPTH:
        raise _NotUnderstood("too_deep", depth=MAX_DEPTH)
    deeper = depth + 1
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                spread = _evaluate(element.value, known, deeper)
                if not isinstance(spread, (list, tuple)):
                    raise _NotUnderstood("not_a_list")
                items.extend(spread)
            else:
                items.append(_evaluate(element, known, deeper))
            _sized(items)
        if isinstance(node, ast.Set):
            return _hashable(items)
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return _sized({_evaluate(k, known, deeper): _evaluate(v, known, deeper) for k, v in zip(node.keys, node.values)})
    if isinstance(node, ast.Name):
        if node.id in known:
            return known[node.id]
        raise _NotUnderstood("unknown_name", name=node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _evaluate(node.left, known, deeper), _evaluate(node.right, known, deeper)
        if type(left) is type(right) and isinstance(left, (str, list, tuple)):
            return _sized(left + right)
        raise _NotUnderstood("not_a_list")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) in (int, float):
        return -node.operand.value
    raise _NotUnderstood("not_literal", kind=type(node).__name__)


def _hashable(items):
    try:
        return set(items)
    except TypeError:
        raise _NotUnderstood("not_literal", kind="Set") from None
