"""Every household with its city's time zone and its settings, read in one query.

A citizen page needs its reader's household, time zone and settings, and the household page
the district's households with as many residents. Reading them per household took four
statements on every citizen's first visit; the server keeps this directory instead, read once
per version of the data (:mod:`sparcs.server.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sparcs.citizens.account import Settings
from sparcs.store.network import Household
from sparcs.store.store import Store

__all__ = ["Resident", "household_directory", "similar_in"]


@dataclass(frozen=True)
class Resident:
    """A household as its pages need it.

    Attributes
    ----------
    household
        The household record.
    timezone
        IANA zone of its city.
    settings
        What it chose (defaults when it never chose).
    """

    household: Household
    timezone: str
    settings: Settings


def household_directory(store: Store) -> dict[str, Resident]:
    """Every household of the store, by id.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    dict of str to Resident
        Households by id.
    """
    rows = store.backend.execute(
        """SELECT h.id, h.district_id, h.name, h.building_id, c.timezone, s.language, s.residents
           FROM households h JOIN districts d ON d.id = h.district_id
                JOIN cities c ON c.id = d.city_id
                LEFT JOIN household_settings s ON s.household_id = h.id"""
    )
    return {
        str(hid): Resident(
            Household(str(hid), str(district), str(name), building and str(building)),
            str(zone),
            Settings(
                None if language is None else str(language),
                None if residents is None else int(residents),
            ),
        )
        for hid, district, name, building, zone, language, residents in rows
    }


def similar_in(directory: dict[str, Resident], district: str, residents: int | None) -> set[str]:
    """Households of ``district`` with ``residents`` residents (empty when None).

    Parameters
    ----------
    directory
        :func:`household_directory`.
    district
        District id.
    residents
        Residents of the household compared; None when it never said.

    Returns
    -------
    set of str
        Household ids (the compared household among them).

    Examples
    --------
    >>> from sparcs.store.network import Household
    >>> d = {h: Resident(Household(h, "d1", h), "UTC", Settings(None, n))
    ...      for h, n in [("a", 2), ("b", 2), ("c", 3)]}
    >>> sorted(similar_in(d, "d1", 2)), similar_in(d, "d1", None)
    (['a', 'b'], set())
    """
    if residents is None:
        return set()
    return {
        hid
        for hid, found in directory.items()
        if found.household.district == district and found.settings.residents == residents
    }
