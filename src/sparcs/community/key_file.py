"""The community file (``--shares``): shares, priority order, buildings, languages.

::

    name = "Kivikko energy community"     # optional, printed on the statements
    rounds = 5                            # optional: rounds of the iterative keys, 1 to 5
    priority = ["school", "flat-1"]       # priority key: served in this order
    [shares]                              # static, iterative and building-first keys
    school = 0.4
    flat-1 = 0.3
    flat-2 = 0.3                          # fractions summing to 1
    [buildings.kivikko]                   # building-first key: every member in one building
    property = "kivikko-common"           # optional: the building's common meter, served first
    members = ["flat-1", "flat-2"]
    [languages]                           # optional: a member's statement language
    flat-1 = "fi"

A ``priority`` list written under ``[shares]`` is taken as the priority list too.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sparcs.errors import DataError

__all__ = ["Building", "CommunityFile", "read_community_file"]

#: Largest deviation of the sum of the shares from 1 [-].
SHARES_TOLERANCE = 1e-6
_TOP_KEYS = ("name", "rounds", "priority", "shares", "buildings", "languages")


@dataclass(frozen=True)
class Building:
    """Members behind one building's connection (the Finnish model's property).

    Attributes
    ----------
    name
        Building id.
    members
        Its members other than the property.
    property
        The member for the building's common consumption, served first; ``""`` for none.
    """

    name: str
    members: tuple[str, ...]
    property: str = ""


@dataclass(frozen=True)
class CommunityFile:
    """What a community file says; every part optional.

    Attributes
    ----------
    name
        Community name for the statements.
    shares
        Member -> share, summing to 1 when given [-].
    priority
        Members in the order they are served by the priority key.
    buildings
        Buildings of the building-first key.
    languages
        Member -> statement language (``en``, ``fi``, ...).
    rounds
        Rounds of the iterative and building-first keys, the first included, 1 to 5 [-].
    source
        The file, for messages.
    """

    name: str = ""
    shares: Mapping[str, float] = field(default_factory=dict)
    priority: tuple[str, ...] = ()
    buildings: tuple[Building, ...] = ()
    languages: Mapping[str, str] = field(default_factory=dict)
    rounds: int = 5
    source: str = ""

    def building_of(self) -> dict[str, str]:
        """Member -> building name, properties included."""
        found: dict[str, str] = {}
        for building in self.buildings:
            for member in (*building.members, *([building.property] if building.property else [])):
                found[member] = building.name
        return found

    def check_members(self, members: Collection[str], readings: str) -> None:
        """Refuse members named here that the readings do not have.

        Parameters
        ----------
        members
            The members of the readings.
        readings
            Where the readings come from, for the message.

        Raises
        ------
        DataError
            A member of the shares, the priority list, a building or the languages that is
            not in the readings.
        """
        known = set(members)
        named = [
            ("[shares]", list(self.shares)),
            ("priority", list(self.priority)),
            ("[buildings]", list(self.building_of())),
            ("[languages]", list(self.languages)),
        ]
        for part, names in named:
            unknown = [name for name in names if name not in known]
            if unknown:
                msg = (
                    f"{self.source}: {part}: member {unknown[0]!r} is not in the readings "
                    f"{readings}; fix the name or remove it (members: "
                    f"{_sample(sorted(known))})"
                )
                raise DataError(msg)


def _sample(names: list[str]) -> str:
    return ", ".join(names[:8]) + (f", ... ({len(names)} in all)" if len(names) > 8 else "")


def _error(source: str, where: str, text: str) -> DataError:
    return DataError(f"{source}: {where}: {text}")


def _shares(table: Any, source: str) -> dict[str, float]:
    if not isinstance(table, dict):
        raise _error(source, "shares", "must be a table: [shares] then member = fraction lines")
    shares: dict[str, float] = {}
    for member, value in table.items():
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not 0 <= value <= 1 or not math.isfinite(value):
            msg = f"{value!r} is not a fraction between 0 and 1; write e.g. {member} = 0.25"
            raise _error(source, f"shares.{member}", msg)
        shares[member] = float(value)
    total = sum(shares.values())
    if shares and abs(total - 1) > SHARES_TOLERANCE:
        msg = (
            f"the shares sum to {total:.6g}, not 1; scale them so they add up to 1 "
            f"(e.g. divide each by {total:.6g})"
        )
        raise _error(source, "[shares]", msg)
    return shares


def _names(value: Any, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(source, where, 'must be a list of member names, e.g. ["a", "b"]')
    doubled = sorted({v for v in value if value.count(v) > 1})
    if doubled:
        raise _error(source, where, f"member {doubled[0]!r} is listed twice; list it once")
    return tuple(value)


def _buildings(table: Any, source: str) -> tuple[Building, ...]:
    if not isinstance(table, dict):
        raise _error(source, "buildings", "must be tables: [buildings.<name>] with members = [...]")
    found: list[Building] = []
    seen: dict[str, str] = {}
    for name, spec in table.items():
        where = f"buildings.{name}"
        if not isinstance(spec, dict) or set(spec) - {"members", "property"}:
            msg = 'takes members = ["a", "b"] and an optional property = "common-meter"'
            raise _error(source, where, msg)
        members = _names(spec.get("members", []), source, f"{where}.members")
        owner = spec.get("property", "")
        if not isinstance(owner, str):
            raise _error(source, f"{where}.property", "must be one member name")
        for member in (*members, *([owner] if owner else [])):
            if member in seen:
                msg = f"member {member!r} is in buildings {seen[member]!r} and {name!r}; keep one"
                raise _error(source, where, msg)
            seen[member] = name
        found.append(Building(name=name, members=members, property=owner))
    return tuple(found)


def read_community_file(path: str | Path) -> CommunityFile:
    """Read and check a community file (TOML).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    CommunityFile
        Its contents.

    Raises
    ------
    DataError
        Invalid TOML, an unknown key, a share outside [0, 1], shares not summing to 1, a
        member listed twice or in two buildings, an unknown language, rounds outside 1 to 5.
    """
    path = Path(path)
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        msg = f"{source}: not valid TOML: {exc}; fix the line it names"
        raise DataError(msg) from None
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        msg = f"unknown key; the file takes {', '.join(_TOP_KEYS)}"
        raise _error(source, unknown[0], msg)
    shares_table = dict(data.get("shares", {})) if isinstance(data.get("shares"), dict) else None
    priority = data.get("priority")
    if shares_table is not None and isinstance(shares_table.get("priority"), list):
        priority = shares_table.pop("priority")
    languages = data.get("languages", {})
    if not isinstance(languages, dict) or not all(isinstance(v, str) for v in languages.values()):
        raise _error(source, "languages", 'must be a table of member = "fi" lines')
    from sparcs.i18n import LANGUAGES

    for member, language in languages.items():
        if language not in LANGUAGES:
            msg = f"{language!r} is not a statement language; choose {', '.join(LANGUAGES)}"
            raise _error(source, f"languages.{member}", msg)
    name = data.get("name", "")
    if not isinstance(name, str):
        raise _error(source, "name", 'must be text, e.g. name = "Kivikko energy community"')
    rounds = data.get("rounds", 5)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 5:
        msg = f"{rounds!r} is not a number of rounds; write rounds = 1 to 5 (the Czech EDC: 5)"
        raise _error(source, "rounds", msg)
    return CommunityFile(
        name=name,
        rounds=rounds,
        shares=_shares(
            shares_table if shares_table is not None else data.get("shares", {}), source
        ),
        priority=_names(priority, source, "priority") if priority is not None else (),
        buildings=_buildings(data.get("buildings", {}), source),
        languages=dict(languages),
        source=source,
    )
