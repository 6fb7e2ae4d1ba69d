"""Check ``tenge …`` command lines of a shell snippet against the click commands without running them.

Used for README blocks that cannot run in the test (public networks, long-running services): each command must
exist, every option must be one of that command's, and its required options must be given.
"""

from __future__ import annotations

import shlex

import click


def command_lines(code: str) -> list[list[str]]:
    """The ``tenge`` invocations of ``code`` as argument lists (continuations joined, ``;``/``&&``/``|`` split)."""
    lexer = shlex.shlex(code.replace("\\\n", " "), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    lines: list[list[str]] = []
    current: list[str] = []
    for token in lexer:
        if token in {";", "&&", "||", "|", "&"} or token == "\n":
            lines.append(current)
            current = []
        else:
            current.append(token)
    lines.append(current)
    return [line[1:] for line in lines if line[:1] == ["tenge"]]


def _split_lines(code: str) -> list[str]:
    return [line for line in code.replace("\\\n", " ").splitlines() if line.strip()]


def invocations(code: str) -> list[list[str]]:
    """Every ``tenge`` invocation of ``code``, line by line."""
    found: list[list[str]] = []
    for line in _split_lines(code):
        found.extend(command_lines(line))
    return found


def problems(root: click.Command, args: list[str]) -> list[str]:
    """What is wrong with ``tenge ARGS`` (an empty list when it is well-formed)."""
    command = root
    path = ["tenge"]
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        ctx = click.Context(command, info_name=path[-1])
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            if command.invoke_without_command or not command.list_commands(ctx):
                break
            return [f"`{' '.join(path)}` has no command {rest[0]!r}"]
        path.append(rest.pop(0))
        command = sub
    options = {name: p for p in command.params if isinstance(p, click.Option) for name in [*p.opts, *p.secondary_opts]}
    options["--help"] = click.Option(["--help"], is_flag=True)
    found = []
    given = set()
    for token in rest:
        if token.startswith("-") and token != "-" and not token[1:2].isdigit():
            name = token.split("=", 1)[0]
            if name not in options:
                found.append(f"`{' '.join(path)}` has no option {name}")
            else:
                given.add(options[name].name)
    for param in command.params:
        if isinstance(param, click.Option) and param.required and param.name not in given:
            found.append(f"`{' '.join(path)}` needs {param.opts[0]}")
    if isinstance(command, click.Group) and not command.invoke_without_command and not rest:
        found.append(f"`{' '.join(path)}` needs a subcommand")
    return found
