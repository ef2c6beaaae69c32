#!/usr/bin/env python3
"""Generate the old government website that `make bench-archive` mirrors.

usage: python3 bench/archive/mksite.py [--seed S] [--force] PAGES OUTDIR

OUTDIR receives a static site in the shape of tests/fixtures/oldsites/fgw,
an old 示例市发展和改革委员会 site as a 2010s CMS left it, with exactly PAGES
HTML pages, every one reachable by links from /index.html:

  index.html                       the homepage: navigation, the latest
                                   articles of every column, the about pages
  <col>/list_1.html .. list_K.html 8 columns (栏目), 20 articles a page,
                                   newest first, with a pager (首页 上一页
                                   1 2 3 ... 下一页 尾页: at most a few hops
                                   from the first page to any other)
  <col>/<YYYYMM>/t<YYYYMMDD>_<n>.html
                                   the articles: Chinese text, 上一篇/下一篇
                                   and 3 related articles; about one in five
                                   (the oldest, before the CMS moved to
                                   UTF-8) is GB2312 or GBK with a meta charset
  about/<name>.html                a few about pages, to make the count exact
  css/style.css                    shared; url() to images/bg.png and nav.gif
  js/common.js                     shared; every page also has inline scripts
                                   and onclick handlers for the archiver to
                                   neutralise
  images/*.png, *.gif              logo, banner, background, 12 photos
  files/<YYYY>/<n>.pdf             attachments of some 通知公告/政策文件 articles

Articles weigh 3.4 to 7 KB (5 KB in the median), list pages 2.7 to 6.8 KB.
The same seed and PAGES give byte-identical files.
OUTDIR/.mksite records the generator version, PAGES and seed; when it
already matches, nothing is rewritten unless --force is given.  Prints one
line: the number of HTML pages and of other files.  Python 3 standard
library only.
"""
import argparse
import datetime
import os
import random
import shutil
import struct
import sys
import zlib

VERSION = "jiyue-bench-archive-site 1"
PER_PAGE = 20
SITE = "示例市发展和改革委员会"

# (folder, title, share of the articles)
COLUMNS = [
    ("gzdt", "工作动态", 28), ("tzgg", "通知公告", 16), ("zcwj", "政策文件", 12),
    ("zcjd", "政策解读", 8), ("ghjh", "发展规划", 8), ("xmjs", "重点项目", 10),
    ("jgjc", "价格监测", 10), ("bszn", "办事指南", 8),
]
ABOUT = [("lxwm", "联系我们"), ("wzdt", "网站地图"), ("mzsm", "免责声明"), ("jgzn", "机构职能"),
         ("ldxx", "领导信息"), ("nsjg", "内设机构"), ("sybz", "使用帮助"), ("yszc", "隐私政策"),
         ("xxgkzn", "信息公开指南"), ("xxgknb", "信息公开年报"), ("zwfw", "政务服务"),
         ("hdjl", "互动交流"), ("zxft", "在线访谈"), ("dczj", "调查征集"), ("rdhy", "热点回应"),
         ("ztzl", "专题专栏"), ("tjsj", "统计数据"), ("xwfb", "新闻发布"), ("rsxx", "人事信息"),
         ("czzj", "财政资金")]

SUBJECTS = ["市发展改革委", "各区县发展改革局", "委机关各处室", "市直有关部门", "我委",
            "领导小组办公室", "工作专班", "各乡镇（街道）", "市价格监测中心", "项目建设单位",
            "市重点项目办", "市能源局", "市粮食和物资储备局"]
ADVERBS = ["认真", "全面", "进一步", "切实", "扎实", "持续", "统筹", "深入", "加快", "稳步",
           "有序", "积极"]
VERBS = ["推进", "落实", "开展", "加强", "完善", "规范", "优化", "提升", "部署", "组织",
         "督促", "保障", "统筹", "整合"]
OBJECTS = ["重点项目建设", "国民经济和社会发展计划", "价格监测预警", "营商环境优化",
           "固定资产投资", "社会信用体系建设", "节能降耗工作", "粮食安全保障",
           "重大项目前期工作", "政府投资项目审批", "区域协调发展", "以工代赈项目",
           "民营经济发展", "招标投标监管", "能源保供工作", "价格收费检查",
           "十三五规划实施", "政务公开工作", "生态文明建设", "新型城镇化建设"]
TAILS = ["确保各项任务按期完成", "切实提高服务效能", "不断增强群众获得感",
         "形成长效工作机制", "为全市经济社会发展提供有力保障", "做到应公开尽公开",
         "推动工作取得实效", "及时回应社会关切", "守住安全底线", "提升企业和群众满意度"]
OPENERS = ["近日，", "为贯彻落实省委省政府有关部署，", "根据年度工作安排，", "会议指出，",
           "会议强调，", "下一步，", "截至目前，", "", "", ""]
TITLE_FORMS = ["关于{adv}{verb}{obj}的通知", "市发展改革委召开{obj}工作推进会",
               "{year}年{obj}工作要点", "关于{obj}情况的公告", "我委{adv}{verb}{obj}",
               "《{obj}管理办法》政策解读", "{obj}办事指南", "关于{obj}有关问题的答复",
               "{year}年第{q}季度{obj}情况通报"]
GOODS = ["大米", "面粉", "食用油", "猪肉", "牛肉", "鸡蛋", "白菜", "土豆", "西红柿", "苹果",
         "柴油", "液化气"]

PHOTOS = 12
MIN_ABOUT = 6      # the first ones of ABOUT: the footer links lxwm, wzdt, mzsm
ENCODINGS = [("gb2312", "gb2312"), ("gbk", "GBK"), ("gb2312", "GB2312")]


def sentence(r):
    s = (r.choice(OPENERS) + r.choice(SUBJECTS) + r.choice(ADVERBS) + r.choice(VERBS)
         + r.choice(OBJECTS))
    if r.random() < 0.7:
        s += "，" + r.choice(TAILS)
    if r.random() < 0.3:
        s += "，" + r.choice(["并", "同时", "着力"]) + r.choice(VERBS) + r.choice(OBJECTS)
    return s + "。"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---- binary files: valid, deterministic, padded to a size ----

def png(r, w, h):
    rows = b"".join(b"\0" + bytes(r.getrandbits(8) for _ in range(w * 3)) for _ in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def gif(r, size):
    # a 1x1 GIF89a, grown with comment extension blocks
    head = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes([0x99, 0, 0, 0xff, 0xff, 0xff]))
    body = b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
    comment = b""
    left = max(0, size - len(head) - len(body) - 1)
    while left > 3:
        n = min(255, left - 3)
        comment += b"\x21\xfe" + bytes([n]) + bytes(0x41 + r.randrange(26) for _ in range(n)) + b"\x00"
        left -= n + 4
    return head + comment + body + b"\x3b"


def pdf(r, title_ascii, size):
    lines = ["BT /F1 14 Tf 72 760 Td (%s) Tj ET" % title_ascii]
    have = len(lines[0]) + 1
    while have < size - 700:
        lines.append("%d %d m %d %d l S" % (r.randrange(600), r.randrange(800),
                                              r.randrange(600), r.randrange(800)))
        have += len(lines[-1]) + 1
    stream = "\n".join(lines).encode("ascii")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


CSS = """@charset "utf-8";
/* 示例市发展和改革委员会 */
body { margin: 0; font: 12px/1.8 "宋体", SimSun, serif; color: #333;
       background: #eef3f8 url(../images/bg.png) repeat-x; }
a { color: #333; text-decoration: none; } a:hover { color: #c00; }
.top { width: 1000px; margin: 0 auto; height: 120px; background: url("../images/banner.png") no-repeat; }
.nav { width: 1000px; margin: 0 auto; height: 36px; background: #0a4f9c url('../images/nav.gif') repeat-x; }
.nav a { float: left; padding: 0 18px; line-height: 36px; color: #fff; font-size: 14px; }
.main { width: 1000px; margin: 10px auto; background: #fff; padding: 20px; }
.crumb { color: #666; border-bottom: 1px solid #ddd; padding-bottom: 6px; }
.list li { list-style: none; border-bottom: 1px dashed #ccc; line-height: 32px; }
.list li span { float: right; color: #999; }
.pager { text-align: center; padding: 16px 0; } .pager a, .pager span { margin: 0 4px; }
h1.title { font-size: 22px; text-align: center; color: #0a4f9c; }
.info { text-align: center; color: #888; border-bottom: 1px solid #eee; }
.content p { text-indent: 2em; font-size: 16px; }
.foot { width: 1000px; margin: 0 auto; text-align: center; color: #666; padding: 12px 0; }
"""

JS = """/* 示例市发展和改革委员会 公共脚本 */
function setFontSize(n) { var c = document.getElementById('zoom'); if (c) c.style.fontSize = n + 'px'; }
function printPage() { window.print(); }
function closeWin() { window.opener = null; window.close(); }
function addFavorite() { try { window.external.addFavorite(location.href, document.title); }
  catch (e) { alert('请使用Ctrl+D加入收藏'); } }
function openWin(u) { window.open(u, '_blank', 'width=800,height=600'); }
function createPageHTML(total, cur, name, ext) {
  var s = '';
  for (var i = 1; i <= total; i++) s += i == cur ? '<span>' + i + '</span>' :
    '<a href="' + name + '_' + i + '.' + ext + '">' + i + '</a>';
  document.write(s);
}
var _hmt = _hmt || [];
document.write('<img src="/images/stat.gif?r=' + Math.random() + '" width=0 height=0>');
"""


class Article:
    __slots__ = ("n", "col", "date", "title", "path", "gbk", "photo", "pdf", "paras")


def plan(pages, r):
    """Decide the counts: articles + list pages + about pages + 1 == pages."""
    weights = [w for _, _, w in COLUMNS]

    def split(a):
        raw = [a * w / sum(weights) for w in weights]
        out = [int(x) for x in raw]
        for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[:a - sum(out)]:
            out[i] += 1
        return out

    def lists(per_col):
        return sum(max(1, -(-k // PER_PAGE)) for k in per_col)

    least = 1 + MIN_ABOUT + len(COLUMNS)
    if pages < least:
        sys.exit("mksite: PAGES must be at least %d" % least)
    a = pages - 1 - MIN_ABOUT - len(COLUMNS)
    while a > 0 and a + lists(split(a)) + 1 + MIN_ABOUT > pages:
        a -= 1
    per_col = split(a)
    return per_col, pages - 1 - a - lists(per_col)


def header(rel, page_title, charset):
    nav = "".join('<a href="%s%s/list_1.html">%s</a>' % (rel, c, t) for c, t, _ in COLUMNS)
    return ("""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%s" />
<title>%s_%s</title>
<meta name="SiteName" content="%s" />
<meta name="SiteDomain" content="www.fgw.example.gov.cn" />
<meta name="SiteIDCode" content="1101000017" />
<link href="%scss/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="%sjs/common.js"></script>
</head>
<body onload="setFontSize(16)">
<div class="top"><a href="%sindex.html"><img src="%simages/logo.png" alt="%s" width="420" height="80" /></a>
<span class="tools"><a href="javascript:addFavorite()">加入收藏</a> | <a href="#" onclick="openWin('%sabout/wzdt.html');return false;">网站地图</a></span></div>
<div class="nav"><a href="%sindex.html">首页</a>%s</div>
<div class="main">
""" % (charset, esc(page_title), SITE, SITE, rel, rel, rel, rel, SITE, rel, rel, nav))


def footer(rel):
    return ("""</div>
<div class="foot">
<p><a href="%sabout/lxwm.html">联系我们</a> | <a href="%sabout/wzdt.html">网站地图</a> | <a href="%sabout/mzsm.html">免责声明</a></p>
<p>主办单位：%s　地址：示例市人民路1号　邮编：100000　电话：010-12345678</p>
<p>网站标识码：1101000017　<a href="http://beian.miit.gov.cn/">京ICP备12345678号</a>　京公网安备 11010102000001号</p>
<script type="text/javascript">var _v = document.getElementById('visits'); if (_v) _v.innerHTML = '访问量：' + (new Date().getTime() %% 100000);</script>
<span id="visits"></span>
</div>
</body>
</html>
""" % (rel, rel, rel, SITE))


def encode(text, gbk):
    if not gbk:
        return text.encode("utf-8")
    return text.encode(gbk[0])


def article_html(a, arts, by_col, idx_in_col, list_page, pool, r):
    rel = "../../"
    cs = a.gbk[1] if a.gbk else "utf-8"
    col_t = dict((c, t) for c, t, _ in COLUMNS)[a.col]
    out = [header(rel, a.title, cs)]
    out.append('<div class="crumb">当前位置：<a href="%sindex.html">首页</a> &gt; '
               '<a href="../list_%d.html">%s</a> &gt; 正文</div>\n' % (rel, list_page, col_t))
    out.append('<h1 class="title">%s</h1>\n' % esc(a.title))
    out.append('<div class="info">发布时间：%s　来源：%s　字号：'
               '<a href="javascript:setFontSize(20)">大</a> <a href="javascript:setFontSize(16)">中</a> '
               '<a href="javascript:setFontSize(12)">小</a>　<a href="#" onclick="printPage();return false;">打印</a>'
               '</div>\n<div class="content" id="zoom">\n' % (a.date.isoformat(), SITE))
    if a.photo is not None:
        out.append('<p style="text-align:center"><img src="/images/photo/p%02d.png" border="0" '
                   'alt="%s" /></p>\n' % (a.photo, esc(a.title)))
    for p in a.paras:
        out.append("<p>%s</p>\n" % p)
    if a.col == "jgjc":
        out.append('<table border="1" cellspacing="0" width="90%"><tr><th>品种</th><th>单位</th>'
                   '<th>本期均价（元）</th><th>环比</th></tr>')
        for g in r.sample(GOODS, 5):
            out.append('<tr><td>%s</td><td>公斤</td><td>%d.%02d</td><td>%+.1f%%</td></tr>'
                       % (g, r.randint(2, 60), r.randrange(100), r.uniform(-5, 5)))
        out.append("</table>\n")
    if a.pdf:
        out.append('<p>附件：<a href="../../files/%d/%d.pdf">%s.pdf</a></p>\n'
                   % (a.date.year, a.n, esc(a.title[:12])))
    out.append('<p style="text-align:right">（来源：%s）</p>\n</div>\n' % SITE)
    col = by_col[a.col]
    prev_a = col[idx_in_col - 1] if idx_in_col > 0 else None
    next_a = col[idx_in_col + 1] if idx_in_col + 1 < len(col) else None

    def href(b):
        return "../../" + b.path
    out.append('<div class="pn">')
    out.append('<p>上一篇：%s</p>' % ('<a href="%s">%s</a>' % (href(prev_a), esc(prev_a.title))
                                    if prev_a else "没有了"))
    out.append('<p>下一篇：%s</p></div>\n' % ('<a href="%s">%s</a>' % (href(next_a), esc(next_a.title))
                                           if next_a else "没有了"))
    out.append('<div class="related"><h3>相关文章</h3><ul>')
    for b in r.sample(arts, min(3, len(arts))):
        out.append('<li><a href="%s" target="_blank">%s</a></li>' % (href(b), esc(b.title)))
    out.append("</ul></div>\n")
    out.append('<div class="close"><a href="javascript:window.close()" onclick="closeWin()">关闭窗口</a></div>\n')
    out.append(footer(rel))
    return encode("".join(out), a.gbk)


def pager(cur, total):
    def link(i, text):
        return '<a href="list_%d.html">%s</a>' % (i, text)
    parts = ["共%d页" % total, link(1, "首页")]
    if cur > 1:
        parts.append(link(cur - 1, "上一页"))
    for i in range(max(1, cur - 5), min(total, cur + 5) + 1):
        parts.append("<span>%d</span>" % i if i == cur else link(i, str(i)))
    if cur < total:
        parts.append(link(cur + 1, "下一页"))
    parts.append(link(total, "尾页"))
    return ('<div class="pager">%s<script type="text/javascript">/* createPageHTML(%d, %d, "list", "html"); */</script></div>\n'
            % (" ".join(parts), total, cur))


def list_html(col, col_t, cur, total, items):
    rel = "../"
    out = [header(rel, col_t, "utf-8")]
    out.append('<div class="crumb">当前位置：<a href="../index.html">首页</a> &gt; %s</div>\n<ul class="list">\n' % col_t)
    for a in items:
        out.append('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>\n'
                   % (a.path[len(col) + 1:], esc(a.title), esc(a.title), a.date.isoformat()))
    out.append("</ul>\n")
    out.append(pager(cur, total))
    out.append(footer(rel))
    return "".join(out).encode("utf-8")


def about_html(name, t, pool, r):
    rel = "../"
    out = [header(rel, t, "utf-8"), '<div class="crumb">当前位置：<a href="../index.html">首页</a> &gt; %s</div>\n' % t,
           '<h1 class="title">%s</h1>\n<div class="content">\n' % t]
    for _ in range(r.randint(4, 8)):
        out.append("<p>%s</p>\n" % "".join(r.choices(pool, k=r.randint(2, 4))))
    out.append("</div>\n")
    out.append(footer(rel))
    return "".join(out).encode("utf-8")


def index_html(by_col, about):
    out = [header("", "首页", "utf-8")]
    out.append('<div class="banner"><img src="images/banner.png" alt="" usemap="#m" /></div>\n')
    for c, t, _ in COLUMNS:
        out.append('<div class="box"><h2><a href="%s/list_1.html">%s</a><a class="more" href="%s/list_1.html">更多&gt;&gt;</a></h2><ul>\n' % (c, t, c))
        for a in by_col[c][:6]:
            out.append('<li><a href="%s" target="_blank">%s</a><span>%s</span></li>\n'
                       % (a.path, esc(a.title), a.date.strftime("%m-%d")))
        out.append("</ul></div>\n")
    out.append('<div class="about">')
    out.append(" | ".join('<a href="about/%s.html">%s</a>' % (n, t) for n, t in about))
    out.append("</div>\n")
    out.append('<div class="links"><select onchange="window.open(this.value)"><option>政府网站</option>'
               '<option value="http://www.gov.cn/">中国政府网</option></select></div>\n')
    out.append(footer(""))
    return "".join(out).encode("utf-8")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def generate(pages, out, seed):
    r = random.Random(seed)
    per_col, nr_about = plan(pages, r)
    about = [ABOUT[i % len(ABOUT)] if i < len(ABOUT) else ("%s%d" % (ABOUT[i % len(ABOUT)][0], i // len(ABOUT)),
                                                          ABOUT[i % len(ABOUT)][1])
             for i in range(nr_about)]
    pool = [sentence(r) for _ in range(4096)]

    start = datetime.date(2009, 1, 1)
    span = (datetime.date(2019, 6, 30) - start).days
    cut = datetime.date(2013, 1, 1)      # before: the GB2312/GBK era of the CMS
    arts, by_col = [], {}
    n = 1000
    for (c, ct, _), k in zip(COLUMNS, per_col):
        col = []
        for _ in range(k):
            a = Article()
            n += r.randint(1, 9)
            a.n, a.col = n, c
            a.date = start + datetime.timedelta(days=r.randint(0, span))
            q = (a.date.month - 1) // 3 + 1
            a.title = r.choice(TITLE_FORMS).format(adv=r.choice(ADVERBS), verb=r.choice(VERBS),
                                                   obj=r.choice(OBJECTS), year=a.date.year, q=q)
            a.gbk = r.choice(ENCODINGS) if a.date < cut else None
            a.photo = r.randrange(PHOTOS) if r.random() < 0.3 else None
            a.pdf = c in ("tzgg", "zcwj") and r.random() < 0.06
            # the frame is about 3.2 KB: 3.4 to 7 KB in all
            want = r.randint(150, 2700) // (2 if a.gbk else 3)   # characters of text
            paras, p, have = [], "", 0
            while have < want:
                p += r.choice(pool)
                if len(p) > 120 or have + len(p) >= want:
                    paras.append(p)
                    have += len(p)
                    p = ""
            a.paras = paras
            col.append(a)
        col.sort(key=lambda a: (a.date, a.n), reverse=True)
        for a in col:
            a.path = "%s/%s/t%s_%d.html" % (c, a.date.strftime("%Y%m"), a.date.strftime("%Y%m%d"), a.n)
        by_col[c] = col
        arts += col

    html = 0
    write(os.path.join(out, "index.html"), index_html(by_col, about))
    html += 1
    for name, t in about:
        write(os.path.join(out, "about", name + ".html"), about_html(name, t, pool, r))
        html += 1
    for c, ct, _ in COLUMNS:
        col = by_col[c]
        total = max(1, -(-len(col) // PER_PAGE))
        for p in range(1, total + 1):
            items = col[(p - 1) * PER_PAGE:p * PER_PAGE]
            write(os.path.join(out, c, "list_%d.html" % p), list_html(c, ct, p, total, items))
            html += 1
        for i, a in enumerate(col):
            write(os.path.join(out, a.path),
                  article_html(a, arts, by_col, i, i // PER_PAGE + 1, pool, r))
            html += 1

    other = 0
    write(os.path.join(out, "css", "style.css"), CSS.encode("utf-8"))
    write(os.path.join(out, "js", "common.js"), JS.encode("utf-8"))
    write(os.path.join(out, "images", "logo.png"), png(r, 60, 12))
    write(os.path.join(out, "images", "banner.png"), png(r, 100, 30))
    write(os.path.join(out, "images", "bg.png"), png(r, 4, 120))
    write(os.path.join(out, "images", "nav.gif"), gif(r, 300))
    other += 6
    for i in range(PHOTOS):
        write(os.path.join(out, "images", "photo", "p%02d.png" % i), png(r, r.randint(40, 90), r.randint(30, 70)))
        other += 1
    for a in arts:
        if a.pdf:
            write(os.path.join(out, "files", str(a.date.year), "%d.pdf" % a.n),
                  pdf(r, "Notice %d (%s)" % (a.n, a.date.isoformat()), r.randint(20000, 90000)))
            other += 1
    assert html == pages, (html, pages)
    return html, other


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    stamp = "%s\npages %d\nseed %d\n" % (VERSION, args.pages, args.seed)
    stamp_file = os.path.join(args.outdir, ".mksite")
    try:
        with open(stamp_file) as f:
            if f.read() == stamp and not args.force:
                counts = open(os.path.join(args.outdir, ".counts")).read().strip()
                print(counts + " (cached)")
                return
    except OSError:
        pass
    if os.path.exists(args.outdir):
        shutil.rmtree(args.outdir)
    html, other = generate(args.pages, args.outdir, args.seed)
    counts = "%d pages, %d other files" % (html, other)
    with open(os.path.join(args.outdir, ".counts"), "w") as f:
        f.write(counts + "\n")
    with open(stamp_file, "w") as f:
        f.write(stamp)
    print(counts)


if __name__ == "__main__":
    main()
