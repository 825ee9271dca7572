"""What other wings keep of a member, for the member's download (``export``) and for the
deletion of their account (``deletion``). The accounts wing imports none of them: each
registers at start-up how its rows are exported and erased (notifications, for one, is a
wing nothing imports)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MemberData:
    export: Callable[[object], list[dict]]  # the member's rows, as plain data
    erase: Callable[[object], None]  # removes them, in the deletion's transaction


_parts: dict[str, MemberData] = {}


def register_member_data(name: str, *, export, erase) -> None:
    _parts[name] = MemberData(export=export, erase=erase)


def exported(user) -> dict[str, list[dict]]:
    return {name: part.export(user) for name, part in _parts.items()}


def erase(user) -> None:
    for part in _parts.values():
        part.erase(user)
