"""Vietnamese names: NFC storage, accent-insensitive folding and the Vietnamese sort order.

A list of party members is read by given name (the last word), then by family and middle name,
in the Vietnamese alphabet (a ă â b c d đ e ê …), tones breaking ties in the dictionary order
ngang, huyền, hỏi, ngã, sắc, nặng.
"""

import unicodedata

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Two digits per letter so the key sorts the same under any database collation.
_LETTER_RANK = {letter: f"{10 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def normalize_name(raw: str) -> str:
    """NFC, single spaces, each word capitalised as written (only trims what is clearly noise)."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def fold(text: str) -> str:
    """Lowercase, without any diacritic, đ → d: what a search box compares."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def _letters_and_tones(word: str) -> tuple[str, str]:
    primary: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFC", word.lower()):
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = "0"
        letter = base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                letter = unicodedata.normalize("NFC", letter + mark)
        rank = _LETTER_RANK.get(letter)
        if rank is None:
            if not base.isdigit():
                continue  # hyphens, dots and other punctuation do not sort
            rank = "09"
        primary.append(rank)
        tones.append(tone)
    return "".join(primary), "".join(tones)


def sort_key(full_name: str) -> str:
    """The given name in full (letters, then tones), then the rest the same way.

    Digits only, so the key sorts identically under any database collation. "01" separates
    words and sorts before every letter ("An" < "Anh"); "00" separates the layers.
    """
    words = normalize_name(full_name).split(" ")
    if words == [""]:
        return ""
    layers: list[str] = []
    for group in ([words[-1]], words[:-1]):
        parts = [_letters_and_tones(word) for word in group]
        layers.append("01".join(p[0] for p in parts))
        layers.append("".join(p[1] for p in parts))
    return "00".join(layers)


def natural_key(text: str) -> tuple:
    """Unit names in reading order: Vietnamese letters, numbers by value ("Tổ 2" < "Tổ 10")."""
    key: list[tuple[int, str]] = []
    for word in normalize_name(text).split(" "):
        if word.isdigit():
            key.append((0, word.zfill(8)))
        else:
            letters, tones = _letters_and_tones(word)
            key.append((1, letters + "00" + tones))
    return tuple(key)


# Committees before cells, then by name as people read it ("Tổ 2" before "Tổ 10"). The keys
# are the values of org.models.UnitKind.
KIND_ORDER = {
    "province_direct_committee": 0,
    "district_committee": 1,
    "grassroots_committee": 2,
    "partial_committee": 3,
    "grassroots_cell": 4,
    "subordinate_cell": 5,
}


def reading_order(unit) -> tuple:
    """Sort key for a unit's children: `sorted(children, key=reading_order)`."""
    return (KIND_ORDER.get(unit.kind, 9), natural_key(unit.name))
