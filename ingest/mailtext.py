"""Text out of e-mail bodies: charset repair, HTML to text, quoted replies and signatures cut off."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from .triage.encoding import plausibility

# what Russian and Kazakh mail really arrives in when its label is missing or wrong (CHANNELS.md §5.2)
CANDIDATES = ("utf-8", "cp1251", "koi8-r", "kz1048")
CYRILLIC_SINGLE_BYTE = frozenset({"cp1251", "koi8-r", "koi8-u", "kz1048", "ptcp154", "iso8859-5", "cp866",
                                  "mac-cyrillic"})


def decode_body(data: bytes, declared: str | None) -> str:
    """Bytes of a text part → str. Non-ASCII bytes that are valid UTF-8 are UTF-8, whatever the label says
    (a label saying KOI8-R on UTF-8 bytes is a known lie, Roundcube #6779); otherwise the declared charset,
    any Python knows (ISO-2022-JP, UTF-16 and other non-ASCII-compatible ones included); with no usable
    label, the most plausible of the charsets Russian and Kazakh mail really arrives in."""
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        lossy = data.decode("utf-8", "replace")  # UTF-8 with a byte or two cut off (a truncated header)
        if lossy.count("\ufffd") <= max(1, len(data) // 200) and _MULTIBYTE.search(data):
            return lossy.replace("\ufffd", "")
    codec = _codec(declared)
    if codec is not None and codec not in CYRILLIC_SINGLE_BYTE:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    if data.isascii():
        return data.decode("ascii")
    # Cyrillic single-byte labels are swapped for one another as often as they are right: every one of them
    # decodes any bytes, so the most plausible text wins, the declared one on a tie
    order = [c for c in dict.fromkeys([codec, *CANDIDATES, "cp1252"]) if c and c != "utf-8"]
    best, best_score = None, -1.0
    for i, candidate in enumerate(order):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        score = plausibility(text) - 0.01 * i - 0.1 * len(_MIXED_WORD.findall(text))
        if score > best_score:
            best, best_score = text, score
    return best if best is not None else data.decode("utf-8", "replace")


_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
# a word with Latin and Cyrillic letters side by side: what a wrong single-byte guess makes of a name
_MIXED_WORD = re.compile(r"\b(?=\w*[a-zA-Z])(?=\w*[а-яА-ЯёЁ])\w+\b")


def _codec(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when Python knows no such charset."""
    if not label:
        return None
    label = label.strip().strip('"').lower()
    aliases = {"windows-1251": "cp1251", "win-1251": "cp1251", "x-cp1251": "cp1251", "koi8r": "koi8-r",
               "kz-1048": "kz1048", "strk1048-2002": "kz1048", "rk1048": "kz1048", "pt154": "ptcp154",
               "x-unknown": "", "unknown-8bit": "", "x-user-defined": ""}
    name = aliases.get(label, label)
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


class _Text(HTMLParser):
    """HTML → plain text, leaving out scripts, styles and the quoted part of a reply."""

    _SKIP = frozenset({"script", "style", "head", "title", "blockquote"})
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol", "hr"})
    _QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
    _QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-app-auto-quote")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []  # open tags whose content is left out
        self._stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "").lower() for k, v in attrs}
        if any(q in values.get("id", "") for q in self._QUOTE_IDS):
            self._stopped = True  # Outlook puts the whole quoted thread after this marker
        if self._skip or tag in self._SKIP or any(c in values.get("class", "") for c in self._QUOTE_CLASSES):
            if tag not in ("br", "hr", "img", "meta", "link", "input"):
                self._skip.append(tag)
            return
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._stopped:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_CUT = re.compile(
    r"^(?:--\s?$"  # RFC 3676 signature separator
    r"|_{5,}\s*$"
    r"|-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|forwarded message|"
    r"бастапқы хат)\s*-{2,}"
    r"|(?:sent from my|отправлено с|отправлено из|жіберілді|get outlook for)\b)",
    re.IGNORECASE)
_FORWARD_MARK = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|пересылаемое сообщение|пересланное сообщение|"
    r"переадресованное сообщение|жіберілген хат)\s*-{2,}|(?:begin forwarded message|"
    r"начало пересылаемого сообщения|пересылаемое сообщение)\s*:?)\s*$", re.IGNORECASE)
_FORWARD_HEADER = re.compile(r"^\*?(?:from|date|sent|subject|to|cc|от|дата|отправлено|тема|кому|копия|"
                             r"кімнен|күні|тақырыбы|кімге)\s*:", re.IGNORECASE)
_WROTE = re.compile(r"(?:wrote|написал(?:\(а\)|а)?|пишет|жазды|жазған|schrieb)\s*:\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\*?(?:от|from|кімнен)\s*:", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\*?(?:отправлено|sent|дата|date|кому|to|тема|subject)\s*:", re.IGNORECASE)


def forwarded_part(text: str) -> tuple[str, str]:
    """(the writer's own words, the message they pasted under a "Forwarded message" line, without its
    From/Date/Subject block); ("text", "") when nothing was forwarded."""
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if _FORWARD_MARK.match(line):
            rest = lines[i + 1:]
            j = 0
            while j < len(rest) and (not rest[j].strip() or _FORWARD_HEADER.match(rest[j].strip())):
                j += 1
            return "\n".join(lines[:i]), "\n".join(rest[j:]).strip()
    return text, ""


def strip_quotes(text: str) -> str:
    """The resident's own words: cut at the reply header, the quoted block or the signature."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _CUT.match(stripped) or _reply_header(lines, i) or _outlook_block(lines, i):
            break
        if not stripped.startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _reply_header(lines: list[str], i: int) -> bool:
    """`11 авг. 2026 г., 10:00 Иван <i@x> написал(а):`, also when the client wrapped it onto two lines."""
    here = lines[i].strip()
    if not here or not re.search(r"\d", here):
        return False
    if _WROTE.search(here):
        return True
    return i + 1 < len(lines) and bool(_WROTE.search(here + " " + lines[i + 1]))


def _outlook_block(lines: list[str], i: int) -> bool:
    if not _OUTLOOK_FROM.match(lines[i].strip()):
        return False
    return any(_OUTLOOK_NEXT.match(line.strip()) for line in lines[i + 1:i + 4])
