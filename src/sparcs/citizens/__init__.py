"""Citizens at the heart: what a household sees of its own energy and of its district.

- :mod:`.usage` reads the hourly consumption and production of a district's households;
  :mod:`.comparison` compares one household with similar ones and with the district;
  :mod:`.origin` says where its electricity came from (own PV, the energy community, the grid)
  and its share of the district's balance; :mod:`.tips` ranks advice by its own data.
- :mod:`.privacy` suppresses every aggregate over fewer than :data:`K_MIN` households.
- :mod:`.proposals` and :mod:`.ballots` hold the district's proposals (with their simulated
  effect, :mod:`.measures`) and secret ballots; :mod:`.calendar` writes green windows as
  iCalendar; :mod:`.account` keeps settings, exports and deletes a household's data.

``docs/citizens.md`` describes the pages and the rules.
"""

from sparcs.citizens.privacy import K_MIN, Aggregate, aggregate

__all__ = ["K_MIN", "Aggregate", "aggregate"]
