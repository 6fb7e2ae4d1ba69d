"""``docs/cli.md``: every ``tenge`` command, generated from the click commands themselves.

Deterministic: commands in alphabetical order, help texts as written (not wrapped to a terminal width), defaults
shown only where the option asks for it (``show_default``), so the file depends on the code alone.
"""

from __future__ import annotations

import inspect

import click

HEADER = """# `tenge` command reference

Generated from the click commands by `python -m tenge.docs` - do not edit by hand; a test fails when this file
is stale. Every command also answers `--help`. Exit codes and environment variables: `tenge --help`.
"""


def _help_text(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or command.short_help or "")
    # click's \b marker (keep the next paragraph unwrapped) means nothing in Markdown: show such paragraphs as code.
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            paragraphs.append("```text\n" + paragraph[2:] + "\n```")
        else:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _type_name(kind: click.ParamType) -> str:
    if isinstance(kind, click.Choice):
        return " \\| ".join(str(c) for c in kind.choices)
    return kind.name.upper()


def _option_row(param: click.Parameter) -> str:
    assert isinstance(param, click.Option)
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    if param.is_flag:
        kind = "flag"
    else:
        kind = param.metavar or _type_name(param.type)
    extra = []
    if param.multiple:
        extra.append("repeatable")
    if param.required:
        extra.append("required")
    if param.show_default not in (None, False) and param.default is not None and not callable(param.default):
        extra.append(f"default: `{param.default}`")
    if param.envvar:
        extra.append(f"env: `{param.envvar}`")
    help_text = " ".join((param.help or "").split()).replace("|", "\\|")
    suffix = f" ({'; '.join(extra)})" if extra else ""
    return f"| {names} | {kind} | {help_text}{suffix} |"


def _usage(command: click.Command, path: str) -> str:
    ctx = click.Context(command, info_name=path)
    pieces = command.collect_usage_pieces(ctx)
    return f"{path} {' '.join(pieces)}".strip()


def _section(command: click.Command, path: list[str], out: list[str]) -> None:
    depth = min(len(path), 4)
    name = " ".join(path)
    out.append(f"{'#' * depth} `{name}`\n")
    text = _help_text(command)
    if text:
        out.append(text + "\n")
    out.append(f"```text\n{_usage(command, name)}\n```\n")
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    if options:
        out.append("| option | value | meaning |\n|---|---|---|")
        out.extend(_option_row(p) for p in options)
        out.append("")
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=name)
        for sub in sorted(command.list_commands(ctx)):
            child = command.get_command(ctx, sub)
            if child is not None and not child.hidden:
                _section(child, [*path, sub], out)


def render() -> str:
    """The whole reference as Markdown."""
    from tenge.cli.main import cli

    out = [HEADER]
    ctx = click.Context(cli, info_name="tenge")
    out.append("Commands: " + ", ".join(f"`{n}`" for n in cli.list_commands(ctx)) + ".\n")
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        if command is not None:
            _section(command, ["tenge", name], out)
    return "\n".join(out).rstrip() + "\n"
