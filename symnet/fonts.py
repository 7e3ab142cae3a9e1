"""Which installed font prints a name as written.  pdflatex's default fonts print ASCII and the
letters of Latin-1; a name with any other letter (Vietnamese, Polish, Cyrillic, Greek, CJK,
Arabic, Devanagari) is set by LuaLaTeX in a font that fontconfig lists as covering every one of
its characters, found before any TeX runs; a name that no installed font covers is refused.

>>> needs_lualatex("Zoë Müller"), needs_lualatex("Nguyễn Thị Minh Khai")
(False, True)
"""

import bisect
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import SymnetError

# ASCII and Latin-1's letters: what pdflatex prints with its default encodings (OT1, and UTF-8
# input); Ð ð Þ þ have no OT1 glyph
PDFLATEX = frozenset(map(chr, range(32, 127))) | \
    (frozenset(map(chr, range(0xC0, 0x100))) - frozenset("ÐðÞþ×÷"))
# the first of these that covers a name sets it; else the first family by name that does
PREFERRED = ("Latin Modern Roman", "DejaVu Serif", "DejaVu Sans", "Noto Serif", "Noto Sans",
             "Noto Sans Devanagari", "Noto Serif Devanagari", "Noto Naskh Arabic",
             "Noto Sans Arabic", "Noto Serif CJK SC", "Noto Sans CJK SC", "Droid Sans Fallback")
# scripts HarfBuzz must be told to shape (fontspec's names), and those written right to left
SHAPED = {"DEVANAGARI": "Devanagari", "BENGALI": "Bengali", "TAMIL": "Tamil",
          "ARABIC": "Arabic", "HEBREW": "Hebrew", "THAI": "Thai"}
RTL = ("ARABIC", "HEBREW")
FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .-]{0,60}")
INSTALL = ("install fonts that cover it (Debian: apt-get install fonts-noto-core "
           "fonts-noto-cjk) or write the name in Latin letters")


@dataclass(frozen=True)
class Font:
    """The font a name is set in: fontconfig's ``family``, the ``script`` HarfBuzz shapes (or
    ""), and whether the name is written right to left."""

    family: str
    script: str = ""
    rtl: bool = False


def needs_lualatex(name):
    """Whether ``name`` has a character beyond what pdflatex prints (:data:`PDFLATEX`)."""
    return any(c not in PDFLATEX for c in name)


@lru_cache(maxsize=1)
def installed():
    """``{family: [ranges of each of its files]}`` from ``fc-list`` (empty without it); a
    family covers a character only when every file of it does (its bold as its regular)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return {}
    try:
        out = subprocess.run([fc, "--format", "%{family[0]}\t%{charset}\n"], text=True,
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    families = {}
    for line in out.splitlines():
        family, _, charset = line.partition("\t")
        if not FAMILY.fullmatch(family):  # a family's name goes into the TeX file
            continue
        starts, ends = [], []
        for part in charset.split():
            low, _, high = part.partition("-")
            starts.append(int(low, 16))
            ends.append(int(high or low, 16))
        families.setdefault(family, []).append((starts, ends))
    return families


def _covers(files, c):
    code = ord(c)
    for starts, ends in files:
        i = bisect.bisect_right(starts, code) - 1
        if i < 0 or ends[i] < code:
            return False
    return True


def font_for(name, what):
    """The :class:`Font` that prints ``name`` (``what`` names it in the error: ``"row 4 of
    roster.csv"``), or None when pdflatex prints it.  Raises :class:`SymnetError` naming the
    first character that no installed font has."""
    if not needs_lualatex(name):
        return None
    letters = {c for c in name if not c.isspace()}
    families = installed()
    covering = [f for f in families if all(_covers(families[f], c) for c in letters)]
    if not covering:
        missing = next((c for c in name if not c.isspace()
                        and not any(_covers(files, c) for files in families.values())), None)
        if missing is None:  # each character has a font, but no font has them all
            raise SymnetError(f"{what}: no installed font has every character of {name!r}; "
                              + INSTALL)
        raise SymnetError(f"{what}: no installed font has the character {missing!r} "
                          f"(U+{ord(missing):04X} {unicodedata.name(missing, '')}) of "
                          f"{name!r}; " + INSTALL)
    family = next((f for f in PREFERRED if f in covering), min(covering))
    scripts = [unicodedata.name(c, "").split(" ")[0] for c in name if c.isalpha()]
    script = next((SHAPED[s] for s in scripts if s in SHAPED), "")
    return Font(family, script, any(s in RTL for s in scripts))
