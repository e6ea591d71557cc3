"""The bibliography's list in the style of its citations: author–year labels, each link once.

The text cites author–year ("[Goodfellow et al., 2014]", ``bibtex_reference_style`` in
_config.yml), but sphinxcontrib-bibtex's default list style labels entries alpha-style
("[GPAM+14]"), so a reader cannot find a citation in the list by its text. This registers a
pybtex formatting style, ``book_author_year`` (``bibtex_default_style`` in _config.yml), whose
labels are the citation's text: the family name of a single author, both of two, the first
"et al." for three or more (or for an author list ending in BibTeX's "and others"), a comma and
the year. Two works of the same authors and year get a letter after the year, in the .bib data
itself (in the list's order), so the text's citation and the list agree ("Karras et al., 2020a"). Entries
are sorted by author, year and title. An arXiv paper whose URL is its arXiv page shows that
link once (not again as "arXiv:NNNN"). Used by book/bibliography.md. Loaded through
``sphinx.local_extensions`` in _config.yml.
"""
import re
from string import ascii_lowercase

from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import optional, sentence

NAME = "book_author_year"


def family_name(person):
    return " ".join(Text.from_latex(part).render_as("text") for part in person.prelast_names + person.last_names)


def author_text(entry):
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    named = [person for person in persons if str(person) != "others"]
    if not named:
        return entry.fields.get("organization", entry.key)
    if len(named) >= 3 or len(named) < len(persons):
        return f"{family_name(named[0])} et al."
    return " and ".join(family_name(person) for person in named)


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield f"{author_text(entry)}, {entry.fields.get('year', 'n.d.')}"


def tell_same_author_year_apart(app):
    """Year 2020 -> 2020a, 2020b for works whose citation text would otherwise be the same."""
    groups = {}
    for entry in app.env.get_domain("cite").bibdata.data.entries.values():
        year = re.sub(r"(?<=\d)[a-z]$", "", entry.fields.get("year", ""))  # the data may be cached, lettered
        entry.fields["year"] = year
        groups.setdefault((author_text(entry), year), []).append(entry)
    for (_, year), group in groups.items():
        if len(group) > 1:
            group.sort(key=find_plugin("pybtex.style.sorting", "author_year_title")().sorting_key)
            for letter, entry in zip(ascii_lowercase, group):
                entry.fields["year"] = year + letter


class AuthorYearStyle(UnsrtStyle):
    default_label_style = NAME
    default_sorting_style = "author_year_title"

    def format_web_refs(self, e):
        url, eprint = e.fields.get("url", ""), e.fields.get("eprint", "")
        parts = [optional[self.format_url(e)]]
        if eprint and eprint not in url:
            parts.append(optional[self.format_eprint(e)])
        parts += [optional[self.format_pubmed(e)], optional[self.format_doi(e)]]
        return sentence[tuple(parts)]


def setup(app):
    register_plugin("pybtex.style.labels", NAME, AuthorYearLabels)
    register_plugin("pybtex.style.formatting", NAME, AuthorYearStyle)
    app.connect("builder-inited", tell_same_author_year_apart, priority=600)  # after sphinxcontrib-bibtex reads the .bib
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
