"""Text that copies, searches and extracts correctly from the dossier PDFs.

Why it is needed: Chromium prints through Skia, which writes each font's ``/ToUnicode``
map from the font's own cmap, keeping for every glyph the *first* (lowest) code point
that maps to it (``SkTypeface_FreeType::getGlyphToUnicodeMap``, crbug.com/359065).
Noto CJK draws a Kangxi radical (U+2F00-U+2FD5) or a CJK radicals-supplement character
(U+2E80-U+2EF3) and its ideograph with one glyph: ⼈ U+2F08 and 人 U+4EBA, ⻔ U+2ED4 and
门 U+95E8. The radical's code point is lower, so the page shows 人 but the PDF says ⼈.
No stylesheet choice avoids it: every installed CJK font (Noto Sans/Serif CJK, any
weight) maps those radicals, and ``font-variant`` changes glyphs, not the cmap.

The fix: `fix_pdf` rewrites each ToUnicode map so that such a glyph maps to its
ideograph (`IDEOGRAPH`), as an incremental update (the printed bytes stay; new versions
of the changed map streams, an xref section and a trailer follow). A document that
really contains a radical character would extract as the ideograph, which is harmless
for minutes and replies.

``IDEOGRAPH`` comes from the cmaps of Noto Sans CJK SC and Noto Serif CJK SC, Regular
and Bold (fonts-noto-cjk): for each radical, the lowest ideograph (U+3400 or above,
compatibility ideographs excluded) mapped to the same glyph; the four fonts agree.

>>> IDEOGRAPH[0x2F08] == ord("人"), IDEOGRAPH[0x2ED4] == ord("门")
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
import zlib

_RADICALS = (
    "⺂⺃⺅⺇⺉⺋⺍⺎⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺟⺠⺡⺣⺤⺦⺨⺩⺫⺭⺮⺯⺰⺱⺲⺳⺹⺺⺽⺾⻁"
    "⻂⻃⻅⻆⻇⻈⻉⻊⻋⻌⻐⻑⻒⻓⻔⻕⻖⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯"
    "⻰⻱⻲⻳⼀⼁⼂⼃⼄⼅⼆⼇⼈⼉⼊⼋⼌⼍⼎⼏⼐⼑⼒⼓⼔⼕⼖⼗⼘⼙⼚⼛⼜⼝⼞⼟⼠⼡⼢⼣"
    "⼤⼥⼦⼧⼨⼩⼪⼫⼬⼭⼮⼯⼰⼱⼲⼳⼴⼵⼶⼷⼸⼺⼻⼼⼽⼾⼿⽀⽁⽂⽃⽄⽅⽆⽇⽈⽉⽊⽋⽌"
    "⽍⽎⽏⽐⽑⽒⽓⽔⽕⽖⽗⽘⽙⽚⽛⽜⽝⽞⽟⽠⽡⽢⽣⽤⽥⽦⽧⽨⽩⽪⽫⽬⽭⽮⽯⽰⽱⽲⽳⽴"
    "⽵⽶⽷⽸⽹⽺⽻⽼⽽⽾⽿⾀⾁⾂⾃⾄⾅⾆⾇⾈⾉⾊⾋⾌⾍⾎⾏⾐⾑⾒⾔⾕⾖⾗⾘⾙⾚⾛⾜⾝"
    "⾞⾟⾠⾡⾢⾣⾤⾥⾦⾧⾨⾩⾪⾫⾬⾭⾮⾯⾰⾱⾲⾳⾴⾵⾶⾷⾸⾹⾺⾼⾽⾾⾿⿀⿁⿂⿃⿄⿅⿆"
    "⿇⿈⿉⿊⿋⿌⿍⿎⿏⿐⿑⿒⿓⿕"
)
_IDEOGRAPHS = (
    "乛乚亻𠘨刂㔾𭕄兀尣尢巳幺彑彐忄扌攵旡歺母民氵灬爫丬犭𤣩罒礻𥫗糹纟罓罒㓁耂肀𦥑艹虎"
    "衤覀见角𧢲讠贝𧾷车辶钅長镸长门𨸏阝青韦页风飞食𩙿飠饣𩠐马骨鬼鱼鸟卤麦黄黾斉齐齿竜"
    "龙龜亀龟一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕"
    "大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彡彳心戈户手支攴文斗斤方无日曰月木欠止"
    "歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立"
    "竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見言谷豆豕豸貝赤走足身"
    "車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬高髟鬥鬯鬲鬼魚鳥鹵鹿麥"
    "麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龠"
)
IDEOGRAPH = {ord(r): ord(i) for r, i in zip(_RADICALS, _IDEOGRAPHS, strict=True)}
# Latin ligature glyphs (the "ffi" of "officer") are mapped to U+FB00-U+FB06 the same
# way; they extract as their letters.
LIGATURES = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
TEXT = {**IDEOGRAPH, **LIGATURES}

_OBJ = re.compile(rb"(?<![0-9])(\d+) 0 obj\s*")
_STREAM = re.compile(rb"<<([^<>]*)>>\s*stream\r?\n")
_PAIRS = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGES = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _text(hex_utf16: str) -> str:
    return bytes.fromhex(hex_utf16).decode("utf-16-be")


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _mappings(body: str) -> list[tuple[str, str]]:
    """(source code, text) of every bfchar and bfrange entry of a CMap body."""
    out = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", body, re.DOTALL):
        out += [(src, _text(dst)) for src, dst in _PAIRS.findall(block)]
    for block in re.findall(r"beginbfrange(.*?)endbfrange", body, re.DOTALL):
        for lo, hi, dst in _RANGES.findall(block):
            codes = range(int(lo, 16), int(hi, 16) + 1)
            if dst.startswith("["):
                texts = [_text(d) for d in re.findall(r"<([0-9A-Fa-f]+)>", dst)]
            else:
                first = _text(dst[1:-1])
                texts = [first[:-1] + chr(ord(first[-1]) + k) for k in range(len(codes))]
            out += [(f"{code:0{len(lo)}X}", text) for code, text in zip(codes, texts)]
    return out


def fix_cmap(cmap: bytes) -> bytes | None:
    """The ToUnicode CMap with radicals mapped to their ideographs and ligatures to their
    letters (written as bfchar entries, 100 a block); None when it maps neither.

    >>> cmap = (b"begincmap\\n1 begincodespacerange\\n<00> <FF>\\nendcodespacerange\\n"
    ...         b"1 beginbfrange\\n<01> <02> <2F08>\\nendbfrange\\nendcmap\\nend")
    >>> print(fix_cmap(cmap).decode())
    begincmap
    1 begincodespacerange
    <00> <FF>
    endcodespacerange
    2 beginbfchar
    <01> <4EBA>
    <02> <513F>
    endbfchar
    endcmap
    end
    """
    text = cmap.decode("latin-1")
    try:
        start = text.index("endcodespacerange") + len("endcodespacerange")
        end = text.index("endcmap")
    except ValueError:
        return None
    entries = _mappings(text[start:end])
    if not any(ord(c) in TEXT for _, t in entries for c in t):
        return None
    lines = [f"<{src}> <{_hex(t.translate(TEXT))}>" for src, t in entries]
    blocks = "".join(f"{len(part)} beginbfchar\n" + "\n".join(part) + "\nendbfchar\n"
                     for part in (lines[i:i + 100] for i in range(0, len(lines), 100)))
    return (text[:start] + "\n" + blocks + text[end:]).encode("latin-1")


def fix_pdf(data: bytes) -> bytes:
    """``data`` (a PDF) with its ToUnicode maps fixed, appended as an incremental
    update; unchanged when no map names a radical or ligature."""
    refs = {int(n) for n in re.findall(rb"/ToUnicode (\d+) 0 R", data)}
    starts = {int(m.group(1)): m.end() for m in _OBJ.finditer(data) if int(m.group(1)) in refs}
    changed = {}
    for num, pos in sorted(starts.items()):
        m = _STREAM.match(data, pos)
        length = re.search(rb"/Length (\d+)\s*$", m.group(1)) if m else None
        if m is None or length is None or b"/FlateDecode" not in m.group(1):
            continue
        fixed = fix_cmap(zlib.decompress(data[m.end():m.end() + int(length.group(1))]))
        if fixed is not None:
            changed[num] = zlib.compress(fixed)
    if not changed:
        return data
    trailer = re.findall(rb"trailer\s*<<(.*?)>>", data, re.DOTALL)[-1]
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    keep = b"".join(b"\n" + m.group(0) for m in re.finditer(
        rb"/(?:Size \d+|Root \d+ \d+ R|Info \d+ \d+ R|ID\s*\[[^\]]*\])", trailer))
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num, stream in changed.items():
        offsets[num] = len(out)
        out += (b"%d 0 obj\n<</Filter /FlateDecode\n/Length %d>> stream\n" % (num, len(stream))
                + stream + b"\nendstream\nendobj\n")
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, off) for n, off in sorted(offsets.items()))
    out += b"trailer\n<<%s\n/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (keep.lstrip(), prev, xref)
    return bytes(out)
