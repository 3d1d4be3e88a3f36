"""The schema of the store as numbered migrations, applied in order when a store is opened.

A migration is never silent: :func:`sparcs.store.open_store` logs each one it applies (and
hands it to the caller's ``on_migration``, which the CLI prints). A database whose version is
newer than the last migration this code knows is refused: an older ``sparcs`` must not write
into a schema it does not understand.

The SQL is written once for both back-ends; the few types that differ are placeholders
(``{float}``, ``{json}``, ``{ts}``) filled per dialect. Readings hold a meter *code* (an
integer) rather than the meter's text id: a year of 15-minute data of 1,000 meters is 35 M
rows, and the code keeps them small.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MIGRATIONS", "Migration", "latest_version"]

_TYPES = {
    "duckdb": {"float": "DOUBLE", "json": "VARCHAR", "ts": "TIMESTAMPTZ", "text": "VARCHAR"},
    "postgresql": {
        "float": "DOUBLE PRECISION",
        "json": "TEXT",
        "ts": "TIMESTAMPTZ",
        "text": "TEXT",
    },
}


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version, what it does, and its statements."""

    version: int
    description: str
    statements: tuple[str, ...]
    #: Statements for one dialect only (e.g. PostgreSQL's primary key on readings).
    only: tuple[tuple[str, str], ...] = ()

    def sql(self, dialect: str) -> list[str]:
        """The statements for ``dialect`` (``"duckdb"`` or ``"postgresql"``)."""
        types = _TYPES[dialect]
        own = [stmt for d, stmt in self.only if d == dialect]
        return [stmt.format(**types) for stmt in (*self.statements, *own)]


_V1 = (
    """CREATE TABLE cities (
        id {text} PRIMARY KEY, name {text} NOT NULL, timezone {text} NOT NULL)""",
    """CREATE TABLE districts (
        id {text} PRIMARY KEY, city_id {text} REFERENCES cities (id), name {text} NOT NULL)""",
    """CREATE TABLE buildings (
        id {text} PRIMARY KEY, district_id {text} REFERENCES districts (id),
        floor_area_m2 {float}, residents {float})""",
    # node: a building id or 'district'; quantity: a Flows name; resolution: ISO 8601 (PT15M)
    """CREATE TABLE meters (
        id {text} PRIMARY KEY, code INTEGER NOT NULL UNIQUE, node {text} NOT NULL,
        quantity {text} NOT NULL, unit {text} NOT NULL, resolution {text},
        timezone {text}, cumulative BOOLEAN NOT NULL DEFAULT FALSE)""",
    """CREATE TABLE ingest_batches (
        id INTEGER PRIMARY KEY, file {text} NOT NULL, checksum {text} NOT NULL,
        format {text} NOT NULL, accepted BIGINT NOT NULL, duplicates BIGINT NOT NULL,
        conflicts BIGINT NOT NULL, rejected BIGINT NOT NULL, flagged {json} NOT NULL,
        started_at {ts} NOT NULL, finished_at {ts} NOT NULL)""",
    # value in the internal unit of the quantity (kWh per step); NULL = reported missing
    """CREATE TABLE readings (
        meter INTEGER NOT NULL, time {ts} NOT NULL, value {float}, flags INTEGER NOT NULL,
        batch INTEGER NOT NULL)""",
    # a reading that disagrees with the one stored first: kept, reported, never applied
    """CREATE TABLE conflicts (
        meter INTEGER NOT NULL, time {ts} NOT NULL, value {float}, stored {float},
        batch INTEGER NOT NULL)""",
    """CREATE TABLE scenarios (
        id {text} PRIMARY KEY, name {text} NOT NULL, body {text} NOT NULL,
        created_at {ts} NOT NULL)""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY, scenario_id {text} NOT NULL REFERENCES scenarios (id),
        strategy {text} NOT NULL, status {text} NOT NULL, kpis {json},
        started_at {ts} NOT NULL, finished_at {ts})""",
)

_V2 = (
    # a household: the unit a citizen sees; it lives in a district and, optionally, a building
    """CREATE TABLE households (
        id {text} PRIMARY KEY, district_id {text} NOT NULL, building_id {text},
        name {text} NOT NULL)""",
    # where a meter belongs, for access control: its district and, optionally, a household
    """CREATE TABLE meter_scopes (
        meter_id {text} PRIMARY KEY, district_id {text} NOT NULL, household_id {text})""",
    "ALTER TABLE scenarios ADD COLUMN district_id {text}",
    "ALTER TABLE scenarios ADD COLUMN format {text}",
    # a bearer token is stored as the SHA-256 of its secret, never in clear
    """CREATE TABLE tokens (
        id {text} PRIMARY KEY, hash {text} NOT NULL UNIQUE, role {text} NOT NULL,
        city_id {text}, district_id {text}, household_id {text}, label {text},
        created_at {ts} NOT NULL, expires_at {ts}, revoked_at {ts})""",
    # background work of the server (runs); errors: a JSON list of messages
    """CREATE TABLE jobs (
        id {text} PRIMARY KEY, kind {text} NOT NULL, status {text} NOT NULL,
        progress {float} NOT NULL, stage {text}, errors {json} NOT NULL, run_id INTEGER,
        district_id {text}, created_at {ts} NOT NULL, started_at {ts}, finished_at {ts})""",
)

# live operation (sparcs.live): what was believed when. A schedule or forecast is never
# overwritten; a later cycle adds rows with a later belief time (as timely-beliefs keeps them)
_LIVE = (
    """CREATE TABLE cycles (
        district {text} NOT NULL, belief_time {ts} NOT NULL, strategy {text} NOT NULL,
        forecaster {text} NOT NULL, fallbacks {json} NOT NULL, finished_at {ts} NOT NULL,
        PRIMARY KEY (district, belief_time))""",
    """CREATE TABLE forecasts (
        district {text} NOT NULL, belief_time {ts} NOT NULL, time {ts} NOT NULL,
        series {text} NOT NULL, quantity {text} NOT NULL, forecaster {text} NOT NULL,
        value_kwh {float} NOT NULL)""",
    """CREATE TABLE schedules (
        district {text} NOT NULL, belief_time {ts} NOT NULL, asset {text} NOT NULL,
        time {ts} NOT NULL, kw {float} NOT NULL)""",
    # an operator's manual mode: the asset runs at kw from start_time to end_time
    """CREATE TABLE overrides (
        district {text} NOT NULL, asset {text} NOT NULL, start_time {ts} NOT NULL,
        end_time {ts} NOT NULL, kw {float} NOT NULL, created_at {ts} NOT NULL)""",
    "CREATE INDEX forecasts_belief ON forecasts (district, belief_time)",
    "CREATE INDEX schedules_belief ON schedules (district, belief_time)",
)

_V4 = (
    # what a household chose: its language and who lives there (for "similar households")
    """CREATE TABLE household_settings (
        household_id {text} PRIMARY KEY, language {text}, residents INTEGER)""",
    # a proposal the district puts to its households, with its simulated effect (JSON)
    """CREATE TABLE proposals (
        id {text} PRIMARY KEY, district_id {text} NOT NULL, title {text} NOT NULL,
        description {text} NOT NULL, deadline {ts} NOT NULL, decidim_url {text},
        scenario_id {text}, cost_eur {float}, effect {json} NOT NULL, created_at {ts} NOT NULL)""",
    # a secret ballot: its key is a hash the voter's token derives, never the household
    """CREATE TABLE ballots (
        proposal_id {text} NOT NULL, ballot_key {text} NOT NULL, choice {text} NOT NULL,
        PRIMARY KEY (proposal_id, ballot_key))""",
    # who has voted (eligibility, one vote per household), apart from what they voted
    """CREATE TABLE vote_register (
        proposal_id {text} NOT NULL, household_id {text} NOT NULL,
        PRIMARY KEY (proposal_id, household_id))""",
)

_V5 = (
    # a household's secret calendar-feed address: only the SHA-256 of its secret is kept
    """CREATE TABLE calendar_feeds (
        household_id {text} PRIMARY KEY, secret_hash {text} NOT NULL UNIQUE,
        created_at {ts} NOT NULL)""",
    # a browser's Web Push subscription (RFC 8030/8291) and the notices it opted in to
    """CREATE TABLE push_subscriptions (
        endpoint {text} PRIMARY KEY, household_id {text} NOT NULL, p256dh {text} NOT NULL,
        auth {text} NOT NULL, kinds {json} NOT NULL, created_at {ts} NOT NULL)""",
    # the server's VAPID key (RFC 8292), made on first use: PEM of its P-256 private key
    """CREATE TABLE vapid_keys (
        id {text} PRIMARY KEY, private_pem {text} NOT NULL, created_at {ts} NOT NULL)""",
)

#: Every migration, in order; the last one's version is the schema this code writes.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "cities, districts, buildings, meters, readings, ingest batches, conflicts, "
        "scenarios and runs",
        _V1,
        # PostgreSQL guards uniqueness with a key; DuckDB's ingest checks it in the same
        # transaction (its single writer makes that safe) without an index of 35 M entries
        only=(
            ("postgresql", "ALTER TABLE readings ADD PRIMARY KEY (meter, time)"),
            ("postgresql", "CREATE INDEX conflicts_meter_time ON conflicts (meter, time)"),
        ),
    ),
    Migration(
        2,
        "households, meter scopes, scenario districts, API tokens and jobs (sparcs serve)",
        _V2,
    ),
    Migration(3, "cycles, forecasts, schedules and overrides of live operation", _LIVE),
    Migration(4, "household settings, proposals, secret ballots and the vote register", _V4),
    Migration(5, "calendar feeds, Web Push subscriptions and the VAPID key of citizens", _V5),
)


def latest_version() -> int:
    """The schema version this code writes.

    Returns
    -------
    int
        The version of the last migration.
    """
    return MIGRATIONS[-1].version
