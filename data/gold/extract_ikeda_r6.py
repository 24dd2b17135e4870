#!/usr/bin/env python
"""Extract the prose cells of the 池田市 事務事業評価（令和６年度実施事業）目標設定シート PDFs.

pdfplumber + standard library only.  Usage:
    python extract_ikeda.py [--diag] SHEET_NO ...        (prints JSON per sheet)
    python extract_ikeda.py --tsv OUT.tsv SHEET_NO ...   (writes the TSV in the given order)

ikeda_jimujigyo_r6.tsv was written with these sheet numbers, in this order (selection order, see README):
    289 407 398 255 389 401 305 228 2 355 352 163 110 185 331 177 46 290 280 371 161 368 191 240 207 304 288 61 220 264 418 273 293 299 68 272 222 396 250 237 356 284 437 260 345 5 397 361 254 252 258 402 165 330 192 51 76 8 360 104 395 81 416 71 364 263 159 392 103 410 432 90 168 92 243 85 118 278 130 274 406 351 359 114 162 88 314 281 45 366 357 34 311 36 425 172 296 271 111 109 193 277 239 188 315 358 116 119 107 307 241 73 70 201 362 429 221 82 217 203 327
"""
import sys, json, re
import pdfplumber

PDF = '/tmp/ikeda/ikeda-r7-%03d.pdf'
BULLETS = tuple('・⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳○●■◆◇□※【（(＜<［≪〇◎→▶►-－')
PAD = 2.5        # pt: right padding of the cells (the longest lines end 1.7-2.0 pt left of the ruling) + 0.5 tolerance
# characters that may not start a line (Japanese kinsoku); they travel down with the character before them
NO_START = set('、。，．,.）)」』】〕〉》］]｝}｣ー－ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ・･：:；;？！?!％%')
NO_END = set('「『（(【〔［[〈《｛{｢')   # may not end a line: they travel down with the character after them
HALF = re.compile(r'[0-9A-Za-z０-９Ａ-Ｚａ-ｚ,.，．/％%]')


def first_unit_width(chars):
    """Width of the first unbreakable unit of a line: its first character, the whole run when it is a
    half-width/full-width alphanumeric run (a number or a word is not split by the wrap), and the
    kinsoku characters that follow it."""
    i = 0
    while i + 1 < len(chars) and chars[i]['text'] in NO_END:
        i += 1
    if HALF.match(chars[i]['text']):
        while i + 1 < len(chars) and HALF.match(chars[i + 1]['text']):
            i += 1
    while i + 1 < len(chars) and chars[i + 1]['text'] in NO_START:
        i += 1
    return chars[i]['x1'] - chars[0]['x0']


def is_wrap(prev, line, right):
    """prev reaches the right edge: the next line's first unit would not have fitted after it."""
    return (right - prev['x1']) < first_unit_width(line['chars']) + PAD


def inside(obj, bbox):
    cx = (obj['x0'] + obj['x1']) / 2
    cy = (obj['top'] + obj['bottom']) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def region_lines(page, bbox):
    sub = page.filter(lambda o: o.get('object_type') == 'char' and inside(o, bbox))
    return sub.extract_text_lines(strip=True, return_chars=True)


def cell_text(page, bbox):
    return ''.join(l['text'] for l in region_lines(page, bbox)).replace(' ', '')


def join_lines(lines, right, diag=None):
    out = ''
    prev = None
    for l in lines:
        t = l['text']
        if prev is None:
            out = t
        else:
            wrap = is_wrap(prev, l, right)
            if wrap and not t.startswith(BULLETS):
                out += t
            else:
                out += ' ' + t
        if diag is not None:
            diag.append((round(l['x0'], 1), round(l['x1'], 1), round(right - l['x1'], 1), round(l['top'], 1), round(l['bottom'], 1), t,
                         round(first_unit_width(l['chars']), 1), round(l['chars'][0]['size'], 1)))
        prev = l
    return out


def norm_label(s):
    return re.sub(r'\s', '', s)


def extract(n, diag=False):
    pdf = pdfplumber.open(PDF % n)
    assert len(pdf.pages) == 1
    page = pdf.pages[0].dedupe_chars()
    tables = page.find_tables()
    assert len(tables) == 5, (n, len(tables))
    cells = [c for t in tables for c in t.cells]
    labs = [(c, norm_label(cell_text(page, c))) for c in cells]

    def find_label(pred):
        hits = [c for c, t in labs if pred(t)]
        assert len(hits) >= 1, (n, 'label not found')
        return hits

    def right_of(lab):
        nb = [c for c in cells if abs(c[0] - lab[2]) < 1.0 and abs(c[1] - lab[1]) < 1.0]
        assert len(nb) == 1, (n, lab, nb)
        return nb[0]

    res = {'no': n}
    dg = {}
    # header: NO., 担当部署名, 事務事業名
    no_words = [w['text'] for w in page.extract_words() if w['top'] < 60 and w['x0'] > 520]
    res['NO'] = ''.join(no_words)
    res['課名'] = join_lines(region_lines(page, right_of(find_label(lambda t: t == '担当部署名')[0])), 1e9)
    res['事務事業名'] = join_lines(region_lines(page, right_of(find_label(lambda t: t == '事務事業名')[0])), 1e9)

    def prose(key, bbox):
        d = [] if diag else None
        lines = region_lines(page, bbox)
        res[key] = join_lines(lines, bbox[2], d)
        # overflow check: a line sticking out of the cell vertically
        res.setdefault('_overflow', [])
        for l in lines:
            if l['top'] < bbox[1] - 0.5 or l['bottom'] > bbox[3] + 0.5:
                res['_overflow'].append((key, l['text'][:20], round(l['top'], 1), round(l['bottom'], 1), [round(x, 1) for x in bbox]))
        if diag:
            dg[key] = d

    prose('事業の対象', right_of(find_label(lambda t: t == '事業の対象（誰を、何を）')[0]))
    # 事業内容: the cell, extended upwards over the empty cell of the 実施期間 row above it, because in
    # a few sheets (153, 201, 222) the vertically centred text overflows the cell's top ruling
    c = right_of(find_label(lambda t: t == '事業内容')[0])
    prose('事業内容', (c[0], tables[2].bbox[1], c[2], c[3]))
    prose('事業の手段・方法', right_of(find_label(lambda t: t == '事業の手段・方法（どのように）')[0]))
    prose('R６年度取組予定', right_of(find_label(lambda t: t.endswith('取組予定'))[0]))
    prose('R６年度取組実績', right_of(find_label(lambda t: t.endswith('取組実績'))[0]))
    # evaluation block of table 5
    t5 = tables[4].bbox
    a = find_label(lambda t: t == '成果指標の達成状況')[0]
    e1 = find_label(lambda t: t == '事業の有効性')[0]
    e2 = find_label(lambda t: t == '事業の効率性')[0]
    d1 = find_label(lambda t: t == 'R７年度以降の事業の方向性')[0]
    hr = find_label(lambda t: t == '判断理由')
    xr = max(c[2] for c in hr)   # right edge of the 判断理由 label column
    X1 = t5[2]
    prose('成果指標の達成状況 判断理由', (xr, a[3], X1, e1[1]))
    prose('事業の有効性・効率性 判断理由', (xr, e2[3], X1, d1[1]))
    prose('R７年度以降の事業の方向性 判断理由', (xr, d1[3], X1, t5[3]))
    # choice cells (kept for reference only, not in the TSV)
    res['_達成状況'] = cell_text(page, right_of(a))
    res['_有効性'] = cell_text(page, right_of(e1))
    res['_効率性'] = cell_text(page, right_of(e2))
    res['_方向性'] = cell_text(page, right_of(d1))
    # 備考 box below the tables (x 47.0-557.9, y 738.6-776.6)
    prose('備考', (46.0, 737.0, 558.5, 790.0))
    # any text not accounted for between tables?  (diagnostic)
    if diag:
        res['_diag'] = dg
    return res


OUTCOME_KEYS = ['R６年度取組予定', 'R６年度取組実績', '成果指標の達成状況 判断理由',
                '事業の有効性・効率性 判断理由', 'R７年度以降の事業の方向性 判断理由', '備考']


def row(res):
    purpose = res['事業の対象']
    overview = ' '.join(x for x in [res['事業内容'], res['事業の手段・方法']] if x)
    outcome = ' '.join('【%s】%s' % (k, res[k]) for k in OUTCOME_KEYS if res[k])
    return purpose, overview, outcome


def clean(s):
    assert '\t' not in s and '\n' not in s and '\r' not in s
    return s


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == '--tsv':
        out = args[1]
        nums = [int(x) for x in args[2:]]
        with open(out, 'w', encoding='utf-8', newline='\n') as f:
            f.write('通し番号\t事業番号\t事務事業名\t課名\t事業の目的\t事業の概要\t成果\n')
            for i, n in enumerate(nums, 1):
                r = extract(n)
                assert r['NO'] == str(n), (n, r['NO'])
                p, o, c = row(r)
                f.write('\t'.join(clean(x) for x in [str(i), str(n), r['事務事業名'], r['課名'], p, o, c]) + '\n')
    else:
        diag = False
        if args and args[0] == '--diag':
            diag = True
            args = args[1:]
        for a in args:
            print(json.dumps(extract(int(a), diag), ensure_ascii=False, indent=1))
