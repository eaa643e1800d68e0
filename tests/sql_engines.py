"""Real engines as the oracle of the SQL guard: a seeded SQLite file and a throwaway PostgreSQL
server, each with a snapshot of everything a statement could change.

test_sql_differential.py runs what the read-only guard allows on them and asserts the snapshot
did not move. A snapshot is a dict of named parts; two are equal when nothing observable changed.
The fixtures (``sqlite_engine``, ``postgres_engine``) are registered by conftest.py.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

Snapshot = dict[str, Any]
STATEMENT_TIMEOUT_S = 5  # a read that sleeps or loops must not hang the suite


def diff(before: Snapshot, after: Snapshot, limit: int = 8) -> list[str]:
    """What changed, part by part (and key by key inside a dict part)."""
    changes = []
    for part in sorted(before.keys() | after.keys()):
        old, new = before.get(part), after.get(part)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            changes += [f"{part}[{k}]: {old.get(k)!r} -> {new.get(k)!r}"[:300]
                        for k in keys[:limit]]
        elif isinstance(old, list) and isinstance(new, list):
            gone = [x for x in old if x not in new][:limit]
            came = [x for x in new if x not in old][:limit]
            changes.append(f"{part}: without {gone!r}, with {came!r}"[:800])
        else:
            changes.append(f"{part}: {old!r} -> {new!r}"[:400])
    return changes


def digest(rows: Any) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def files(folder: Path, skip: Sequence[str] = (), contents: bool = True) -> dict[str, str]:
    """Every file under ``folder`` (but those whose relative path or name is in ``skip``, and
    what is below them), with a hash of its contents, or only its presence."""
    found = {}
    skipped = set(skip)
    top = len(str(folder)) + 1
    for root, dirs, names in os.walk(folder):
        rel = root[top:]
        dirs[:] = [d for d in dirs if os.path.join(rel, d) not in skipped]
        for name in names:
            path = os.path.join(rel, name)
            if path in skipped or name in skipped:
                continue
            if not contents:
                found[path] = "present"
                continue
            try:
                found[path] = hashlib.sha256(Path(root, name).read_bytes()).hexdigest()[:16]
            except OSError as exc:  # a socket, or a file removed while we look
                found[path] = type(exc).__name__
    return found


# -- SQLite ------------------------------------------------------------------------------------
SQLITE_SEED = [
    "CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER, d TEXT)",
    "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, email TEXT)",
    "CREATE TABLE q (a INTEGER)",
    "CREATE TABLE u (n INTEGER)",
    "CREATE TABLE log (what TEXT, at INTEGER)",
    "CREATE INDEX t_a ON t (a)",
    "CREATE VIEW v AS SELECT a, b FROM t WHERE a > 0",
    "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('t', NEW.a); END",
    "INSERT INTO t VALUES (1, 10, 1, 'one'), (2, 20, 0, 'two;'), (3, NULL, 1, 'it''s')",
    "INSERT INTO users (name, email) VALUES ('ann', 'ann@example.org'), ('bob', NULL)",
    "INSERT INTO q VALUES (1)",
    "INSERT INTO u VALUES (7)",
    "PRAGMA user_version = 3",
]

# Pragmas that persist in the file or in the connection; a statement must leave them alone.
SQLITE_PRAGMAS = [
    "application_id", "auto_vacuum", "automatic_index", "busy_timeout", "cache_size",
    "cache_spill", "cell_size_check", "defer_foreign_keys", "encoding", "foreign_keys",
    "freelist_count", "ignore_check_constraints", "journal_mode", "journal_size_limit",
    "legacy_alter_table", "locking_mode", "max_page_count", "mmap_size", "page_count",
    "page_size", "query_only", "read_uncommitted", "recursive_triggers",
    "reverse_unordered_selects", "schema_version", "secure_delete", "synchronous", "temp_store",
    "trusted_schema", "user_version", "wal_autocheckpoint",
]  # fmt: skip


class SqliteEngine:
    """A scratch database file, seeded with tables, an index, a view, a trigger and data."""

    name = "sqlite"
    dialects = ("sqlite", "ansi")

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "oracle.db"
        self.conn: sqlite3.Connection | None = None
        self.reset()

    def reset(self, database: bool = True) -> None:
        """Back to the seeded state: a new file, a new connection (cheap: always both)."""
        if self.conn is not None:
            self.conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.conn = self._connect()
        for statement in SQLITE_SEED:
            self.conn.execute(statement)
        self.conn.close()
        self.conn = self._connect()
        # The temp schema shows in database_list once looked at: look at it from the start.
        self.conn.execute("SELECT count(*) FROM sqlite_temp_schema")

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: the module opens no transaction of its own; we do.
        conn = sqlite3.connect(self.path, isolation_level=None)
        deadline = [0.0]

        def interrupt() -> int:  # a runaway recursive CTE stops at the deadline
            return int(time.monotonic() > deadline[0])

        conn.set_progress_handler(interrupt, 10_000)
        self._deadline = deadline
        return conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def configure(self, options: dict[str, Any]) -> None:
        """SQLite has no setting that changes how it reads text."""

    def watch(self, text: str) -> None:
        """Nothing to prepare for SQLite (PostgreSQL listens for notifications)."""

    def _arm(self) -> None:
        self._deadline[0] = time.monotonic() + STATEMENT_TIMEOUT_S

    def run_each(self, statements: Sequence[str], autocommit: bool) -> list[str]:
        """Each statement in its own driver call (sqlite3 refuses a second one); without
        autocommit each in a transaction that is rolled back. Returns the engine's errors."""
        errors = []
        conn = self.conn
        assert conn is not None
        for text in statements:
            self._arm()
            try:
                if not autocommit:
                    conn.execute("BEGIN")
                conn.execute(text).fetchall()  # fetch: a SELECT runs as far as it is read
            except (sqlite3.Error, sqlite3.Warning) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                if not autocommit and conn.in_transaction:
                    conn.execute("ROLLBACK")
        return errors

    def run_whole(self, text: str, autocommit: bool) -> list[str]:
        """The whole text as the engine splits it (executescript: as a script runner would)."""
        conn = self.conn
        assert conn is not None
        self._arm()
        try:
            # A new line after BEGIN: the text starts a statement, as it would alone.
            conn.executescript(text if autocommit else "BEGIN;\n" + text)
            return []
        except (sqlite3.Error, sqlite3.Warning) as exc:
            return [f"{type(exc).__name__}: {exc}"]
        finally:
            if not autocommit and conn.in_transaction:
                conn.execute("ROLLBACK")

    def snapshot(self) -> Snapshot:
        conn = self.conn
        assert conn is not None
        snap: Snapshot = {
            "transaction": {"open": conn.in_transaction},
            # rows inserted, updated or deleted, rolled back or not: a write was attempted
            "changes": conn.total_changes,
        }
        was_open = conn.in_transaction
        snap["databases"] = conn.execute("PRAGMA database_list").fetchall()
        tables = {}
        for schema in sorted({name for _, name, _ in snap["databases"]} | {"temp"}):
            master = "sqlite_temp_schema" if schema == "temp" else f'"{schema}".sqlite_schema'
            rows = conn.execute(f"SELECT type, name, tbl_name, sql FROM {master}").fetchall()
            snap[f"schema {schema}"] = digest(sorted(rows, key=repr))
            for kind, name, _, _ in rows:
                if kind == "table":
                    content = conn.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall()
                    tables[f"{schema}.{name}"] = digest(sorted(content, key=repr))
        snap["tables"] = tables
        snap["pragmas"] = {p: conn.execute(f"PRAGMA {p}").fetchall() for p in SQLITE_PRAGMAS}
        snap["files"] = files(self.folder)
        assert conn.in_transaction == was_open  # looking opened nothing
        return snap


# -- PostgreSQL --------------------------------------------------------------------------------
PG_SEED = [
    'CREATE TABLE t (a int, b int, c int, d text, "price$usd$" numeric)',
    "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text)",
    "CREATE TABLE q (a int)",
    "CREATE TABLE u (n int)",
    "CREATE TABLE log (what text, at int)",
    "CREATE INDEX t_a ON t (a)",
    "CREATE VIEW v AS SELECT a, b FROM t WHERE a > 0",
    "CREATE SEQUENCE s",
    "SELECT nextval('s')",
    "CREATE FUNCTION t_log() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN INSERT INTO log VALUES ('t', NEW.a); RETURN NEW; END$$",
    "CREATE TRIGGER t_log AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_log()",
    "INSERT INTO t VALUES (1, 10, 1, 'one', 1.5), (2, 20, 0, 'two;', 2), "
    "(3, NULL, 1, 'it''s', NULL)",
    "INSERT INTO users (name, email) VALUES ('ann', 'ann@example.org'), ('bob', NULL)",
    "INSERT INTO q VALUES (1)",
    "INSERT INTO u VALUES (7)",
    "SELECT lo_from_bytea(4242, 'a large object')",
    "CREATE ROLE reader NOLOGIN",
]

# Catalogs a statement could change (per database and shared), each compared row by row.
PG_CATALOGS = [
    "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index", "pg_inherits",
    "pg_namespace", "pg_proc", "pg_type", "pg_trigger", "pg_event_trigger", "pg_rewrite",
    "pg_policy", "pg_description", "pg_extension", "pg_foreign_data_wrapper",
    "pg_foreign_server", "pg_user_mapping", "pg_publication", "pg_subscription", "pg_authid",
    "pg_auth_members", "pg_database", "pg_db_role_setting", "pg_tablespace", "pg_default_acl",
    "pg_largeobject_metadata", "pg_largeobject", "pg_statistic", "pg_statistic_ext",
    "pg_sequence", "pg_language", "pg_cast", "pg_operator", "pg_aggregate", "pg_collation",
    "pg_conversion", "pg_am", "pg_opclass", "pg_ts_config", "pg_ts_dict", "pg_depend",
    "pg_shdepend", "pg_shdescription", "pg_seclabel", "pg_init_privs", "pg_transform",
    "pg_replication_origin",
]  # fmt: skip

PG_IN_PLACE = ["pg_class", "pg_database", "pg_index"]  # catalogs with in-place updates

# Server state outside the catalogs (views over shared memory and files).
PG_VIEWS = {
    "replication slots": "SELECT slot_name, plugin, slot_type, database FROM pg_replication_slots",
    "prepared transactions": "SELECT gid, owner, database FROM pg_prepared_xacts",
    "config files": "SELECT sourcefile, name, setting, applied FROM pg_file_settings",
    "server settings": "SELECT name, setting, source FROM pg_settings",
    # Counters move with every read; when they were last reset does not.
    "statistics resets": "SELECT datname, stats_reset FROM pg_stat_database UNION ALL "
    "SELECT 'bgwriter', stats_reset FROM pg_stat_bgwriter UNION ALL "
    "SELECT 'wal', stats_reset FROM pg_stat_wal UNION ALL "
    "SELECT 'archiver', stats_reset FROM pg_stat_archiver UNION ALL "
    "SELECT name, stats_reset FROM pg_stat_slru",
}

# Data-directory parts that the server rewrites by itself (WAL, commit logs, statistics).
PG_VOLATILE = [
    "pg_wal", "pg_xact", "pg_stat_tmp", "pg_stat", "pg_subtrans", "pg_multixact", "pg_logical",
    "pg_notify", "pg_snapshots", "pg_serial", "pg_commit_ts", "pg_dynshmem", "pg_replslot",
    "postmaster.pid", "postmaster.opts", "pg_internal.init",
]  # fmt: skip


def find_postgres() -> tuple[Path, list[str]] | str:
    """The server's bin folder and the command prefix that runs it, or why there is none."""
    found = shutil.which("pg_ctl")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += [Path(p).parent for p in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                                                   key=lambda p: int(p.split("/")[4]))][::-1]
    bindir = next((c for c in candidates if (c / "initdb").exists() and (c / "postgres").exists()),
                  None)
    if bindir is None:
        return "PostgreSQL server binaries not found (Debian package: postgresql)"
    if os.geteuid() != 0:
        return bindir, []
    # The server refuses to run as root: run it as the package's system user.
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "running as root and there is no 'postgres' user to run the server as"
    if shutil.which("runuser"):
        return bindir, ["runuser", "-u", "postgres", "--"]
    return bindir, ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


class PostgresServer:
    """A server of our own: initdb into a temporary folder, a Unix socket there and no TCP,
    started with pg_ctl, stopped and removed by ``stop()``."""

    def __init__(self, bindir: Path, as_user: list[str]) -> None:
        self.bindir = bindir
        self.as_user = as_user
        self.root = Path(tempfile.mkdtemp(prefix="partialjson-pg-"))
        self.data = self.root / "data"
        self.scratch = self.root / "scratch"  # where COPY TO and lo_export are pointed
        self.log = self.root / "server.log"
        self.started = False

    def _run(self, *args: str) -> None:
        command = [*self.as_user, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}{log[-2000:]}")

    def start(self) -> None:
        began = time.monotonic()
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self.scratch.mkdir()
        if self.as_user:
            shutil.chown(self.scratch, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        settings = {
            "listen_addresses": "''",  # no TCP at all
            "unix_socket_directories": f"'{self.root}'",
            "autovacuum": "off",  # nothing rewrites catalogs or statistics behind our back
            "fsync": "off",
            "max_prepared_transactions": "4",  # so that PREPARE TRANSACTION could act
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.started = True
        self._seed()
        self.workers = self.background()
        self.own_files = set(os.listdir(self.data))
        self.start_seconds = time.monotonic() - began  # initdb, start, seed: about 1 s here

    def _seed(self) -> None:
        with self.connect("postgres") as admin:
            admin.execute("CREATE DATABASE seed")
        with self.connect("seed") as conn:
            for statement in PG_SEED:
                conn.execute(statement.encode())  # bytes: no placeholder parsing
        self.recreate()

    def recreate(self) -> None:
        """The database ``oracle`` anew, copied from the seeded template."""
        with self.connect("postgres") as admin:
            admin.execute("DROP DATABASE IF EXISTS oracle WITH (FORCE)")
            admin.execute("CREATE DATABASE oracle TEMPLATE seed")

    def background(self) -> list[str]:
        """The server's own processes (checkpointer, launchers…), by kind."""
        with self.connect("postgres") as conn:
            return sorted(kind for (kind,) in conn.execute(
                "SELECT backend_type FROM pg_stat_activity WHERE backend_type <> 'client backend'"))

    def connect(self, dbname: str = "oracle", **options: Any) -> Any:
        import psycopg

        options.setdefault("autocommit", True)
        return psycopg.connect(host=str(self.root), dbname=dbname, user="postgres", **options)

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class PostgresEngine:
    """Three connections to ``oracle``: ``conn`` runs the statements, ``observer`` takes the
    snapshots and listens for notifications, ``victim`` is an idle session that must survive."""

    name = "postgres"
    dialects = ("postgres", "ansi")

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.conns: list[Any] = []
        self.notes: list[str] = []
        self.wrote: list[str] = []  # statements whose rolled-back transaction wrote
        self.reset()

    def _connect(self) -> None:
        timeout = f"-c statement_timeout={STATEMENT_TIMEOUT_S}s -c lock_timeout=2s"
        # prepare_threshold=None: the driver prepares nothing of its own in the session we watch
        self.conn = self.server.connect(options=timeout, prepare_threshold=None)
        self.observer = self.server.connect()
        self.observer.add_notify_handler(lambda n: self.notes.append(f"{n.channel}: {n.payload}"))
        self.victim = self.server.connect()
        self.conns = [self.conn, self.observer, self.victim]
        self.listening: set[str] = set()
        self.pids = {c.info.backend_pid: role
                     for c, role in zip(self.conns, ("test", "observer", "victim"), strict=True)}

    def close(self) -> None:
        for conn in self.conns:
            conn.close()

    def reset(self, database: bool = True) -> None:
        """Back to the seeded state: new sessions, the database copied anew (unless
        ``database`` is false: nothing in it changed), no server-wide leftovers (settings
        written by ALTER SYSTEM, roles, databases, slots, files)."""
        self.close()
        server = self.server
        with server.connect("postgres") as admin:
            admin.execute("ALTER SYSTEM RESET ALL")
            admin.execute("SELECT pg_reload_conf()")
            admin.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots")
            for (gid,) in admin.execute("SELECT gid FROM pg_prepared_xacts").fetchall():
                admin.execute(f"ROLLBACK PREPARED '{gid}'")
        if database:
            server.recreate()
        with server.connect("postgres") as admin:  # the roles' objects went with the database
            admin.execute("DELETE FROM pg_db_role_setting")  # ALTER ROLE … SET (none seeded)
            for (name,) in admin.execute(
                "SELECT datname FROM pg_database WHERE datname NOT IN "
                "('postgres', 'template0', 'template1', 'seed', 'oracle')").fetchall():
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            for (role,) in admin.execute("SELECT rolname FROM pg_roles WHERE oid >= 16384 "
                                         "AND rolname <> 'reader'").fetchall():
                with contextlib.suppress(Exception):
                    admin.execute(f'DROP ROLE "{role}"')
        for leftover in server.scratch.iterdir():
            leftover.unlink()
        for name in set(os.listdir(server.data)) - server.own_files:  # lo_export('relative')
            (server.data / name).unlink()
        deadline = time.monotonic() + 15  # a terminated launcher is restarted after 5 s
        while server.background() != server.workers and time.monotonic() < deadline:
            time.sleep(0.2)
        self._connect()
        self.notes.clear()
        self.wrote.clear()

    def configure(self, options: dict[str, Any]) -> None:
        """Run the test session with the server settings a case names among its options
        (``standard_conforming_strings=False``…): the guard was told the server reads so."""
        import psycopg.sql

        known = {name for (name,) in self.conn.execute("SELECT name FROM pg_settings")}
        self.conn.execute("RESET ALL")
        for name, value in options.items():
            if name in known:
                value = {True: "on", False: "off"}.get(value, value)
                self.conn.execute(psycopg.sql.SQL("SET {} = {}").format(
                    psycopg.sql.Identifier(name), psycopg.sql.Literal(str(value))))

    def watch(self, text: str) -> None:
        """Listen on every name the text could notify: notifications reach only listeners."""
        import psycopg.sql

        words = re.findall(r"[^\W\d]\w*", text)  # NOTIFY folds an unquoted name to lower case
        names = {*words, *(w.lower() for w in words), *re.findall(r"'([^']{1,63})'", text)}
        for name in sorted(names - self.listening):
            with contextlib.suppress(Exception):
                self.observer.execute(psycopg.sql.SQL("LISTEN {}").format(
                    psycopg.sql.Identifier(name[:63])))
        self.listening |= names

    def _execute(
        self, text: str, autocommit: bool, extended: bool, errors: list[str],
        read_only: bool = False,
    ) -> None:
        import psycopg

        conn = self.conn
        if conn.closed:
            errors.append("the test connection is closed")
            return
        if conn.autocommit != autocommit:
            conn.autocommit = autocommit
        try:
            if read_only and not autocommit:
                conn.execute("SET TRANSACTION READ ONLY")
            # binary=True sends the extended protocol: one statement per call, as a careful
            # driver would; otherwise the simple protocol runs every statement of the text.
            conn.execute(text.encode(), binary=extended)
            if not autocommit:
                # Before the rollback hides it: did the transaction write anything at all?
                row = conn.execute("SELECT pg_current_xact_id_if_assigned()::text").fetchone()
                if row[0] is not None:
                    self.wrote.append(text)
        except (psycopg.Error, UnicodeError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}".strip())
            self._finish_copy()
        finally:
            if not conn.closed and not autocommit:
                conn.rollback()
                conn.autocommit = True  # no implicit BEGIN from the snapshot queries

    def _finish_copy(self) -> None:
        """The driver refuses a COPY the server started (``execute`` is not ``copy()``): read
        the rows out, send none in, and read the results of what follows, as a client would."""
        import psycopg
        from psycopg import pq

        pg = self.conn.pgconn
        while pg.transaction_status == pq.TransactionStatus.ACTIVE:
            try:
                while pg.get_copy_data(0)[0] > 0:  # COPY … TO STDOUT: -1 when done
                    pass
            except psycopg.OperationalError:  # COPY … FROM STDIN
                pg.put_copy_end(b"the oracle sends no rows")
            while (result := pg.get_result()) is not None:
                if result.status in (pq.ExecStatus.COPY_OUT, pq.ExecStatus.COPY_IN):
                    break

    def run_each(
        self, statements: Sequence[str], autocommit: bool, read_only: bool = False
    ) -> list[str]:
        """Each statement in its own driver call, on the extended protocol (the server refuses
        a second statement); without autocommit in a transaction (``read_only``: a READ ONLY
        one) that is rolled back."""
        errors: list[str] = []
        for text in statements:
            self._execute(text, autocommit, True, errors, read_only)
        return errors

    def run_whole(self, text: str, autocommit: bool) -> list[str]:
        """The whole text on the simple protocol: the server splits it, as psql would."""
        errors: list[str] = []
        self._execute(text, autocommit, False, errors)
        return errors

    def snapshot(self) -> Snapshot:
        import psycopg.sql

        obs = self.observer
        snap: Snapshot = {}
        tables = {}
        relations = obs.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm', 'S') AND n.nspname NOT IN "
            "('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' "
            "AND n.nspname NOT LIKE 'pg_toast_temp%'").fetchall()
        for schema, name, kind in relations:
            ident = psycopg.sql.Identifier(schema, name)
            if kind == "S":  # read, not nextval: reading does not advance it
                query = psycopg.sql.SQL("SELECT last_value, is_called FROM {}").format(ident)
            else:  # row versions too: an UPDATE of the same values shows (xmin, ctid), and
                # so do a row lock and a rolled-back DELETE (xmax)
                query = psycopg.sql.SQL(
                    "SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM "
                    "(SELECT concat_ws(' ', x::text, x.xmin, x.xmax, x.ctid) AS r FROM {} x) s"
                ).format(ident)
            tables[f"{schema}.{name}"] = obs.execute(query).fetchall()
        snap["tables"] = tables
        # Every row version of every catalog: a committed change gets a new xmin (and ctid).
        # What the server updates in place (statistics, flags) is compared by content.
        versions = ", ".join(
            f"(SELECT count(*)::text || ' ' || coalesce(sum(hashtextextended("
            f"x.xmin::text || x.ctid::text, 0)), 0) FROM {name} x) AS {name}"
            for name in PG_CATALOGS)
        row = obs.execute(f"SELECT {versions}").fetchone()
        snap["catalogs"] = dict(zip(PG_CATALOGS, row, strict=True))
        for name in PG_IN_PLACE:
            snap["catalogs"][f"{name} content"] = obs.execute(
                f"SELECT count(*), sum(hashtextextended(x::text, 0)) FROM {name} x").fetchone()
        for part, query in PG_VIEWS.items():
            snap[part] = sorted(obs.execute(query).fetchall(), key=repr)
        pids = self.pids
        snap["sessions"] = sorted(
            (pids.get(pid, "other"), pid, kind)
            for pid, kind in obs.execute("SELECT pid, backend_type FROM pg_stat_activity"))
        snap["locks"] = sorted((pids.get(row[0], "other"), *row[1:]) for row in obs.execute(
            "SELECT pid, locktype, database, relation, page, tuple, transactionid::text, "
            "classid, objid, objsubid, mode, granted FROM pg_locks "
            "WHERE pid IS DISTINCT FROM pg_backend_pid()"))
        snap["session"] = self._session()
        snap["victim"] = self._alive(self.victim)
        obs.execute("SELECT 1")  # a round trip: notifications sent meanwhile arrive
        snap["notifications"] = list(self.notes)
        snap["wrote in a rolled-back transaction"] = list(self.wrote)
        snap["files"] = {
            "scratch": files(self.server.scratch),
            "data": files(self.server.data, PG_VOLATILE, contents=False),
            "config": {name: digest((self.server.data / name).read_bytes())
                       for name in ("postgresql.auto.conf", "postgresql.conf", "pg_hba.conf")},
        }
        return snap

    @staticmethod
    def _alive(conn: Any) -> Any:
        if conn.closed:
            return "closed"
        try:
            return conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        except Exception as exc:
            return f"dead: {type(exc).__name__}"

    def _session(self) -> Snapshot:
        """The test session's own state: what SET, PREPARE, DECLARE, LISTEN left behind."""
        conn = self.conn
        if conn.closed:
            return {"alive": False}
        state = {"transaction": conn.info.transaction_status.name}
        try:
            state["pid"] = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            state["who"] = conn.execute("SELECT current_user, session_user").fetchone()
            state["settings"] = dict(conn.execute("SELECT name, setting FROM pg_settings"))
            for part, query in (("prepared", "SELECT name, statement FROM pg_prepared_statements"),
                                ("cursors", "SELECT name FROM pg_cursors WHERE name <> ''"),
                                ("listening", "SELECT pg_listening_channels()")):
                state[part] = sorted(conn.execute(query).fetchall())
        except Exception as exc:
            state["error"] = f"{type(exc).__name__}: {exc}"
        return state


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One server per session; skipped with the reason where PostgreSQL is absent (not on CI,
    whose .ci/run installs it)."""
    found = find_postgres()
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"CI must test on PostgreSQL: {found}")
        pytest.skip(found)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (the dev extra)")
    server = PostgresServer(*found)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def postgres_engine(postgres_server: PostgresServer) -> Iterator[PostgresEngine]:
    engine = PostgresEngine(postgres_server)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteEngine]:
    engine = SqliteEngine(tmp_path_factory.mktemp("sqlite") / "db")
    yield engine
    engine.close()
