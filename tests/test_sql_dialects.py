"""Where statements end, dialect by dialect: every fact of notes/sql.md as a named case.

Expected statements are written by hand from the dialect facts. Cases marked ``SG`` are plain
lexical splits (no blocks, client commands or executable comments), where sqlglot's tokenizer,
split at its semicolon tokens, must agree: an independent second opinion.
"""

from __future__ import annotations

import pytest
import sqlglot
from sql_support import run, split
from sqlglot.tokens import TokenType
from support import cut, one_by_one

from partialjson import sql

SG = "sqlglot agrees"
S, INS, U, D, C = "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE"

CASES: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    # -- every dialect -----------------------------------------------------------------------
    ("ansi", "two statements",
     "SELECT 1; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("ansi", "';' in strings and quoted identifiers",
     "SELECT 'a;b', 'it''s;' AS \"x;\"\"y\"; SELECT 2",
     [("SELECT 'a;b', 'it''s;' AS \"x;\"\"y\"", S), ("SELECT 2", S)], SG),
    ("ansi", "comments nest",
     "SELECT 1 /* a /* ; */ b; */; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("ansi", "empty statements and comment-only segments make nothing",
     "SELECT 1;;  ; -- just; a comment\n/* and; this */ ; SELECT 2;",
     [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("ansi", "nothing but comments",
     "-- only; a comment\n/* and ; this */\n", [], ""),
    ("ansi", "comments around a statement are not its text",
     "/* lead; */ SELECT 1 -- trail;\n; SELECT /* in */ 2 /* after */",
     [("SELECT 1", S), ("SELECT /* in */ 2", S)], ""),
    ("ansi", "the last statement completes without ';'",
     "INSERT INTO t VALUES (1);\nDELETE FROM t", [("INSERT INTO t VALUES (1)", INS),
                                                  ("DELETE FROM t", D)], SG),
    ("ansi", "a '/' line is division (no SQL*Plus)",
     "SELECT 4\n/\n2;", [("SELECT 4\n/\n2", S)], SG),
    ("ansi", "BEGIN at top level is a transaction, even without ';'",
     "BEGIN\nUPDATE t SET a = 1;\nCOMMIT;",
     [("BEGIN\nUPDATE t SET a = 1", "BEGIN"), ("COMMIT", "COMMIT")], ""),
    ("ansi", "CASE … END is not a block",
     "SELECT CASE WHEN a THEN 1 END; SELECT 2", [("SELECT CASE WHEN a THEN 1 END", S),
                                                ("SELECT 2", S)], SG),
    # -- postgres ----------------------------------------------------------------------------
    ("postgres", "a backslash is an ordinary character in standard strings",
     "SELECT 'a\\'; SELECT 'b'", [("SELECT 'a\\'", S), ("SELECT 'b'", S)], SG),
    ("postgres", "E'…' strings take backslash escapes",
     "SELECT E'a\\'; b'; SELECT 2", [("SELECT E'a\\'; b'", S), ("SELECT 2", S)], SG),
    ("postgres", "dollar quotes, with and without a tag",
     "SELECT $$a;b$$; SELECT $fn$ x; $$ ; $fn$; SELECT 3",
     [("SELECT $$a;b$$", S), ("SELECT $fn$ x; $$ ; $fn$", S), ("SELECT 3", S)], SG),
    ("postgres", "dollar tags are case-sensitive",
     "SELECT $TAG$ a $tag$ b; $TAG$; SELECT 2",
     [("SELECT $TAG$ a $tag$ b; $TAG$", S), ("SELECT 2", S)], SG),
    ("postgres", "$1 is a parameter and price$usd$ an identifier",
     "SELECT $1; SELECT price$usd$ FROM t; SELECT 3",
     [("SELECT $1", S), ("SELECT price$usd$ FROM t", S), ("SELECT 3", S)], ""),
    ("postgres", "'--' is always a comment: 5--2 comments out the rest of the line",
     "SELECT 5--2;\nSELECT 3", [("SELECT 5--2;\nSELECT 3", S)], ""),
    ("postgres", "comments nest",
     "SELECT 1 /* a /* b */ c; */; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("postgres", "BEGIN ATOMIC … END body of CREATE FUNCTION",
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
     "SELECT CASE WHEN true THEN 2 END; END; SELECT f()",
     [("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
       "SELECT CASE WHEN true THEN 2 END; END", C), ("SELECT f()", S)], ""),
    ("postgres", "';' inside parentheses does not split (CREATE RULE)",
     "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO q VALUES (1); DELETE FROM q); "
     "SELECT 2",
     [("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO q VALUES (1); DELETE FROM q)", C),
      ("SELECT 2", S)], ""),
    ("postgres", "a body in a dollar quote",
     "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql; "
     "DO $$ BEGIN PERFORM 1; END $$; SELECT 1",
     [("CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
       C), ("DO $$ BEGIN PERFORM 1; END $$", "DO"), ("SELECT 1", S)], ""),
    ("postgres", "BEGIN is a transaction, END commits",
     "BEGIN; SELECT 1; END;", [("BEGIN", "BEGIN"), ("SELECT 1", S), ("END", "COMMIT")], ""),
    # -- mysql -------------------------------------------------------------------------------
    ("mysql", "'#' comments need no space",
     "SELECT 1 #c;\n; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("mysql", "'--' is a comment only before whitespace",
     "SELECT 5--2;\nSELECT 3 -- c;\n; SELECT 4",
     [("SELECT 5--2", S), ("SELECT 3", S), ("SELECT 4", S)], SG),
    ("mysql", "double quotes make strings; backslashes escape in both",
     "SELECT 'a\\';b', \"c;\\\"d\", `e;``f`; SELECT 2",
     [("SELECT 'a\\';b', \"c;\\\"d\", `e;``f`", S), ("SELECT 2", S)], SG),
    ("mysql", "comments do not nest",
     "SELECT 1 /* a /* b */ ; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("mysql", "an executable comment is code",
     "SELECT 1; /*!50000 DROP TABLE users */",
     [("SELECT 1", S), ("/*!50000 DROP TABLE users */", "DROP")], ""),
    ("mysql", "MariaDB executable comments, and optimizer hints are comments",
     "/*M!100100 DELETE FROM t */; SELECT /*+ BKA(t) */ 1",
     [("/*M!100100 DELETE FROM t */", D), ("SELECT /*+ BKA(t) */ 1", S)], ""),
    ("mysql", "DELIMITER switches the terminator",
     "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; "
     "END ;;\nDELIMITER ;\nSELECT 1;",
     [("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END", C),
      ("SELECT 1", S)], ""),
    ("mysql", "DELIMITER // and a procedure",
     "delimiter //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\ndelimiter ;\nCALL p();",
     [("CREATE PROCEDURE p() BEGIN SELECT 1; END", C), ("CALL p()", "CALL")], ""),
    ("mysql", "DELIMITER $$: END$$ is END, then the terminator",
     "DELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nSELECT f()$$",
     [("CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END", C), ("SELECT f()", S)], ""),
    ("mysql", "with another terminator, ';' still ends a statement outside bodies",
     "DELIMITER //\nSELECT 1; DROP TABLE t//",
     [("SELECT 1", S), ("DROP TABLE t", "DROP")], ""),
    ("mysql", "a procedure body without DELIMITER",
     "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; CALL p()",
     [("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", C), ("CALL p()", "CALL")], ""),
    ("mysql", "IF … END IF, CASE … END CASE, REPEAT … END REPEAT, labels",
     "CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1; ELSEIF b THEN SELECT 2; END IF; "
     "CASE x WHEN 1 THEN SELECT 3; ELSE SELECT 4; END CASE; "
     "l1: REPEAT SET x = x + 1; UNTIL x > 3 END REPEAT l1; SET y = IF(x, 1, 2); END; SELECT 5",
     [("CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1; ELSEIF b THEN SELECT 2; END IF; "
       "CASE x WHEN 1 THEN SELECT 3; ELSE SELECT 4; END CASE; "
       "l1: REPEAT SET x = x + 1; UNTIL x > 3 END REPEAT l1; SET y = IF(x, 1, 2); END", C),
      ("SELECT 5", S)], ""),
    ("mysql", "the client's \\G and \\g send a statement",
     "SELECT 1\\G SELECT 2\\g", [("SELECT 1", S), ("SELECT 2", S)], ""),
    ("mysql", "BEGIN at top level is a transaction",
     "BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;",
     [("BEGIN", "BEGIN"), ("UPDATE t SET a = 1", U), ("COMMIT", "COMMIT")], ""),
    # -- sqlite ------------------------------------------------------------------------------
    ("sqlite", "a backslash is an ordinary character",
     "SELECT 'a\\'; SELECT 'b'", [("SELECT 'a\\'", S), ("SELECT 'b'", S)], SG),
    ("sqlite", "identifiers in [ ], ` ` and \" \"",
     "SELECT [a;b], `c;d`, \"e;f\"; SELECT 2",
     [("SELECT [a;b], `c;d`, \"e;f\"", S), ("SELECT 2", S)], SG),
    ("sqlite", "trigger body, with CASE … END inside",
     "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = CASE WHEN 1 THEN 2 END; "
     "DELETE FROM v; END; SELECT 1",
     [("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = CASE WHEN 1 THEN 2 END; "
       "DELETE FROM v; END", C), ("SELECT 1", S)], ""),
    ("sqlite", "a comment may run to the end of input",
     "SELECT 1; SELECT 2 /* trailing", [("SELECT 1", S), ("SELECT 2", S)], ""),
    ("sqlite", "comments do not nest",
     "SELECT 1 /* a /* b */ c; */", [("SELECT 1 /* a /* b */ c", S), ("*/", "UNKNOWN")], ""),
    ("sqlite", "BEGIN IMMEDIATE and END TRANSACTION",
     "BEGIN IMMEDIATE; SELECT 1; END TRANSACTION;",
     [("BEGIN IMMEDIATE", "BEGIN"), ("SELECT 1", S), ("END TRANSACTION", "COMMIT")], ""),
    # -- tsql --------------------------------------------------------------------------------
    ("tsql", "GO lines end batches, in any case",
     "SELECT 1\nGO\nSELECT 2\ngo\nSELECT 3", [("SELECT 1", S), ("SELECT 2", S),
                                             ("SELECT 3", S)], ""),
    ("tsql", "GO with a count and a comment, indented",
     "SELECT 1\n  GO 2 -- twice\nSELECT 2", [("SELECT 1", S), ("SELECT 2", S)], ""),
    ("tsql", "GO inside strings, identifiers and comments is text",
     "SELECT 'a\nGO\n', [b\nGO\n] /*\nGO\n*/ FROM t",
     [("SELECT 'a\nGO\n', [b\nGO\n] /*\nGO\n*/ FROM t", S)], ""),
    ("tsql", "GOTO is not GO",
     "GOTO done;\ngo_on: SELECT 1", [("GOTO done", "GOTO"), ("go_on: SELECT 1", "UNKNOWN")], ""),
    ("tsql", "strings, [identifiers]]] and \"identifiers\"",
     "SELECT N'a;''b', [c;]]d], \"e;\"; SELECT 2",
     [("SELECT N'a;''b', [c;]]d], \"e;\"", S), ("SELECT 2", S)], SG),
    ("tsql", "no ';' needed: a read ends where a write begins",
     "SELECT name FROM sys.tables\nDELETE FROM audit_log",
     [("SELECT name FROM sys.tables", S), ("DELETE FROM audit_log", D)], ""),
    ("tsql", "IF … BEGIN … END",
     "IF 1=1 BEGIN SELECT 1; DELETE FROM t; END; SELECT 3",
     [("IF 1=1 BEGIN SELECT 1; DELETE FROM t; END", "IF"), ("SELECT 3", S)], ""),
    ("tsql", "BEGIN TRAN is a transaction",
     "BEGIN TRAN;\nUPDATE t SET a = 1;\nCOMMIT TRAN;",
     [("BEGIN TRAN", "BEGIN"), ("UPDATE t SET a = 1", U), ("COMMIT TRAN", "COMMIT")], ""),
    ("tsql", "BEGIN TRY … END TRY BEGIN CATCH … END CATCH",
     "BEGIN TRY SELECT 1/0; END TRY BEGIN CATCH SELECT ERROR_MESSAGE(); END CATCH; SELECT 2",
     [("BEGIN TRY SELECT 1/0; END TRY BEGIN CATCH SELECT ERROR_MESSAGE(); END CATCH", "BLOCK"),
      ("SELECT 2", S)], ""),
    ("tsql", "CREATE PROCEDURE runs to the next GO",
     "CREATE PROCEDURE p AS BEGIN SELECT 1; END; EXEC p\nGO\nEXEC p",
     [("CREATE PROCEDURE p AS BEGIN SELECT 1; END; EXEC p", C), ("EXEC p", "EXECUTE")], ""),
    ("tsql", "WHILE … BEGIN … END",
     "WHILE @i < 3 BEGIN SET @i = @i + 1; END; SELECT @i",
     [("WHILE @i < 3 BEGIN SET @i = @i + 1; END", "WHILE"), ("SELECT @i", S)], ""),
    ("tsql", "#temp and @variables are words, not comments or keywords",
     "SELECT @begin, #end FROM #t; SELECT 2", [("SELECT @begin, #end FROM #t", S),
                                               ("SELECT 2", S)], ""),
    # -- bigquery ----------------------------------------------------------------------------
    ("bigquery", "backslash escapes; no doubled quotes",
     "SELECT 'a\\';b', \"c;\\\"d\"; SELECT 2",
     [("SELECT 'a\\';b', \"c;\\\"d\"", S), ("SELECT 2", S)], SG),
    ("bigquery", "triple-quoted and raw strings",
     "SELECT '''a;'b''', \"\"\"c;\"\"\", r'\\';'; SELECT 2",
     [("SELECT '''a;'b''', \"\"\"c;\"\"\", r'\\';'", S), ("SELECT 2", S)], SG),
    ("bigquery", "'#' comments and `identifiers`",
     "SELECT `a;b` # c;\nFROM t; SELECT 2", [("SELECT `a;b` # c;\nFROM t", S),
                                            ("SELECT 2", S)], SG),
    ("bigquery", "a script block",
     "BEGIN\n  SELECT 1;\n  IF x THEN SELECT CASE WHEN a THEN 1 END; END IF;\nEND;\nSELECT 3;",
     [("BEGIN\n  SELECT 1;\n  IF x THEN SELECT CASE WHEN a THEN 1 END; END IF;\nEND", "BLOCK"),
      ("SELECT 3", S)], ""),
    ("bigquery", "BEGIN; and BEGIN TRANSACTION are transactions",
     "BEGIN; SELECT 1; COMMIT; BEGIN TRANSACTION; COMMIT TRANSACTION",
     [("BEGIN", "BEGIN"), ("SELECT 1", S), ("COMMIT", "COMMIT"), ("BEGIN TRANSACTION", "BEGIN"),
      ("COMMIT TRANSACTION", "COMMIT")], ""),
    ("bigquery", "IF, LOOP, WHILE and FOR statements at top level",
     "IF x THEN SELECT 1; ELSE SELECT 2; END IF; "
     "LOOP SET x = x + 1; IF x > 3 THEN LEAVE; END IF; END LOOP; "
     "WHILE x < 3 DO SET x = x + 1; END WHILE; "
     "FOR r IN (SELECT 1 AS n) DO SELECT r.n; END FOR; SELECT IF(a, 1, 2)",
     [("IF x THEN SELECT 1; ELSE SELECT 2; END IF", "IF"),
      ("LOOP SET x = x + 1; IF x > 3 THEN LEAVE; END IF; END LOOP", "LOOP"),
      ("WHILE x < 3 DO SET x = x + 1; END WHILE", "WHILE"),
      ("FOR r IN (SELECT 1 AS n) DO SELECT r.n; END FOR", "FOR"),
      ("SELECT IF(a, 1, 2)", S)], ""),
    ("bigquery", "a procedure",
     "CREATE PROCEDURE ds.p() BEGIN SELECT 1; END; CALL ds.p()",
     [("CREATE PROCEDURE ds.p() BEGIN SELECT 1; END", C), ("CALL ds.p()", "CALL")], ""),
    # -- snowflake ---------------------------------------------------------------------------
    ("snowflake", "'//' comments",
     "SELECT 1 // c;\n; SELECT 2", [("SELECT 1", S), ("SELECT 2", S)], SG),
    ("snowflake", "backslash and doubled quotes",
     "SELECT 'a\\';b', 'c''d;'; SELECT 2", [("SELECT 'a\\';b', 'c''d;'", S),
                                           ("SELECT 2", S)], SG),
    ("snowflake", "$$ strings; $1 and $variables",
     "SELECT $$ a; $$; SELECT $1 FROM t; SELECT $v",
     [("SELECT $$ a; $$", S), ("SELECT $1 FROM t", S), ("SELECT $v", S)], ""),
    ("snowflake", "a procedure body in $$",
     "CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$ BEGIN RETURN 'x;'; END $$; "
     "CALL p()",
     [("CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$ BEGIN RETURN 'x;'; END $$", C),
      ("CALL p()", "CALL")], ""),
    ("snowflake", "anonymous blocks, with a DECLARE section",
     "BEGIN SELECT 1; END; DECLARE x INT DEFAULT 0; BEGIN x := 1; RETURN x; END; SELECT 2",
     [("BEGIN SELECT 1; END", "BLOCK"),
      ("DECLARE x INT DEFAULT 0; BEGIN x := 1; RETURN x; END", "BLOCK"), ("SELECT 2", S)], ""),
    ("snowflake", "transactions",
     "BEGIN; BEGIN WORK; BEGIN TRANSACTION; BEGIN NAME t1; COMMIT",
     [("BEGIN", "BEGIN"), ("BEGIN WORK", "BEGIN"), ("BEGIN TRANSACTION", "BEGIN"),
      ("BEGIN NAME t1", "BEGIN"), ("COMMIT", "COMMIT")], ""),
    ("snowflake", "FOR … DO … END FOR and WHILE … LOOP … END LOOP inside a block",
     "BEGIN FOR i IN 1 TO 3 DO SELECT 1; END FOR; WHILE (x < 3) LOOP x := x + 1; END LOOP; "
     "END; SELECT v:loop::string FROM t",
     [("BEGIN FOR i IN 1 TO 3 DO SELECT 1; END FOR; WHILE (x < 3) LOOP x := x + 1; END LOOP; "
       "END", "BLOCK"), ("SELECT v:loop::string FROM t", S)], ""),
    ("snowflake", "EXECUTE IMMEDIATE of a $$ body",
     "EXECUTE IMMEDIATE $$ SELECT 1; SELECT 2 $$; SELECT 3",
     [("EXECUTE IMMEDIATE $$ SELECT 1; SELECT 2 $$", "EXECUTE"), ("SELECT 3", S)], ""),
]  # fmt: skip

IDS = [f"{dialect}: {name}" for dialect, name, *_ in CASES]


@pytest.mark.parametrize(("dialect", "name", "text", "expected", "_sg"), CASES, ids=IDS)
def test_statements_and_kinds(
    dialect: str, name: str, text: str, expected: list[tuple[str, str]], _sg: str
) -> None:
    assert split(text, dialect) == expected
    assert run(one_by_one(text), dialect).split == expected


def sqlglot_split(text: str, dialect: str) -> list[str]:
    """sqlglot's tokens, grouped at semicolons: the text from each group's first token to its
    last (comments are not tokens)."""
    read = sql.DIALECTS[dialect].sqlglot
    groups: list[list[sqlglot.tokens.Token]] = [[]]
    for token in sqlglot.tokenize(text, read=read):
        if token.token_type == TokenType.SEMICOLON:
            groups.append([])
        else:
            groups[-1].append(token)
    return [text[g[0].start : g[-1].end + 1] for g in groups if g]


@pytest.mark.parametrize(
    ("dialect", "text", "expected"),
    [(dialect, text, expected) for dialect, _, text, expected, sg in CASES if sg],
    ids=[case_id for case_id, case in zip(IDS, CASES, strict=True) if case[4]],
)
def test_plain_splits_agree_with_sqlglot(
    dialect: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert sqlglot_split(text, dialect) == [statement for statement, _ in expected]


@pytest.mark.parametrize(
    ("dialect", "text", "message", "pending"),
    [
        ("mysql", "SELECT 'a\\'; SELECT 'b'", "unterminated '…'", "SELECT 'a\\'; SELECT 'b'"),
        ("postgres", "SELECT 1; SELECT $q$ a;", "unterminated dollar-quoted string",
         "SELECT $q$ a;"),
        ("postgres", "SELECT (1; DROP t", "unclosed parenthesis", "SELECT (1; DROP t"),
        ("ansi", "SELECT 1 /* a /* b */", "unterminated comment", "SELECT 1 /* a /* b */"),
        ("ansi", "SELECT 1; /* a", "unterminated comment", "/* a"),
        ("mysql", "SELECT 1 /*!50000 , 2", "unterminated executable comment",
         "SELECT 1 /*!50000 , 2"),
        ("tsql", "IF 1=1 BEGIN SELECT 1;", "unterminated block (BEGIN without END)",
         "IF 1=1 BEGIN SELECT 1;"),
        ("bigquery", "SELECT '''a;", "unterminated '''…'''", "SELECT '''a;"),
        ("sqlite", "SELECT [a;", "unterminated […]", "SELECT [a;"),
    ],
)  # fmt: skip
def test_the_input_ending_inside_a_statement_is_an_incomplete_statement(
    dialect: str, text: str, message: str, pending: str
) -> None:
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, dialect)
        assert isinstance(seen.error, sql.IncompleteStatement)
        assert seen.error.message == message
        assert seen.error.offset == len(text)
        assert seen.error.text == pending
        assert seen.error.start == len(text) - len(pending)
        assert pending not in [s.text for s in seen.statements]


NEEDS = "DELIMITER needs a terminator (of a few characters) on its line"


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [("DELIMITER\nSELECT 1", NEEDS, 9),
     ("DELIMITER", NEEDS, 9),
     ("DELIMITER " + "/" * 70 + "\nSELECT 1", NEEDS, 9),  # longer than a carry may grow
     ("DELIMITER GO\n", "unsupported DELIMITER 'GO'", 10),
     ("SELECT 1;\nDELIMITER /\\\n", "unsupported DELIMITER " + repr("/\\"), 20)],
)  # fmt: skip
def test_a_delimiter_command_the_client_would_refuse_is_a_syntax_error(
    text: str, message: str, offset: int
) -> None:
    seen = run(one_by_one(text), "mysql")
    assert isinstance(seen.error, sql.SqlSyntaxError)
    assert (seen.error.message, seen.error.offset) == (message, offset)


LONG_TAG = "t" * 62  # the longest dollar tag: '$' + 62 + '$' fits the scanner's carry


@pytest.mark.parametrize(
    ("dialect", "text", "expected"),
    [
        ("postgres", f"SELECT ${LONG_TAG}$ ; ${LONG_TAG}$; SELECT 2",
         [(f"SELECT ${LONG_TAG}$ ; ${LONG_TAG}$", S), ("SELECT 2", S)]),
        ("postgres", f"SELECT ${LONG_TAG}x$ ; x; SELECT 2",  # no tag: '$', a word, '$'
         [(f"SELECT ${LONG_TAG}x$", S), ("x", "UNKNOWN"), ("SELECT 2", S)]),
        ("tsql", "SELECT 1\nGO" + " " * 60 + "\nSELECT 2", [("SELECT 1", S), ("SELECT 2", S)]),
        ("tsql", "SELECT 1\nGO" + " " * 70 + "\nSELECT 2",  # too long a GO line: a word
         [("SELECT 1\nGO" + " " * 70 + "\nSELECT 2", S)]),
    ],
)  # fmt: skip
def test_tokens_as_long_as_a_carry_may_grow_do_not_depend_on_where_they_are_cut(
    dialect: str, text: str, expected: list[tuple[str, str]]
) -> None:
    whole = run([text], dialect)
    assert whole.split == expected
    for at in range(1, len(text)):
        assert run(cut(text, [at]), dialect).events == whole.events, at
