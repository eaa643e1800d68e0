"""Function calls: which are free of side effects, per dialect, and how a call is recognised.

A ``SELECT`` can act: PostgreSQL ``pg_terminate_backend``, ``set_config``, ``nextval``,
``dblink_exec``; MySQL ``SLEEP``, ``GET_LOCK``; SQLite ``load_extension``; T-SQL ``OPENROWSET``;
Snowflake ``SYSTEM$…`` (``notes/sql_threats.md`` §4). So a statement that calls a function not
known to be free of side effects has the effect ``"FUNCTION"``, which every set policy refuses
unless it lists it. What is known is an allow-list per dialect — built-in aggregates, string,
math, date/time, JSON, conditional and window functions, type casts — reviewed against each
engine's function reference (sources below), plus the names a user allows
(``SqlStream(functions={"my_udf"})``). A deny-list could never be complete: the engine has
user-defined functions, extensions and new versions the list has never heard of.

A call is a name followed by ``(``: a word, a quoted identifier, or a dotted chain of them
(``pg_catalog.pg_sleep(``, ``"public"."f"(``, ``\\`proj.ds.f\\`(``). It is certain at the ``(``,
which is where it is refused. Not calls: keywords that take a parenthesis (``IN (``,
``OVER (``, ``VALUES (``, ``WITH (`` table hints), names being defined or described — a table
or alias column list (``INSERT INTO t (a)``, ``AS v(a)``, ``generate_series(1, 3) g(i)``), a
common table expression's columns (``WITH c (a) AS``), a type after ``AS`` or ``::``
(``CAST(x AS numeric(10, 2))``), the procedure of ``CALL p(`` (the kind ``CALL`` says it) — and
the whole of ``CREATE``/``ALTER``/``DROP``/``GRANT``… statements, whose parentheses define rather
than run. A table function after ``FROM`` or ``JOIN`` is a call like any other.

Names resolve as the engine resolves them: an unquoted name folds (PostgreSQL to lower case,
Snowflake and the standard to upper case, the others compare without case); a quoted name is
exact. In the dialects without a fold, how a quoted function name resolves is not modelled (a
built-in, a stored function?): a quoted name is never taken for a built-in there. A qualified
name is a built-in only behind the dialect's system schema (``pg_catalog.lower``, BigQuery
``SAFE.``).

The lists assume what a least-privilege role guarantees: the database has no user functions
that shadow a built-in name or keyword (PostgreSQL prefers a user function of the same name with
better-matching argument types, wherever it sits in the search path).

Sources: PostgreSQL 17 "Functions and Operators" (chapter 9); MySQL 8.4 "Built-In Function and
Operator Reference"; SQLite "Built-In Scalar SQL Functions", "Aggregate", "Window", "Date And
Time", "Mathematical" and "JSON" function pages, "PRAGMA functions"; SQL Server "What are the
SQL database functions?" (Transact-SQL reference); BigQuery "GoogleSQL function list";
Snowflake "All functions (alphabetical)".
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from ._dialects import Quote
from ._kinds import KINDS, Flag

if TYPE_CHECKING:
    from ._splitter import Splitter

Name = tuple[str, ...]  # resolved parts: ("pg_sleep",), ("net", "host")
# One part of a name given to functions=: "Quoted" or bare, then '.' or the end.
_NAME_PART: Final = re.compile(r'\s*(?:"((?:[^"]|"")+)"|([^".\s]+))\s*(\.|$)')

_TO_UPPER: Final = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_TO_LOWER: Final = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

NAME_LIMIT: Final = 256  # longer than any engine's identifier: not a name any list holds


def _names(*groups: str) -> frozenset[Name]:
    """Upper-case names, whitespace-separated; dotted ones are qualified."""
    return frozenset(tuple(name.split(".")) for group in groups for name in group.split())


# -- functions free of side effects ------------------------------------------------------------
# In all seven dialects.
_CORE = """
    COUNT SUM AVG MIN MAX ROW_NUMBER RANK DENSE_RANK NTILE LAG LEAD FIRST_VALUE LAST_VALUE
    PERCENT_RANK CUME_DIST ABS ROUND UPPER LOWER REPLACE TRIM LTRIM RTRIM COALESCE NULLIF CAST
"""

_ANSI = _CORE + """
    EVERY STDDEV_POP STDDEV_SAMP VAR_POP VAR_SAMP COVAR_POP COVAR_SAMP CORR REGR_SLOPE
    REGR_INTERCEPT REGR_COUNT REGR_R2 REGR_AVGX REGR_AVGY REGR_SXX REGR_SYY REGR_SXY
    PERCENTILE_CONT PERCENTILE_DISC NTH_VALUE LISTAGG ARRAY_AGG JSON_ARRAYAGG JSON_OBJECTAGG
    GROUPING ANY_VALUE MOD LN EXP POWER SQRT FLOOR CEIL CEILING WIDTH_BUCKET SIN COS TAN ASIN ACOS
    ATAN SINH COSH TANH LOG LOG10 BTRIM SUBSTRING OVERLAY POSITION CHAR_LENGTH CHARACTER_LENGTH
    OCTET_LENGTH NORMALIZE TRANSLATE LPAD RPAD EXTRACT CURRENT_TIME CURRENT_TIMESTAMP LOCALTIME
    LOCALTIMESTAMP JSON_OBJECT JSON_ARRAY JSON_VALUE JSON_QUERY JSON_EXISTS JSON_TABLE GREATEST
    LEAST CARDINALITY TRIM_ARRAY UNNEST
    CHAR CHARACTER VARCHAR NCHAR NUMERIC DECIMAL DEC FLOAT TIME TIMESTAMP BINARY VARBINARY
"""

_POSTGRES = _CORE + """
    CBRT CEIL CEILING DEGREES DIV EXP FACTORIAL FLOOR GCD LCM LN LOG LOG10 MIN_SCALE MOD PI POWER
    RADIANS SCALE SIGN SQRT TRIM_SCALE TRUNC WIDTH_BUCKET RANDOM RANDOM_NORMAL ACOS ASIN ATAN ATAN2
    COS COT SIN TAN ACOSD ASIND ATAND ATAN2D COSD COTD SIND TAND SINH COSH TANH ASINH ACOSH ATANH
    ERF ERFC
    ASCII BIT_LENGTH BTRIM CHAR_LENGTH CHARACTER_LENGTH CHR CONCAT CONCAT_WS FORMAT INITCAP LEFT
    LENGTH LPAD NORMALIZE OCTET_LENGTH OVERLAY PARSE_IDENT POSITION QUOTE_IDENT QUOTE_LITERAL
    QUOTE_NULLABLE REGEXP_COUNT REGEXP_INSTR REGEXP_LIKE REGEXP_MATCH REGEXP_MATCHES
    REGEXP_REPLACE REGEXP_SPLIT_TO_ARRAY REGEXP_SPLIT_TO_TABLE REGEXP_SUBSTR REPEAT REVERSE RIGHT
    RPAD SPLIT_PART STARTS_WITH STRING_TO_ARRAY STRING_TO_TABLE STRPOS SUBSTR SUBSTRING TO_ASCII
    TO_HEX TRANSLATE UNISTR ENCODE DECODE CONVERT_FROM CONVERT_TO GET_BIT GET_BYTE SET_BIT
    SET_BYTE MD5 SHA224 SHA256 SHA384 SHA512 CRC32 CRC32C
    TO_CHAR TO_DATE TO_NUMBER TO_TIMESTAMP
    AGE CLOCK_TIMESTAMP DATE_ADD DATE_BIN DATE_PART DATE_SUBTRACT DATE_TRUNC EXTRACT ISFINITE
    JUSTIFY_DAYS JUSTIFY_HOURS JUSTIFY_INTERVAL LOCALTIME LOCALTIMESTAMP CURRENT_TIME
    CURRENT_TIMESTAMP MAKE_DATE MAKE_INTERVAL MAKE_TIME MAKE_TIMESTAMP MAKE_TIMESTAMPTZ NOW
    STATEMENT_TIMESTAMP TIMEOFDAY TRANSACTION_TIMESTAMP
    GREATEST LEAST
    ARRAY_APPEND ARRAY_CAT ARRAY_DIMS ARRAY_FILL ARRAY_LENGTH ARRAY_LOWER ARRAY_NDIMS
    ARRAY_POSITION ARRAY_POSITIONS ARRAY_PREPEND ARRAY_REMOVE ARRAY_REPLACE ARRAY_SAMPLE
    ARRAY_SHUFFLE ARRAY_TO_STRING ARRAY_UPPER CARDINALITY TRIM_ARRAY UNNEST
    GENERATE_SERIES GENERATE_SUBSCRIPTS
    JSON TO_JSON TO_JSONB ARRAY_TO_JSON ROW_TO_JSON JSON_BUILD_ARRAY JSONB_BUILD_ARRAY
    JSON_BUILD_OBJECT JSONB_BUILD_OBJECT JSON_OBJECT JSONB_OBJECT JSON_ARRAY_ELEMENTS
    JSONB_ARRAY_ELEMENTS JSON_ARRAY_ELEMENTS_TEXT JSONB_ARRAY_ELEMENTS_TEXT JSON_ARRAY_LENGTH
    JSONB_ARRAY_LENGTH JSON_EACH JSONB_EACH JSON_EACH_TEXT JSONB_EACH_TEXT JSON_EXTRACT_PATH
    JSONB_EXTRACT_PATH JSON_EXTRACT_PATH_TEXT JSONB_EXTRACT_PATH_TEXT JSON_OBJECT_KEYS
    JSONB_OBJECT_KEYS JSON_POPULATE_RECORD JSONB_POPULATE_RECORD JSON_TO_RECORD JSONB_TO_RECORD
    JSON_TO_RECORDSET JSONB_TO_RECORDSET JSON_STRIP_NULLS JSONB_STRIP_NULLS JSONB_SET
    JSONB_SET_LAX JSONB_INSERT JSONB_PATH_EXISTS JSONB_PATH_MATCH JSONB_PATH_QUERY
    JSONB_PATH_QUERY_ARRAY JSONB_PATH_QUERY_FIRST JSONB_PRETTY JSON_TYPEOF JSONB_TYPEOF
    JSON_AGG JSONB_AGG JSON_OBJECT_AGG JSONB_OBJECT_AGG JSON_ARRAYAGG JSON_OBJECTAGG JSON_ARRAY
    JSON_SCALAR JSON_SERIALIZE JSON_EXISTS JSON_QUERY JSON_VALUE JSON_TABLE
    BIT_AND BIT_OR BIT_XOR BOOL_AND BOOL_OR EVERY RANGE_AGG RANGE_INTERSECT_AGG STRING_AGG ARRAY_AGG
    XMLAGG ANY_VALUE CORR COVAR_POP COVAR_SAMP REGR_AVGX REGR_AVGY REGR_COUNT REGR_INTERCEPT
    REGR_R2 REGR_SLOPE REGR_SXX REGR_SXY REGR_SYY STDDEV STDDEV_POP STDDEV_SAMP VARIANCE VAR_POP
    VAR_SAMP MODE PERCENTILE_CONT PERCENTILE_DISC GROUPING NTH_VALUE
    CURRENT_DATABASE CURRENT_SCHEMA CURRENT_SCHEMAS CURRENT_QUERY CURRENT_SETTING VERSION
    PG_BACKEND_PID PG_TYPEOF FORMAT_TYPE COL_DESCRIPTION OBJ_DESCRIPTION PG_GET_VIEWDEF
    PG_GET_FUNCTIONDEF PG_GET_INDEXDEF PG_GET_CONSTRAINTDEF PG_GET_EXPR PG_TABLE_IS_VISIBLE
    PG_RELATION_SIZE PG_TOTAL_RELATION_SIZE PG_TABLE_SIZE PG_INDEXES_SIZE PG_DATABASE_SIZE
    PG_SIZE_PRETTY PG_SIZE_BYTES PG_COLUMN_SIZE HAS_TABLE_PRIVILEGE HAS_SCHEMA_PRIVILEGE
    HAS_DATABASE_PRIVILEGE HAS_COLUMN_PRIVILEGE HAS_FUNCTION_PRIVILEGE TO_REGCLASS TO_REGTYPE
    TO_REGPROC
    TO_TSVECTOR TO_TSQUERY PLAINTO_TSQUERY PHRASETO_TSQUERY WEBSEARCH_TO_TSQUERY TS_RANK
    TS_RANK_CD TS_HEADLINE SETWEIGHT
    GEN_RANDOM_UUID UUIDV4 UUIDV7
    ISEMPTY LOWER_INC UPPER_INC RANGE_MERGE INT4RANGE INT8RANGE NUMRANGE TSRANGE TSTZRANGE
    DATERANGE
    XMLELEMENT XMLFOREST XMLCONCAT XMLPARSE XMLSERIALIZE XMLROOT XMLPI XMLCOMMENT XMLEXISTS XPATH
    XPATH_EXISTS XMLTABLE XMLATTRIBUTES
    CHAR CHARACTER VARCHAR NUMERIC DECIMAL BIT VARBIT TIMESTAMP TIMESTAMPTZ TIME TIMETZ INTERVAL
    FLOAT INT2 INT4 INT8 FLOAT4 FLOAT8 TEXT DATE BOOL
"""

_MYSQL = _CORE + """
    BIT_AND BIT_OR BIT_XOR GROUP_CONCAT JSON_ARRAYAGG JSON_OBJECTAGG STD STDDEV STDDEV_POP
    STDDEV_SAMP VAR_POP VAR_SAMP VARIANCE ANY_VALUE GROUPING NTH_VALUE
    ASCII BIN BIT_LENGTH CHAR CHAR_LENGTH CHARACTER_LENGTH CONCAT CONCAT_WS ELT EXPORT_SET FIELD
    FIND_IN_SET FORMAT FROM_BASE64 HEX INSERT INSTR LCASE LEFT LENGTH LOCATE LPAD MAKE_SET MID
    OCT OCTET_LENGTH ORD POSITION QUOTE REGEXP_INSTR REGEXP_LIKE REGEXP_REPLACE REGEXP_SUBSTR
    REPEAT REVERSE RIGHT RPAD SOUNDEX SPACE STRCMP SUBSTR SUBSTRING SUBSTRING_INDEX TO_BASE64
    UCASE UNHEX WEIGHT_STRING
    ACOS ASIN ATAN ATAN2 CEIL CEILING CONV COS COT CRC32 DEGREES EXP FLOOR LN LOG LOG10 LOG2 MOD
    PI POW POWER RADIANS RAND SIGN SIN SQRT TAN TRUNCATE
    ADDDATE ADDTIME CONVERT_TZ CURDATE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURTIME DATE
    DATE_ADD DATE_FORMAT DATE_SUB DATEDIFF DAY DAYNAME DAYOFMONTH DAYOFWEEK DAYOFYEAR EXTRACT
    FROM_DAYS FROM_UNIXTIME GET_FORMAT HOUR LAST_DAY LOCALTIME LOCALTIMESTAMP MAKEDATE MAKETIME
    MICROSECOND MINUTE MONTH MONTHNAME NOW PERIOD_ADD PERIOD_DIFF QUARTER SEC_TO_TIME SECOND
    STR_TO_DATE SUBDATE SUBTIME SYSDATE TIME TIME_FORMAT TIME_TO_SEC TIMEDIFF TIMESTAMP
    TIMESTAMPADD TIMESTAMPDIFF TO_DAYS TO_SECONDS UNIX_TIMESTAMP UTC_DATE UTC_TIME UTC_TIMESTAMP
    WEEK WEEKDAY WEEKOFYEAR YEAR YEARWEEK
    IF IFNULL GREATEST LEAST ISNULL CONVERT BINARY
    JSON_ARRAY JSON_ARRAY_APPEND JSON_ARRAY_INSERT JSON_CONTAINS JSON_CONTAINS_PATH JSON_DEPTH
    JSON_EXTRACT JSON_INSERT JSON_KEYS JSON_LENGTH JSON_MERGE JSON_MERGE_PATCH
    JSON_MERGE_PRESERVE JSON_OBJECT JSON_OVERLAPS JSON_PRETTY JSON_QUOTE JSON_REMOVE
    JSON_REPLACE JSON_SCHEMA_VALID JSON_SCHEMA_VALIDATION_REPORT JSON_SEARCH JSON_SET
    JSON_STORAGE_FREE JSON_STORAGE_SIZE JSON_TABLE JSON_TYPE JSON_UNQUOTE JSON_VALID JSON_VALUE
    MD5 SHA SHA1 SHA2 AES_ENCRYPT AES_DECRYPT COMPRESS UNCOMPRESS UNCOMPRESSED_LENGTH RANDOM_BYTES
    STATEMENT_DIGEST STATEMENT_DIGEST_TEXT
    BIN_TO_UUID UUID UUID_TO_BIN IS_UUID UUID_SHORT CHARSET COERCIBILITY COLLATION CONNECTION_ID
    CURRENT_ROLE CURRENT_USER DATABASE FOUND_ROWS ROW_COUNT SCHEMA SESSION_USER SYSTEM_USER USER
    VERSION ICU_VERSION FORMAT_BYTES FORMAT_PICO_TIME
    INET_ATON INET_NTOA INET6_ATON INET6_NTOA IS_IPV4 IS_IPV6 IS_IPV4_COMPAT IS_IPV4_MAPPED
    DEFAULT MATCH AGAINST
    VARCHAR VARBINARY DECIMAL DEC NUMERIC FLOAT DOUBLE INT INTEGER TINYINT SMALLINT MEDIUMINT
    BIGINT BIT DATETIME
"""

_SQLITE = _CORE + """
    CHANGES CHAR CONCAT CONCAT_WS FORMAT GLOB HEX IFNULL IIF INSTR LAST_INSERT_ROWID LENGTH LIKE
    LIKELIHOOD LIKELY OCTET_LENGTH PRINTF QUOTE RANDOM RANDOMBLOB SIGN SOUNDEX
    SQLITE_COMPILEOPTION_GET SQLITE_COMPILEOPTION_USED SQLITE_OFFSET SQLITE_SOURCE_ID
    SQLITE_VERSION SUBSTR SUBSTRING TOTAL_CHANGES TYPEOF UNHEX UNICODE UNLIKELY ZEROBLOB
    ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CEIL CEILING COS COSH DEGREES EXP FLOOR LN LOG LOG10
    LOG2 MOD PI POW POWER RADIANS SIN SINH SQRT TAN TANH TRUNC
    DATE TIME DATETIME JULIANDAY UNIXEPOCH STRFTIME TIMEDIFF
    GROUP_CONCAT STRING_AGG TOTAL NTH_VALUE
    JSON JSONB JSON_ARRAY JSONB_ARRAY JSON_ARRAY_LENGTH JSON_ERROR_POSITION JSON_EXTRACT
    JSONB_EXTRACT JSON_INSERT JSONB_INSERT JSON_OBJECT JSONB_OBJECT JSON_PATCH JSONB_PATCH
    JSON_PRETTY JSON_REMOVE JSONB_REMOVE JSON_REPLACE JSONB_REPLACE JSON_SET JSONB_SET JSON_TYPE
    JSON_VALID JSON_QUOTE JSON_GROUP_ARRAY JSONB_GROUP_ARRAY JSON_GROUP_OBJECT JSONB_GROUP_OBJECT
    JSON_EACH JSON_TREE GENERATE_SERIES
    PRAGMA_TABLE_INFO PRAGMA_TABLE_XINFO PRAGMA_INDEX_LIST PRAGMA_INDEX_INFO PRAGMA_INDEX_XINFO
    PRAGMA_FOREIGN_KEY_LIST PRAGMA_DATABASE_LIST PRAGMA_TABLE_LIST PRAGMA_FUNCTION_LIST
    PRAGMA_COLLATION_LIST PRAGMA_MODULE_LIST PRAGMA_PRAGMA_LIST PRAGMA_COMPILE_OPTIONS
"""

_TSQL = _CORE + """
    APPROX_COUNT_DISTINCT CHECKSUM_AGG COUNT_BIG GROUPING GROUPING_ID STDEV STDEVP STRING_AGG
    VAR VARP APPROX_PERCENTILE_CONT APPROX_PERCENTILE_DISC PERCENTILE_CONT PERCENTILE_DISC
    ASCII CHAR CHARINDEX CONCAT CONCAT_WS DIFFERENCE FORMAT LEFT LEN NCHAR PATINDEX QUOTENAME
    REPLICATE REVERSE RIGHT SOUNDEX SPACE STR STRING_ESCAPE STRING_SPLIT STUFF SUBSTRING TRANSLATE
    UNICODE
    ACOS ASIN ATAN ATN2 CEILING COS COT DEGREES EXP FLOOR LOG LOG10 PI POWER RADIANS RAND SIGN SIN
    SQRT SQUARE TAN
    DATE_BUCKET DATEADD DATEDIFF DATEDIFF_BIG DATEFROMPARTS DATENAME DATEPART DATETIME2FROMPARTS
    DATETIMEFROMPARTS DATETIMEOFFSETFROMPARTS DATETRUNC DAY EOMONTH GETDATE GETUTCDATE ISDATE
    MONTH SMALLDATETIMEFROMPARTS SWITCHOFFSET SYSDATETIME SYSDATETIMEOFFSET SYSUTCDATETIME
    TIMEFROMPARTS TODATETIMEOFFSET YEAR
    CONVERT PARSE TRY_CAST TRY_CONVERT TRY_PARSE CHOOSE IIF GREATEST LEAST ISNULL ISNUMERIC
    ISJSON JSON_ARRAY JSON_OBJECT JSON_MODIFY JSON_PATH_EXISTS JSON_QUERY JSON_VALUE OPENJSON
    JSON_ARRAYAGG JSON_OBJECTAGG
    APP_NAME BINARY_CHECKSUM CHECKSUM COL_LENGTH COL_NAME COLUMNPROPERTY COMPRESS DECOMPRESS
    DATABASEPROPERTYEX DB_ID DB_NAME ERROR_LINE ERROR_MESSAGE ERROR_NUMBER ERROR_PROCEDURE
    ERROR_SEVERITY ERROR_STATE FORMATMESSAGE HASHBYTES HOST_ID HOST_NAME IDENT_CURRENT IDENT_INCR
    IDENT_SEED NEWID OBJECT_ID OBJECT_NAME OBJECT_SCHEMA_NAME OBJECTPROPERTY OBJECTPROPERTYEX
    SCHEMA_ID SCHEMA_NAME SCOPE_IDENTITY SERVERPROPERTY SUSER_ID SUSER_NAME SUSER_SID SUSER_SNAME
    TYPE_ID TYPE_NAME TYPEPROPERTY USER_ID USER_NAME XACT_STATE ROWCOUNT_BIG SESSION_CONTEXT
    GENERATE_SERIES CONTAINS FREETEXT CONTAINSTABLE FREETEXTTABLE
    VARCHAR NVARCHAR NCHAR VARBINARY BINARY DECIMAL NUMERIC FLOAT DATETIME2 DATETIMEOFFSET TIME
"""

_BIGQUERY = _CORE + """
    ANY_VALUE ARRAY_AGG ARRAY_CONCAT_AGG BIT_AND BIT_OR BIT_XOR COUNTIF GROUPING LOGICAL_AND
    LOGICAL_OR MAX_BY MIN_BY STRING_AGG APPROX_COUNT_DISTINCT APPROX_QUANTILES APPROX_TOP_COUNT
    APPROX_TOP_SUM CORR COVAR_POP COVAR_SAMP STDDEV STDDEV_POP STDDEV_SAMP VAR_POP VAR_SAMP
    VARIANCE NTH_VALUE PERCENTILE_CONT PERCENTILE_DISC
    ARRAY_CONCAT ARRAY_LENGTH ARRAY_REVERSE ARRAY_TO_STRING ARRAY_FIRST ARRAY_LAST ARRAY_SLICE
    GENERATE_ARRAY GENERATE_DATE_ARRAY GENERATE_TIMESTAMP_ARRAY UNNEST
    ASCII BYTE_LENGTH CHAR_LENGTH CHARACTER_LENGTH CHR CODE_POINTS_TO_BYTES CODE_POINTS_TO_STRING
    COLLATE CONCAT CONTAINS_SUBSTR EDIT_DISTANCE ENDS_WITH FORMAT FROM_BASE32 FROM_BASE64
    FROM_HEX INITCAP INSTR LEFT LENGTH LPAD NORMALIZE NORMALIZE_AND_CASEFOLD OCTET_LENGTH
    REGEXP_CONTAINS REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_INSTR REGEXP_REPLACE REGEXP_SUBSTR
    REPEAT REVERSE RIGHT RPAD SAFE_CONVERT_BYTES_TO_STRING SOUNDEX SPLIT STARTS_WITH STRPOS
    SUBSTR SUBSTRING TO_BASE32 TO_BASE64 TO_CODE_POINTS TO_HEX TRANSLATE UNICODE
    ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CBRT CEIL CEILING COS COSH COT COTH CSC CSCH DIV EXP
    FLOOR GREATEST IEEE_DIVIDE IS_INF IS_NAN LEAST LN LOG LOG10 MOD POW POWER RAND RANGE_BUCKET
    SAFE_ADD SAFE_DIVIDE SAFE_MULTIPLY SAFE_NEGATE SAFE_SUBTRACT SEC SECH SIGN SIN SINH SQRT TAN
    TANH TRUNC
    SAFE_CAST PARSE_BIGNUMERIC PARSE_NUMERIC
    CURRENT_DATE CURRENT_DATETIME CURRENT_TIME CURRENT_TIMESTAMP DATE DATE_ADD DATE_DIFF
    DATE_FROM_UNIX_DATE DATE_SUB DATE_TRUNC DATETIME DATETIME_ADD DATETIME_DIFF DATETIME_SUB
    DATETIME_TRUNC EXTRACT FORMAT_DATE FORMAT_DATETIME FORMAT_TIME FORMAT_TIMESTAMP LAST_DAY
    PARSE_DATE PARSE_DATETIME PARSE_TIME PARSE_TIMESTAMP TIME TIME_ADD TIME_DIFF TIME_SUB
    TIME_TRUNC TIMESTAMP TIMESTAMP_ADD TIMESTAMP_DIFF TIMESTAMP_MICROS TIMESTAMP_MILLIS
    TIMESTAMP_SECONDS TIMESTAMP_SUB TIMESTAMP_TRUNC UNIX_DATE UNIX_MICROS UNIX_MILLIS UNIX_SECONDS
    IF IFNULL NULLIFZERO ZEROIFNULL
    JSON_EXTRACT JSON_EXTRACT_SCALAR JSON_EXTRACT_ARRAY JSON_EXTRACT_STRING_ARRAY JSON_QUERY
    JSON_VALUE JSON_QUERY_ARRAY JSON_VALUE_ARRAY PARSE_JSON TO_JSON TO_JSON_STRING JSON_TYPE
    JSON_OBJECT JSON_ARRAY JSON_SET JSON_REMOVE JSON_STRIP_NULLS JSON_KEYS BOOL INT64 FLOAT64
    STRING LAX_BOOL LAX_INT64 LAX_FLOAT64 LAX_STRING
    FARM_FINGERPRINT MD5 SHA1 SHA256 SHA512 GENERATE_UUID SESSION_USER ERROR STRUCT
    ST_GEOGPOINT ST_GEOGFROMTEXT ST_ASTEXT ST_DISTANCE ST_CONTAINS ST_INTERSECTS ST_AREA
    ST_LENGTH
    NET.HOST NET.PUBLIC_SUFFIX NET.REG_DOMAIN NET.IP_FROM_STRING NET.SAFE_IP_FROM_STRING
    NET.IP_TO_STRING HLL_COUNT.MERGE HLL_COUNT.EXTRACT HLL_COUNT.INIT HLL_COUNT.MERGE_PARTIAL
    BYTES NUMERIC BIGNUMERIC
"""

_SNOWFLAKE = _CORE + """
    ANY_VALUE APPROX_COUNT_DISTINCT ARRAY_AGG ARRAY_UNIQUE_AGG BITAND_AGG BITOR_AGG BITXOR_AGG
    BOOLAND_AGG BOOLOR_AGG CORR COUNT_IF COVAR_POP COVAR_SAMP GROUPING HASH_AGG LISTAGG MAX_BY
    MEDIAN MIN_BY MODE OBJECT_AGG PERCENTILE_CONT PERCENTILE_DISC STDDEV STDDEV_POP STDDEV_SAMP
    VAR_POP VAR_SAMP VARIANCE VARIANCE_POP VARIANCE_SAMP APPROX_PERCENTILE APPROX_TOP_K KURTOSIS
    SKEW NTH_VALUE RATIO_TO_REPORT CONDITIONAL_CHANGE_EVENT CONDITIONAL_TRUE_EVENT
    DECODE EQUAL_NULL GREATEST IFF IFNULL LEAST NULLIFZERO NVL NVL2 ZEROIFNULL
    ASCII BASE64_DECODE_STRING BASE64_ENCODE BIT_LENGTH CHARINDEX CHR CHAR COLLATE COLLATION
    CONCAT CONCAT_WS CONTAINS EDITDISTANCE ENDSWITH HEX_DECODE_STRING HEX_ENCODE INITCAP INSERT
    JAROWINKLER_SIMILARITY LEFT LENGTH LEN LPAD MD5 MD5_HEX OCTET_LENGTH POSITION REGEXP_COUNT
    REGEXP_INSTR REGEXP_LIKE REGEXP_REPLACE REGEXP_SUBSTR REGEXP_SUBSTR_ALL REPEAT REVERSE RIGHT
    RLIKE RPAD SHA1 SHA1_HEX SHA2 SHA2_HEX SOUNDEX SPACE SPLIT SPLIT_PART SPLIT_TO_TABLE
    STARTSWITH STRTOK STRTOK_TO_ARRAY SUBSTR SUBSTRING TRANSLATE UNICODE UUID_STRING HASH
    ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CBRT CEIL COS COSH COT DEGREES DIV0 DIV0NULL EXP
    FACTORIAL FLOOR HAVERSINE LN LOG MOD PI POW POWER RADIANS SIGN SIN SINH SQRT SQUARE TAN TANH
    TRUNCATE TRUNC WIDTH_BUCKET RANDOM UNIFORM NORMAL ZIPF RANDSTR SEQ1 SEQ2 SEQ4 SEQ8
    ADD_MONTHS CONVERT_TIMEZONE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATE_FROM_PARTS
    DATE_PART DATE_TRUNC DATEADD DATEDIFF DAYNAME DAY DAYOFMONTH DAYOFWEEK DAYOFYEAR EXTRACT HOUR
    LAST_DAY MINUTE MONTH MONTHNAME MONTHS_BETWEEN NEXT_DAY PREVIOUS_DAY QUARTER SECOND SYSDATE
    TIME_FROM_PARTS TIME_SLICE TIMEADD TIMEDIFF TIMESTAMP_FROM_PARTS TIMESTAMPADD TIMESTAMPDIFF
    TO_DATE TO_TIME TO_TIMESTAMP TO_TIMESTAMP_LTZ TO_TIMESTAMP_NTZ TO_TIMESTAMP_TZ TRY_TO_DATE
    TRY_TO_TIMESTAMP WEEK WEEKOFYEAR YEAR LOCALTIMESTAMP GETDATE DATE
    TRY_CAST TO_CHAR TO_VARCHAR TO_NUMBER TO_DECIMAL TO_NUMERIC TO_DOUBLE TO_BOOLEAN TO_VARIANT
    TO_ARRAY TO_OBJECT TO_JSON TRY_TO_NUMBER TRY_TO_DECIMAL TRY_TO_DOUBLE TRY_TO_BOOLEAN
    TRY_PARSE_JSON PARSE_JSON PARSE_XML TO_BINARY TRY_TO_BINARY
    ARRAY_APPEND ARRAY_CAT ARRAY_COMPACT ARRAY_CONSTRUCT ARRAY_CONSTRUCT_COMPACT ARRAY_CONTAINS
    ARRAY_DISTINCT ARRAY_EXCEPT ARRAY_FLATTEN ARRAY_GENERATE_RANGE ARRAY_INSERT
    ARRAY_INTERSECTION ARRAY_MAX ARRAY_MIN ARRAY_POSITION ARRAY_PREPEND ARRAY_REMOVE ARRAY_SIZE
    ARRAY_SLICE ARRAY_SORT ARRAY_TO_STRING ARRAYS_OVERLAP FLATTEN GENERATOR RESULT_SCAN GET
    GET_PATH IS_ARRAY IS_OBJECT IS_NULL_VALUE OBJECT_CONSTRUCT OBJECT_CONSTRUCT_KEEP_NULL
    OBJECT_DELETE OBJECT_INSERT OBJECT_KEYS OBJECT_PICK STRIP_NULL_VALUE TYPEOF AS_VARCHAR
    AS_INTEGER CHECK_JSON JSON_EXTRACT_PATH_TEXT XMLGET
    CURRENT_ACCOUNT CURRENT_DATABASE CURRENT_ROLE CURRENT_SCHEMA CURRENT_SCHEMAS CURRENT_SESSION
    CURRENT_USER CURRENT_WAREHOUSE CURRENT_REGION CURRENT_VERSION CURRENT_STATEMENT
    CURRENT_TRANSACTION LAST_QUERY_ID IS_ROLE_IN_SESSION
    VARCHAR NUMBER NUMERIC DECIMAL TIMESTAMP TIMESTAMP_NTZ TIMESTAMP_LTZ TIMESTAMP_TZ TIME BINARY
"""

# -- known side effects: never on a list; the reason a refusal gives ---------------------------
_SLEEPS = "sleeps: holds a connection (and its locks) as long as the caller asks"
_PG_REASONS = {
    "PG_SLEEP": _SLEEPS, "PG_SLEEP_FOR": _SLEEPS, "PG_SLEEP_UNTIL": _SLEEPS,
    "PG_TERMINATE_BACKEND": "terminates another session",
    "PG_CANCEL_BACKEND": "cancels another session's query",
    "PG_RELOAD_CONF": "reloads the server configuration",
    "SET_CONFIG": "changes a setting for the session (even inside BEGIN READ ONLY)",
    "SETSEED": "changes the session's random seed",
    "NEXTVAL": "advances a sequence (not rolled back)", "SETVAL": "sets a sequence",
    "LO_IMPORT": "reads a server file into a large object",
    "LO_EXPORT": "writes a large object to a server file",
    "LO_FROM_BYTEA": "creates a large object", "LO_CREATE": "creates a large object",
    "LO_UNLINK": "deletes a large object", "LO_PUT": "writes into a large object",
    "DBLINK": "runs a query on another server", "DBLINK_EXEC": "runs a command on another server",
    "DBLINK_CONNECT": "opens a connection to another server",
    "PG_ADVISORY_LOCK": "takes an advisory lock held past the statement",
    "PG_ADVISORY_XACT_LOCK": "takes an advisory lock held to the end of the transaction",
    "PG_TRY_ADVISORY_LOCK": "takes an advisory lock held past the statement",
    "PG_NOTIFY": "sends a notification to listening sessions",
    "PG_READ_FILE": "reads a server file", "PG_READ_BINARY_FILE": "reads a server file",
    "PG_LS_DIR": "lists a server directory", "PG_STAT_FILE": "reads a server file's status",
    "QUERY_TO_XML": "runs the query text it is given",
    "QUERY_TO_XML_AND_XMLSCHEMA": "runs the query text it is given",
    "CURSOR_TO_XML": "fetches from a cursor",
    "TXID_CURRENT": "assigns a transaction id (a write)",
    "PG_CURRENT_XACT_ID": "assigns a transaction id (a write)",
    "PG_SWITCH_WAL": "forces a WAL switch", "PG_CREATE_RESTORE_POINT": "writes a WAL record",
    "PG_LOGICAL_EMIT_MESSAGE": "writes a WAL message",
}  # fmt: skip
_MYSQL_REASONS = {
    "SLEEP": _SLEEPS, "BENCHMARK": "runs an expression a given number of times: burns CPU",
    "GET_LOCK": "takes a named lock held past the statement",
    "RELEASE_LOCK": "releases a named lock", "RELEASE_ALL_LOCKS": "releases named locks",
    "LOAD_FILE": "reads a server file",
    "LAST_INSERT_ID": "with an argument, sets the value the session returns next",
    "SOURCE_POS_WAIT": _SLEEPS, "MASTER_POS_WAIT": _SLEEPS,
    "WAIT_FOR_EXECUTED_GTID_SET": _SLEEPS,
}  # fmt: skip
_SQLITE_REASONS = {
    "LOAD_EXTENSION": "loads native code into the process",
    "WRITEFILE": "writes a file (sqlite3 shell)", "READFILE": "reads a file (sqlite3 shell)",
    "EDIT": "starts an editor (sqlite3 shell)", "FTS3_TOKENIZER": "registers a tokenizer pointer",
}  # fmt: skip
_TSQL_REASONS = {
    "OPENROWSET": "connects to a data source (or reads a file) and runs a query there",
    "OPENQUERY": "runs a query on a linked server (xp_cmdshell and writes included)",
    "OPENDATASOURCE": "connects to another data source ad hoc",
}
_BIGQUERY_REASONS = {"EXTERNAL_QUERY": "runs a query on an external database"}
_SNOWFLAKE_REASONS: dict[str, str] = {}  # SYSTEM$… procedures: see Facts.reason

# SQL Server's "Table hints": those allowed without WITH (and HOLDLOCK, its alias of one).
_LEGACY_HINTS = """
    NOLOCK READUNCOMMITTED UPDLOCK REPEATABLEREAD SERIALIZABLE READCOMMITTED TABLOCK TABLOCKX
    PAGLOCK ROWLOCK NOWAIT READPAST XLOCK SNAPSHOT NOEXPAND HOLDLOCK
"""

# -- words followed by '(' that are not calls --------------------------------------------------
_NOT_CALLS = """
    SELECT FROM WHERE AND OR NOT IN EXISTS AS ON USING VALUES OVER FILTER WITHIN GROUP BY HAVING
    JOIN THEN WHEN ELSE CASE IS LIKE ILIKE BETWEEN ALL ANY SOME UNION INTERSECT EXCEPT MINUS
    DISTINCT LIMIT OFFSET FETCH FIRST NEXT TABLE LATERAL ROW ARRAY SET WITH RETURNING INTO ESCAPE
    PARTITION WINDOW ORDER CUBE ROLLUP SETS KEY PRIMARY UNIQUE CHECK REFERENCES FOREIGN
    CONSTRAINT INDEX RECURSIVE MATERIALIZED CONFLICT DO OF FOR TO PIVOT UNPIVOT MATCH_RECOGNIZE
    PATTERN QUALIFY SAMPLE TABLESAMPLE SYSTEM BERNOULLI BLOCK REPEATABLE SEED OPTION EXPLAIN
    ANALYZE ANALYSE VACUUM REINDEX CLUSTER COPY ONLY EXCLUDE RENAME OPERATOR TOP NULLS COLLATE
    APPLY AT BEFORE CHANGES RANGE ROWS GROUPS INTERVAL OVERLAPS COLUMNS INSERT
"""
_PROCEDURAL = "IF WHILE RETURN ELSEIF UNTIL"  # statements with a parenthesised condition

# Words before a name that make its '(' a column list or a type: INSERT INTO t (a), AS v(a).
NAME_BEFORE = frozenset({
    "AS", "INTO", "TABLE", "INSERT", "REPLACE", "UPSERT", "WITH", "RECURSIVE", "COPY", "ANALYZE",
    "VACUUM", ")",
})  # fmt: skip
# The name after these leading words is the kind's own (CALL p(…), EXECUTE stmt(…)).
CALLERS = frozenset({"CALL", "EXEC", "EXECUTE"})
# BigQuery's pipe operators, all of which read ('|> SET', '|> DROP' change columns of the
# result, not tables); anything else after '|>' is refused as what it says it is.
PIPE_OPERATORS = frozenset({
    "SELECT", "EXTEND", "SET", "DROP", "RENAME", "AS", "WHERE", "AGGREGATE", "DISTINCT", "ORDER",
    "LIMIT", "UNION", "INTERSECT", "EXCEPT", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "CROSS",
    "CALL", "WINDOW", "TABLESAMPLE", "WITH", "PIVOT", "UNPIVOT", "MATCH_RECOGNIZE",
})  # fmt: skip
# Statements whose parentheses define (CREATE FUNCTION f(a int)) rather than run.
DEFINITIONS = frozenset({"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "DENY"})


@dataclass(frozen=True)
class Facts:
    """What a dialect's engine does with a call."""

    builtins: frozenset[Name]
    reasons: dict[str, str]  # known side effects: why
    fold: str  # unquoted names: "lower", "upper", or "" (compared without case)
    identifier_quotes: str  # openers of quoted identifiers, which may name a function
    system_schemas: frozenset[str] = frozenset()  # folded: pg_catalog.lower is lower
    not_calls: frozenset[str] = frozenset()
    cast_operator: bool = False  # '::' casts, so a name after it is a type
    assignment: bool = False  # MySQL ':=' assigns a user variable
    sequence_attribute: str = ""  # Snowflake seq.NEXTVAL advances a sequence
    reason_prefix: tuple[str, str] = ("", "")  # Snowflake SYSTEM$…: a procedure
    pipe: bool = False  # BigQuery pipe syntax: '|>' then an operator
    # T-SQL: FROM t (NOLOCK) is a table hint without WITH, not a call of t: the word after '('
    # decides.
    legacy_hints: frozenset[str] = frozenset()

    def resolve(self, text: str, quoted: bool) -> str:
        """The name an engine looks up."""
        return text if quoted else _fold(text, self.fold)

    def reason(self, last: str, name: str) -> str:
        """Why a call of ``name`` (its last part ``last``) is refused."""
        last = last.upper()
        prefix, why = self.reason_prefix
        if last in self.reasons:
            return f"{name}() {self.reasons[last]}"
        if prefix and last.startswith(prefix):
            return f"{name}() {why}"
        return (
            f"{name}() is not on the list of functions known to be free of side effects "
            "(partialjson/sql/_functions.py); allow it with functions={...} if it is"
        )


def _facts(
    listed: str, reasons: dict[str, str], fold: str, quotes: str, extra_not_calls: str = "",
    **options: Any,
) -> Facts:
    builtins = frozenset(tuple(_fold(part, fold) for part in name) for name in _names(listed))
    assert not builtins & {(_fold(n, fold),) for n in reasons}, "a side effect on the list"
    not_calls = frozenset((_NOT_CALLS + extra_not_calls).split())
    return replace(Facts(builtins, reasons, fold, quotes, not_calls=not_calls), **options)


def _fold(name: str, fold: str) -> str:
    """Engines fold ASCII letters only (PostgreSQL's downcase_identifier); no built-in name
    holds another character."""
    return name.translate(_TO_UPPER if fold == "upper" else _TO_LOWER)


FACTS: dict[str, Facts] = {
    "ansi": _facts(_ANSI, {}, "upper", '"', _PROCEDURAL),
    "postgres": _facts(
        _POSTGRES, _PG_REASONS, "lower", '"', system_schemas=frozenset({"pg_catalog"}),
        cast_operator=True,
    ),
    "mysql": _facts(_MYSQL, _MYSQL_REASONS, "", "`", "WHILE RETURN ELSEIF UNTIL", assignment=True),
    "sqlite": _facts(_SQLITE, _SQLITE_REASONS, "", '"`[', "RAISE"),
    "tsql": _facts(
        _TSQL, _TSQL_REASONS, "", '"[', _PROCEDURAL + " PATH ROOT RAW FORCESEEK",
        legacy_hints=frozenset(_LEGACY_HINTS.split()),
    ),
    "bigquery": _facts(
        _BIGQUERY, _BIGQUERY_REASONS, "", "`", "WHILE RETURN ELSEIF UNTIL",
        system_schemas=frozenset({"safe"}), pipe=True,
    ),
    "snowflake": _facts(
        _SNOWFLAKE, _SNOWFLAKE_REASONS, "upper", '"', _PROCEDURAL, cast_operator=True,
        sequence_attribute="NEXTVAL",
        reason_prefix=("SYSTEM$", "is a system procedure: it may act (cancel, abort, wait…)"),
    ),
}  # fmt: skip


class Names:
    """The functions a stream allows: the dialect's built-ins and the user's names."""

    def __init__(self, facts: Facts, allowed: Collection[str] | None) -> None:
        if isinstance(allowed, str):
            raise TypeError('functions takes a set of names, e.g. {"my_udf"}, not a string')
        self.facts = facts
        self.user = frozenset(self._parse(name) for name in allowed or ())

    def _parse(self, name: str) -> Name:
        """``schema.f``, ``"MixedCase"``: parts as SQL reads them (double quotes: exact)."""
        parts: list[str] = []
        pos = 0
        while True:
            m = _NAME_PART.match(name, pos)
            if m is None:
                raise ValueError(f"malformed function name {name!r}")
            quoted, bare, dot = m.groups()
            if quoted is not None:
                parts.append(quoted.replace('""', '"'))
            else:
                parts.append(self.facts.resolve(bare, quoted=False))
            pos = m.end()
            if not dot:
                return tuple(parts)

    def allows(self, parts: list[tuple[str, bool]]) -> bool:
        facts = self.facts
        resolved = tuple(facts.resolve(text, quoted) for text, quoted in parts)
        if resolved in self.user:
            return True
        if len(parts) > 1 and resolved[0] in facts.system_schemas:
            parts, resolved = parts[1:], resolved[1:]
        # Without a fold, a quoted name is not a built-in's (MySQL: a stored function).
        return resolved in facts.builtins and (
            bool(facts.fold) or not any(quoted for _, quoted in parts)
        )


Part = tuple[str | None, int, int, bool]  # upper-cased ASCII word or None, start, end, quoted


class Calls:
    """Function calls (and assignments) in one statement's tokens, fed by the splitter."""

    __slots__ = (
        "assigned", "before", "chain", "chain_at", "count", "dotted", "facts", "names",
        "next_value", "owner", "pending", "pipe", "prev", "punct", "punct_end",
    )  # fmt: skip

    def __init__(self, names: Names, owner: Splitter) -> None:
        self.names = names
        self.facts = names.facts
        self.owner = owner
        self.chain: list[Part] = []  # the name read so far, perhaps dotted
        self.dotted = False  # … and a '.' after it, waiting for the next part
        self.before = ""  # the token before the chain
        self.chain_at = 0  # how many tokens came before the chain
        self.prev = ""  # the last token: an upper-cased word, a character, "'" for a literal
        self.count = 0  # tokens so far
        self.punct = ""  # the last punctuation character …
        self.punct_end = -1  # … and the offset after it (':=' and '::' are two, adjacent)
        self.next_value = 0  # NEXT VALUE FOR: how many of its words were seen
        self.assigned = False
        self.pipe = False  # after '|>'
        self.pending: tuple[str, str] | None = None  # T-SQL FROM t (: a call (name, reason)?

    def word(self, word: str | None, start: int, end: int) -> None:
        """A word: ``word`` upper-cased if it is short and ASCII, else None."""
        w = word or ""
        if self.pending is not None:
            self._hint_or_call(w in self.facts.legacy_hints, end)
        if self.next_value or w == "NEXT":
            self._next_value(w, end)
        if self.pipe:
            self._pipe(w, end)
        if self.dotted:
            self.dotted = False
            self.chain.append((word, start, end, False))
            if w and w == self.facts.sequence_attribute:
                self._refuse(w.lower(), f"….{w.lower()} advances a sequence", end)
        else:
            self.before = self.prev
            self.chain_at = self.count
            self.chain = [(word, start, end, False)]
        self.prev = w
        self.count += 1

    def literal(self, start: int, end: int) -> None:
        if self.pending is not None:
            self._hint_or_call(False, end)
        self.next_value = 0
        if self.dotted:
            self.dotted = False
            self.chain.append((None, start, end, True))
        else:
            self.before = self.prev
            self.chain_at = self.count
            self.chain = [(None, start, end, True)]
        self.prev = "'"
        self.count += 1

    def punctuation(self, char: str, offset: int) -> None:
        if self.pending is not None:
            self._hint_or_call(False, offset)
        self.next_value = 0
        token = char
        if char == "(":
            if self.chain and not self.dotted:
                self._call(offset)
            self.chain = []
        elif char == "." and self.chain and not self.dotted:
            self.dotted = True
        else:
            self.chain = []
            self.dotted = False
            if self.punct_end == offset and self.punct == ":":
                if char == ":":
                    token = "::"
                elif char == "=" and self.facts.assignment:
                    self._assign(offset)
            elif char == ">" and self.punct_end == offset and self.punct == "|":
                self.pipe = self.facts.pipe
        self.punct = char
        self.punct_end = offset + 1
        self.prev = token
        self.count += 1

    def _next_value(self, w: str, end: int) -> None:
        seen = self.next_value
        if seen == 2 and w == "FOR":
            self._refuse("NEXT VALUE FOR", "NEXT VALUE FOR advances a sequence", end)
        self.next_value = seen + 1 if w == ("NEXT", "VALUE", "")[seen] else int(w == "NEXT")

    def _pipe(self, w: str, end: int) -> None:
        self.pipe = False
        if w not in PIPE_OPERATORS:
            effect = KINDS.get(w, "UNKNOWN")
            self.owner.refuse(effect, f"'|> {w}' is not a pipe query operator", end)

    # -- decisions -----------------------------------------------------------------------------
    def _call(self, offset: int) -> None:
        """A name then '(' at ``offset``: a call, unless the context says otherwise."""
        owner = self.owner
        kinds = owner.kinds
        if "FUNCTION" in kinds.effects or kinds.kind in DEFINITIONS:
            return  # already refused, or a definition
        before = self.before
        if before in NAME_BEFORE or (before == "::" and self.facts.cast_operator):
            return
        if self.chain_at == 1 and before in CALLERS:
            return  # CALL p(…)
        if kinds.in_with_list(owner.paren):
            return  # WITH c (a, b) AS (…)
        chain = self.chain
        first = chain[0][0]
        if first is not None and (
            first.isdigit()  # a number: 1.5 is '1', '.', '5'
            or (len(chain) == 1 and first in self.facts.not_calls)  # IN (…), OVER (…)
            or (len(chain) == 1 and self.chain_at == 0 and first in KINDS)  # EXEC('…')
        ):
            return
        parts = self._parts()
        if parts is not None:
            if parts[0][0].startswith("@") and not parts[0][1]:
                return  # a variable
            if self.names.allows(parts):
                return
        name = self._raw()
        last = parts[-1][0] if parts else ""
        reason = self.facts.reason(last, name)
        known = last.upper() in self.facts.reasons
        if self.facts.legacy_hints and before in ("FROM", "JOIN") and not known:
            self.pending = (name, reason)  # FROM t (NOLOCK) or FROM f(1): the next token says
        else:
            self._refuse(name, reason, offset)

    def _hint_or_call(self, hint: bool, offset: int) -> None:
        """The token after T-SQL's ``FROM name (``: a table hint, or else a call."""
        name, reason = self.pending or ("", "")
        self.pending = None
        if hint:
            self.owner.kinds.hint_depth = self.owner.paren  # locking hints count as WITH's
        else:
            self._refuse(name, reason, offset)

    def _parts(self) -> list[tuple[str, bool]] | None:
        """The chain's parts as (text, quoted), or None if one cannot be a name a list holds."""
        parts = []
        owner = self.owner
        for word, start, end, quoted in self.chain:
            if word is not None:
                parts.append((word, False))  # ASCII: folds as the text as written would
                continue
            if end - start > NAME_LIMIT:
                return None
            text = owner.sink.text(start, end)
            if quoted:
                unquoted = _unquote(owner.dialect.QUOTES, text, self.facts.identifier_quotes)
                if unquoted is None:
                    return None
                text = unquoted
            parts.append((text, quoted))
        return parts

    def _raw(self) -> str:
        start, end = self.chain[0][1], self.chain[-1][2]
        if end - start > NAME_LIMIT:
            return self.owner.sink.text(start, start + NAME_LIMIT) + "…"
        return self.owner.sink.text(start, end)

    def _assign(self, offset: int) -> None:
        if self.owner.kinds.kind != "SET" and not self.assigned:
            self.assigned = True
            reason = "':=' assigns a user variable: session state, as SET does"
            self.owner.refuse("SET", reason, offset, flag=Flag.ASSIGNS_VARIABLE)

    def _refuse(self, name: str, reason: str, offset: int) -> None:
        if "FUNCTION" not in self.owner.kinds.effects:
            self.owner.refuse("FUNCTION", reason, offset, name, Flag.CALLS_FUNCTION)


def _unquote(quotes: Iterable[Quote], text: str, identifier_quotes: str) -> str | None:
    """A quoted identifier's name, or None: a string, or escapes this does not decode."""
    if not text or text[0] not in identifier_quotes:
        return None
    for quote in quotes:
        opener, closer = quote.opener, quote.closer
        if text.startswith(opener) and text.endswith(closer) and len(text) >= 2 * len(opener):
            inner = text[len(opener) : len(text) - len(closer)]
            if quote.backslash and "\\" in inner:
                return None
            return inner.replace(closer * 2, closer) if quote.doubled else inner
    return None
