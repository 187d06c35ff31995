"""The newest matches of a query, found with bounded work whatever the words and whatever the planner thinks.

`newest_matches(index, query)` yields lists of ids (documents, or process_text rows), newest first, one
list after the other; the caller applies the access filter to each list and stops once it has enough
(search.py caps at SEARCH_RANK_LIMIT). No step reads every match of a common word, and none walks the
whole table for a rare one:

- SQLite: FTS5 walks its doclists newest rowid first (`ORDER BY rowid DESC` is native), LIMIT n.
- PostgreSQL: first a walk of the newest rows by primary key, testing `tsv @@ q` on each (a common word
  fills the list at once); when under WALK_RATE of the walked rows match, the GIN index takes over,
  one bucket of BUCKET ids at a time, newest bucket first: every tsvector carries the lexeme
  `_b<id // BUCKET>` (search_index.write_entry), so `q && '_bN'` intersects the word's posting list with
  one bucket's inside the index. A medium word costs a few buckets, a rare one an index probe per
  bucket. The tsquery is a literal (terms are [a-z0-9] only): no generic plan."""
import json
from dataclasses import dataclass

from sqlalchemy import ARRAY, Integer, bindparam, func, literal_column, select, text

from app.extensions import db
from app.services import search_terms

BUCKET = 16384         # ids per bucket lexeme (PostgreSQL); changing it needs a reindex
FIRST_CHUNK = 1200     # ids asked for first (a little over the default rank limit of 1000)
MAX_CHUNK = 8000
PROBE_ROWS = 1500      # PostgreSQL: newest rows read by the first walk
WALK_RATE = 0.25       # keep walking while at least this share of the walked rows match
MAX_WALK = 6000        # rows read by one walk step


@dataclass(frozen=True)
class Index:
    fts: str      # SQLite FTS5 table (rowid = key)
    table: str    # table holding the tsvector (PostgreSQL)
    key: str      # its id column, newest = highest


DOCUMENTS = Index("document_fts", "document_text", "document_id")
PROCESSES = Index("process_fts", "process_text", "id")


def dialect():
    return db.session.get_bind().dialect.name


def newest_matches(index, query, want=FIRST_CHUNK, ranks=None, below=None, floor=0):
    """Lists of matching ids, newest first, in consecutive chunks (`want`: how many the caller hopes to need),
    only ids in [floor, below) when given (a period). PostgreSQL also puts each id's ts_rank_cd in `ranks`
    (the tsvector is at hand there: no second read)."""
    first = max(FIRST_CHUNK // 4, min(MAX_CHUNK, want * 6 // 5))
    if dialect() == "postgresql":
        return _postgres(index, pg_tsquery_literal(query), first, {} if ranks is None else ranks, below, floor or 0)
    return _fts5(index, search_terms.fts5_match(query), first, below, floor or 0)


def matching_among(index, query, ids, ranks=None):
    """The ids (of a small set, e.g. the documents of an interessado's processes) that match, newest first:
    the match is tested on each of them (primary-key probes), not looked up in the whole index."""
    if not ids:
        return []
    if dialect() == "postgresql":
        tsq = pg_tsquery_literal(query)
        rows = db.session.execute(text(f"SELECT {index.key}, {pg_rank(tsq)} FROM {index.table} WHERE "
                                       f"{index.key} = ANY(:ids) AND tsv @@ {tsq} ORDER BY {index.key} DESC"),
                                  dict(ids=list(ids))).all()
        if ranks is not None:
            ranks.update(rows)
        return [key for key, _ in rows]
    return db.session.scalars(text(
        f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH :match AND rowid IN "
        f"(SELECT value FROM json_each(:ids)) ORDER BY rowid DESC"),
        dict(match=search_terms.fts5_match(query), ids=json.dumps(list(ids)))).all()


def among(key):
    """SQL: `key` is one of the ids given as the single parameter "ids" (see ids_value): one statement
    whatever the number of ids (no IN list of a thousand parameters to render, send and plan)."""
    if dialect() == "postgresql":
        return key == func.any(bindparam("ids", type_=ARRAY(Integer)))
    return key.in_(select(literal_column("value")).select_from(func.json_each(bindparam("ids"))))


def ids_value(ids):
    return list(ids) if dialect() == "postgresql" else json.dumps(list(ids))


def pg_tsquery_literal(query):
    """The query as a tsquery literal (not a bound parameter: a generic plan cannot know the words)."""
    return "'" + search_terms.pg_tsquery(query).replace("'", "''") + "'::tsquery"


def _fts5(index, match, size, last, floor):
    while True:
        below = "" if last is None else " AND rowid < :last"
        ids = db.session.scalars(text(f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH :match{below} "
                                      "AND rowid >= :floor ORDER BY rowid DESC LIMIT :n"),
                                 dict(match=match, last=last, floor=floor, n=size)).all()
        if ids:
            yield ids
        if len(ids) < size:
            return
        last, size = ids[-1], min(2 * size, MAX_CHUNK)


def _walk(index, tsq, below, floor, rows, ranks):
    """(lowest id read, rows read, matching ids newest first) of the `rows` newest rows in [floor, below)."""
    where = f"WHERE {index.key} >= :floor" + ("" if below is None else f" AND {index.key} < :below")
    # ORDER BY … LIMIT in a subquery: a backward primary-key scan; the match is tested on its rows only
    sql = (f"SELECT min(k), count(*), array_agg(k ORDER BY k DESC) FILTER (WHERE tsv @@ {tsq}), "
           f"array_agg({pg_rank(tsq)} ORDER BY k DESC) FILTER (WHERE tsv @@ {tsq}) "
           f"FROM (SELECT {index.key} AS k, tsv FROM {index.table} {where} ORDER BY {index.key} DESC LIMIT :rows) w")
    lowest, read, ids, scores = db.session.execute(text(sql), dict(below=below, floor=floor, rows=rows)).one()
    ranks.update(zip(ids or (), scores or ()))
    return lowest, read, ids or []


def _postgres(index, tsq, size, ranks, below, floor):
    read_total, matched = 0, 0
    rows = PROBE_ROWS
    while True:
        lowest, read, ids = _walk(index, tsq, below, floor, rows, ranks)
        if ids:
            yield ids
        if read < rows:
            return  # the oldest row was read
        below, read_total, matched = lowest, read_total + read, matched + len(ids)
        rate = matched / read_total
        if rate < WALK_RATE:
            break
        # the next step reads about what the rest of the wanted matches needs at the rate seen so far
        rows = min(MAX_WALK, max(PROBE_ROWS // 2, int(max(size - matched, size // 4) / rate * 1.2)))
    yield from _buckets(index, tsq, below, floor, size, ranks)


def _buckets(index, tsq, below, floor, size, ranks):
    """Matches in [floor, below), bucket by bucket through the GIN index, newest first."""
    sql = text(f"""SELECT m.k, m.r FROM generate_series(CAST(:top AS integer), CAST(:bottom AS integer), -1) AS b(n)
        CROSS JOIN LATERAL (SELECT t.{index.key} AS k, {pg_rank(tsq)} AS r FROM {index.table} t
            WHERE t.tsv @@ ({tsq} && CAST('_b' || b.n AS tsquery)) AND t.{index.key} < :below
              AND t.{index.key} >= :floor
            ORDER BY t.{index.key} DESC) m
        LIMIT :n""")
    while below is not None and below > floor:
        rows = db.session.execute(sql, dict(top=(below - 1) // BUCKET, bottom=floor // BUCKET, below=below,
                                            floor=floor, n=size)).all()
        ranks.update(rows)
        ids = [key for key, _ in rows]
        if ids:
            yield ids
        if len(ids) < size:
            return
        below, size = ids[-1], min(2 * size, MAX_CHUNK)


# --- ranking the capped matches ----------------------------------------------------------------
# Only the capped sets are ranked, documents and processes on one scale (they share a results list).
# PostgreSQL: ts_rank_cd with length normalisation (flag 1: a short especificação is not drowned by
# a long document), taken during the candidate search where the tsvector is read anyway.
# SQLite: FTS5's bm25() would count every match of each phrase in the whole index for its IDF (a
# phrase of two common words: a quarter of a second at 1 million documents), so the same BM25
# formula is computed here over the stored terms of both capped sets together (IDF and average
# length taken from them).

RANK_CHARS = 20_000   # terms read per row for the SQLite ranking (the beginning: type, title, first pages)
BM25_K1, BM25_B = 1.2, 0.75
PG_RANK_NORMALIZATION = 1


def pg_rank(tsq):
    return f"ts_rank_cd(tsv, {tsq}, {PG_RANK_NORMALIZATION})"


def scores(query, wanted, known):
    """{(index, id): score} (higher is better) for wanted = {index: ids}; known = {index: {id: rank}}, the
    ranks newest_matches already took (PostgreSQL)."""
    out, missing = {}, {}
    for index, ids in wanted.items():
        ranks = known.get(index) or {}
        out.update({(index, i): float(ranks[i]) for i in ids if i in ranks})
        missing[index] = [i for i in ids if i not in ranks]
    if dialect() == "postgresql":
        for index, ids in missing.items():
            if ids:
                sql = text(f"SELECT {index.key}, {pg_rank(pg_tsquery_literal(query))} FROM {index.table} "
                           f"WHERE {index.key} = ANY(:ids)")
                out.update({(index, key): float(score or 0) for key, score in db.session.execute(sql, dict(ids=ids))})
        return out
    rows = []
    for index, ids in missing.items():
        if ids:
            rows += [((index, key), terms) for key, terms in db.session.execute(text(
                f"SELECT {index.key}, substr(terms, 1, {RANK_CHARS}) FROM {index.table} "
                f"WHERE {index.key} IN ({','.join(str(int(i)) for i in ids)})"))]
    return out | bm25(query, rows)


def bm25(query, rows):
    """BM25 of (id, space-separated terms) rows for the query's words and phrases."""
    import math
    # str.count at C speed, no split (two identical words side by side count once: rare in prose)
    needles = [" " + " ".join(atom.terms) + " " for group in query.groups for atom in group]
    counted = {}
    for key, terms in rows:
        padded = f" {terms or ''} "
        counted[key] = (padded.count(" ") - 1, [padded.count(needle) for needle in needles])
    if not counted:
        return {}
    n = len(counted)
    average = sum(length for length, _ in counted.values()) / n or 1
    idf = [math.log(1 + (n - df + 0.5) / (df + 0.5))
           for df in (sum(1 for _, tf in counted.values() if tf[i]) for i in range(len(needles)))]
    out = {}
    for key, (length, tf) in counted.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        out[key] = sum(w * f * (BM25_K1 + 1) / (f + norm) for w, f in zip(idf, tf) if f)
    return out
