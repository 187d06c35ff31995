"""Portuguese search terms, the same on both backends: accent folding + plural folding + Snowball stem.

Why not the database's own Portuguese configuration: Snowball needs the accents to recognise the
suffixes ("licitação" → licit, but "licitacao" → licitaca and "licitacoes" → licitaco), and
unaccent-before-stemmer gives licitaca vs licitaco. So every word (indexed text and query alike)
goes through one pipeline here: lower-case → fold accents → put back the nasal endings a clerk
omits (-cao/-coes → -ção) and fold common plurals (-ões/-ães → -ão, -ais → -al, -eis → -el,
-ns → -m) → Snowball Portuguese (PyStemmer) → fold accents again. SQLite FTS5 and PostgreSQL
tsvector ('simple' configuration) then index these stems, so both give identical results.

The query language: words, "exact phrases", E / OU / NÃO (also AND / OR / NOT, and -word)."""
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import Stemmer

from app.services.errors import InvalidInput

MAX_QUERY_CHARS = 300
MAX_QUERY_TERMS = 24
WORD_RE = re.compile(r"[^\W_]+")
QUERY_TOKEN_RE = re.compile(r'"[^"]*"|[^\s"]+|"')

# Snowball's Portuguese stop word list (the one PostgreSQL ships as portuguese.stop), accent-folded.
STOPWORDS = frozenset("""
de a o que e do da em um para com nao uma os no se na por mais as dos como mas ao ele das a seu sua ou quando
muito nos ja eu tambem so pelo pela ate isso ela entre depois sem mesmo aos seus quem nas me esse eles voce
essa num nem suas meu minha numa pelos elas qual nos lhe deles essas esses pelas este dele tu te voces vos lhes
meus minhas teu tua teus tuas nosso nossa nossos nossas dela delas esta estes estas aquele aquela aqueles aquelas
isto aquilo estou esta estamos estao estive esteve estivemos estiveram estava estavamos estavam estivera
estiveramos esteja estejamos estejam estivesse estivessemos estivessem estiver estivermos estiverem hei ha havemos
hao houve houvemos houveram houvera houveramos haja hajamos hajam houvesse houvessemos houvessem houver houvermos
houverem houverei houvera houveremos houverao houveria houveriamos houveriam sou somos sao era eramos eram fui foi
fomos foram fora foramos seja sejamos sejam fosse fossemos fossem for formos forem serei sera seremos serao seria
seriamos seriam tenho tem temos tem tinha tinhamos tinham tive teve tivemos tiveram tivera tiveramos tenha
tenhamos tenham tivesse tivessemos tivessem tiver tivermos tiverem terei tera teremos terao teria teriamos teriam
""".split())

_stemmer = Stemmer.Stemmer("portuguese")
_NASAL = ((re.compile(r"coes$"), "ção"), (re.compile(r"cao$"), "ção"), (re.compile(r"(?<=.{3})(oes|aes)$"), "ão"),
          (re.compile(r"(?<=.{2})ao$"), "ão"), (re.compile(r"(?<=.{3})ais$"), "al"),
          (re.compile(r"(?<=.{3})eis$"), "el"), (re.compile(r"(?<=.{3})ns$"), "m"))


def fold(text):
    """Lower-case without accents: "Licitação" → "licitacao"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=200_000)
def stem(word):
    """The index term of one word (already split), or "" for a stop word or a too-long token."""
    folded = fold(word)
    if folded in STOPWORDS or len(folded) > 60:
        return ""
    if folded.isdigit():
        return folded
    for pattern, replacement in _NASAL:
        new = pattern.sub(replacement, folded)
        if new != folded:
            folded = new
            break
    return fold(_stemmer.stemWord(folded))


def words(text):
    """The words of a text with their spans (for snippets)."""
    return WORD_RE.finditer(text)


def terms(text, limit=None):
    """The space-separated index terms of a text (stop words out), at most `limit` of them."""
    out = []
    for match in WORD_RE.finditer(text or ""):
        term = stem(match.group())
        if term:
            out.append(term)
            if limit and len(out) >= limit:
                break
    return " ".join(out)


# --- the query language ----------------------------------------------------------------------

@dataclass
class Atom:
    """One word (a list of one term) or an exact phrase (several terms)."""
    terms: list
    text: str

    @property
    def is_phrase(self):
        return len(self.terms) > 1


@dataclass
class Query:
    """AND of groups; each group is an OR of atoms; `excluded` atoms must not occur."""
    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def all_terms(self):
        return {t for group in self.groups for atom in group for t in atom.terms}


OPERATORS = {"e": "and", "and": "and", "ou": "or", "or": "or", "nao": "not", "not": "not"}


def _atom(token):
    text = token.strip('"')
    found = [stem(m.group()) for m in WORD_RE.finditer(text)]
    found = [t for t in found if t]
    return Atom(found, text) if found else None


def parse_query(text):
    """Parse the search box; InvalidInput (Portuguese) when nothing searchable remains."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Digite o que deseja pesquisar.", "q")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"A pesquisa tem {len(text)} caracteres; o máximo é {MAX_QUERY_CHARS}.", "q")
    if text.count('"') % 2:
        raise InvalidInput("Há aspas sem fechamento: feche a frase exata com outra aspa (\").", "q")
    query, pending_or, negate = Query(), False, False
    for token in QUERY_TOKEN_RE.findall(text):
        operator = OPERATORS.get(fold(token)) if token.isupper() or token.lower() in ("e", "ou") else None
        if operator == "or":
            pending_or = bool(query.groups)
            continue
        if operator == "not" or token == "-":
            negate = True
            continue
        if operator == "and":
            continue
        if token.startswith("-") and len(token) > 1 and not token.startswith('-"'):
            negate, token = True, token[1:]
        atom = _atom(token)
        if atom is not None:
            if negate:
                query.excluded.append(atom)
            elif pending_or:
                query.groups[-1].append(atom)
            else:
                query.groups.append([atom])
        negate = pending_or = False
    if not query.groups:
        if query.excluded:
            raise InvalidInput("Use NÃO junto com ao menos uma palavra a encontrar (ex.: licitação NÃO pregão).", "q")
        raise InvalidInput("A pesquisa só tem palavras muito comuns ou sinais; informe palavras mais específicas.",
                           "q")
    if sum(len(a.terms) for g in query.groups for a in g) + len(query.excluded) > MAX_QUERY_TERMS:
        raise InvalidInput(f"Use no máximo {MAX_QUERY_TERMS} palavras na pesquisa.", "q")
    return query


def fts5_match(query):
    """The FTS5 MATCH expression; terms are [a-z0-9] only, quoted anyway."""
    def atom(a):
        return '"' + " ".join(a.terms) + '"'

    def group(g):
        return atom(g[0]) if len(g) == 1 else "(" + " OR ".join(atom(a) for a in g) + ")"

    expression = " AND ".join(group(g) for g in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(atom(a) for a in query.excluded) + ")"
    return expression


def pg_tsquery(query):
    """The to_tsquery('simple', …) text: & | ! and <-> for phrases."""
    def atom(a):
        inner = " <-> ".join(f"'{t}'" for t in a.terms)
        return f"({inner})" if a.is_phrase else inner

    def group(g):
        return atom(g[0]) if len(g) == 1 else "(" + " | ".join(atom(a) for a in g) + ")"

    parts = [group(g) for g in query.groups] + [f"!{atom(a)}" for a in query.excluded]
    return " & ".join(parts)
