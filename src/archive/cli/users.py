"""`archive users`: the web's named accounts (store/accounts.py). Registered on the main group by
cli.py. Passwords are asked on the terminal (hidden, twice) or read from standard input
(--password-stdin, first line); they are never echoed, logged or stored as given."""
from __future__ import annotations

import sys
from datetime import datetime, timezone

import click

from ..store.accounts import ROLES, Accounts, check_password


def _accounts(ctx: click.Context) -> Accounts:
    return Accounts(ctx.obj.records.conn)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password",
                                default="", show_default=False)
    check_password(password)
    return password


@click.group("users")
def users_cmd() -> None:
    """Accounts of the web interface: editors (import, review, correct) and readers."""


@users_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="editor: import and correct; reader: read.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_context
def add_cmd(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add an account (the password is asked twice on the terminal)."""
    accounts = _accounts(ctx)
    accounts.check_new(name, role)  # before the password is asked
    user = accounts.add(name, role, _password(password_stdin))
    click.echo(f"added {user.name} ({user.role})")


@users_cmd.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """List the accounts: name, role, when created (UTC)."""
    users = _accounts(ctx).users()
    if not users:
        click.echo("no accounts (add one with `archive users add NAME --role editor`)")
    for u in users:
        created = datetime.fromtimestamp(u.created, timezone.utc).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{u.name}\t{u.role}\t{created}")


@users_cmd.command("remove")
@click.argument("name")
@click.pass_context
def remove_cmd(ctx: click.Context, name: str) -> None:
    """Remove an account; its sessions and API tokens stop working at once."""
    _accounts(ctx).remove(name)
    click.echo(f"removed {name}; its sessions and API tokens are revoked")


@users_cmd.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_context
def passwd_cmd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a new password; the account's sessions end (it logs in again)."""
    accounts = _accounts(ctx)
    accounts.need(name)  # an unknown name fails before the password is asked
    ended = accounts.set_password(name, _password(password_stdin))
    click.echo(f"password of {name} changed; {ended} session(s) ended")


@users_cmd.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every API token of the account instead.")
@click.pass_context
def token_cmd(ctx: click.Context, name: str, revoke: bool) -> None:
    """Print a new API token of the account (shown this once), for `Authorization: Bearer …`."""
    accounts = _accounts(ctx)
    if revoke:
        click.echo(f"revoked {accounts.revoke_tokens(name)} API token(s) of {name}")
        return
    token = accounts.new_token(name)
    click.echo(token)
    click.echo("(shown once: only its hash is kept)", err=True)

