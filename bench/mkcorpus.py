#!/usr/bin/env python3
"""Generate the synthetic portal that `make bench` builds with jiyue and Hugo.

usage: python3 bench/mkcorpus.py [--seed S] [--theme DIR] [--force] PAGES OUTDIR

OUTDIR receives:
  site.yaml                       jiyue's site configuration (theme: bench)
  content/_index.md               the homepage
  content/<dept>/_index.md        26 departments (部门)
  content/<dept>/<col>/_index.md  6 columns (栏目) in each
  content/<dept>/<col>/<slug>.md  PAGES articles, YAML front matter title + date,
                                  3-8 paragraphs of Chinese text, one list,
                                  often a GFM table, a link to another article
  themes/bench/                   a copy of --theme (refreshed on every call)
  .mkcorpus                       stamp: generator version, pages, seed

The same seed and PAGES give byte-identical files.  When the stamp already
matches, the content is left alone (only the theme copy is refreshed) unless
--force is given.  Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import sys

VERSION = "jiyue-bench-corpus 2"

SITE_YAML = """\
title: 示例市人民政府
baseURL: https://www.example.gov.cn/
language: zh-CN
theme: bench
paginate: 20
"""

# (folder, title): the departments of a consolidated city portal.
DEPARTMENTS = [
    ("fgw", "市发展和改革委员会"), ("jxj", "市经济和信息化局"), ("jyj", "市教育局"),
    ("kjj", "市科学技术局"), ("mzj", "市民政局"), ("sfj", "市司法局"),
    ("czj", "市财政局"), ("rsj", "市人力资源和社会保障局"), ("zrzyj", "市自然资源和规划局"),
    ("sthjj", "市生态环境局"), ("zjj", "市住房和城乡建设局"), ("jtj", "市交通运输局"),
    ("slj", "市水利局"), ("nyncj", "市农业农村局"), ("swj", "市商务局"),
    ("whlyj", "市文化和旅游局"), ("wjw", "市卫生健康委员会"), ("tyjrj", "市退役军人事务局"),
    ("yjglj", "市应急管理局"), ("sjj", "市审计局"), ("scjgj", "市市场监督管理局"),
    ("tjj", "市统计局"), ("ybj", "市医疗保障局"), ("cgj", "市城市管理局"),
    ("sjzyj", "市数据资源管理局"), ("gaj", "市公安局"),
]

# (folder, title, share of the articles): columns are not equally busy.
COLUMNS = [
    ("gzdt", "工作动态", 30), ("tzgg", "通知公告", 20), ("zcwj", "政策文件", 15),
    ("zcjd", "政策解读", 10), ("bszn", "办事指南", 15), ("hdjl", "互动交流", 10),
]

SUBJECTS = ["市政府", "各区县人民政府", "市直各单位", "各有关部门", "我局", "领导小组办公室",
            "工作专班", "各乡镇（街道）", "市政府办公室", "相关处室", "各级网站主办单位",
            "窗口工作人员", "执法大队", "市级平台运维单位"]
ADVERBS = ["认真", "全面", "进一步", "切实", "扎实", "持续", "统筹", "深入", "加快", "稳步",
           "有序", "积极"]
VERBS = ["推进", "落实", "开展", "加强", "完善", "规范", "优化", "提升", "部署", "组织",
         "督促", "保障", "统筹", "整合"]
OBJECTS = ["政府网站集约化建设", "政务公开工作", "信息发布审核机制", "网站安全防护",
           "政务服务事项办理", "互动交流渠道建设", "栏目内容更新", "域名注销和归档工作",
           "政策文件解读", "数据资源整合", "办事指南编制", "历史信息迁移",
           "营商环境优化", "12345热线工单办理", "基层政务公开标准化", "一网通办改革",
           "安全生产检查", "防汛抗旱准备", "民生实事项目", "重点项目建设"]
TAILS = ["确保各项任务按期完成", "切实提高服务效能", "不断增强群众获得感",
         "形成长效工作机制", "为经济社会发展提供有力保障", "做到应公开尽公开",
         "推动工作取得实效", "及时回应社会关切", "守住安全底线",
         "提升企业和群众满意度", "实现数据多跑路、群众少跑腿"]
OPENERS = ["近日，", "为贯彻落实上级有关部署，", "根据年度工作安排，", "会议指出，",
           "会议强调，", "下一步，", "截至目前，", "", "", ""]
TITLE_FORMS = ["关于{adv}{verb}{obj}的通知", "{dept}召开{obj}工作推进会",
               "{year}年{obj}工作要点", "关于{obj}情况的公告", "{dept}{adv}{verb}{obj}",
               "《{obj}实施办法》政策解读", "{obj}办事指南", "关于{obj}有关问题的答复"]
MATTERS = ["企业设立登记", "社会团体登记", "建设工程规划许可", "最低生活保障审批",
           "职业资格证书补办", "排污许可证核发", "道路运输经营许可", "医疗机构执业登记",
           "特种设备使用登记", "户外广告设置审批", "高龄津贴申领", "就业困难人员认定"]
BASES = ["《中华人民共和国行政许可法》", "《政府信息公开条例》", "《社会救助暂行办法》",
         "《优化营商环境条例》", "市政府规范性文件", "省级权责清单"]


def sentence(r):
    s = (r.choice(OPENERS) + r.choice(SUBJECTS) + r.choice(ADVERBS) + r.choice(VERBS)
         + r.choice(OBJECTS))
    if r.random() < 0.7:
        s += "，" + r.choice(TAILS)
    if r.random() < 0.3:
        s += "，" + r.choice(["并", "同时", "着力"]) + r.choice(VERBS) + r.choice(OBJECTS)
    return s + "。"


POOL_SIZE = 8192   # sentences drawn once per corpus; paragraphs pick from them


def paragraph(r, pool):
    text = "".join(r.choices(pool, k=r.randint(2, 6)))
    if r.random() < 0.15:
        text = "**" + r.choice(OBJECTS) + "**。" + text
    return text


def title(r, dept_title, year):
    return r.choice(TITLE_FORMS).format(adv=r.choice(ADVERBS), verb=r.choice(VERBS),
                                        obj=r.choice(OBJECTS), dept=dept_title, year=year)


def article_body(r, pool, link_url, link_title):
    out = []
    n = r.randint(3, 8)
    table_at = r.randrange(1, n) if r.random() < 0.4 else -1
    link_at = r.randrange(0, n)
    for k in range(n):
        out += [paragraph(r, pool), ""]
        if k == 0:                    # every article has one list
            ordered = r.random() < 0.4
            for j in range(r.randint(3, 6)):
                mark = f"{j + 1}." if ordered else "-"
                out.append(f"{mark} {r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(TAILS)}。")
            out.append("")
        if k == table_at:             # a GFM table, as in 办事指南
            out += ["| 事项名称 | 设定依据 | 承诺时限 |", "| --- | --- | --- |"]
            for _ in range(r.randint(3, 6)):
                out.append(f"| {r.choice(MATTERS)} | {r.choice(BASES)} | "
                           f"{r.randint(1, 20)}个工作日 |")
            out.append("")
        if k == link_at:
            out += [f"详见[{link_title}]({link_url})。", ""]
    out.append("（来源：示例市人民政府）")
    return "\n".join(out) + "\n"


def front_matter(fields):
    # Strings as JSON, which is a valid YAML double-quoted scalar; dates and
    # numbers plain.
    def scalar(v):
        if isinstance(v, (int, datetime.date)):
            return str(v)
        return json.dumps(v, ensure_ascii=False)
    return "\n".join(["---"] + [f"{k}: {scalar(v)}" for k, v in fields] + ["---", ""])


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(pages, out, seed):
    r = random.Random(seed)
    content = os.path.join(out, "content")
    write(os.path.join(out, "site.yaml"), SITE_YAML)
    os.makedirs(content)
    write(os.path.join(content, "_index.md"),
          front_matter([("title", "示例市人民政府")]) + "\n欢迎访问示例市人民政府门户网站。\n")
    for di, (d, dtitle) in enumerate(DEPARTMENTS):
        os.makedirs(os.path.join(content, d))
        write(os.path.join(content, d, "_index.md"),
              front_matter([("title", dtitle), ("weight", di + 1)])
              + f"\n{dtitle}是市人民政府工作部门。\n")
        for ci, (c, ctitle, _) in enumerate(COLUMNS):
            os.makedirs(os.path.join(content, d, c))
            write(os.path.join(content, d, c, "_index.md"),
                  front_matter([("title", ctitle), ("weight", ci + 1)]))

    # First decide every article's place, date and title, so that links can
    # point to articles that exist.
    col_names = [c for c, _, _ in COLUMNS]
    col_weights = [w for _, _, w in COLUMNS]
    start = datetime.date(2014, 1, 1)
    span = (datetime.date(2025, 12, 31) - start).days
    meta = []
    for i in range(pages):
        di = i % len(DEPARTMENTS)
        c = r.choices(col_names, col_weights)[0]
        date = start + datetime.timedelta(days=r.randint(0, span))
        d, dtitle = DEPARTMENTS[di]
        slug = f"{date:%Y%m%d}-{i:06d}"
        meta.append((d, c, slug, date, title(r, dtitle, date.year)))

    pool = [sentence(r) for _ in range(POOL_SIZE)]
    for i, (d, c, slug, date, t) in enumerate(meta):
        ld, lc, lslug, _, lt = meta[r.randrange(pages)]
        body = article_body(r, pool, f"/{ld}/{lc}/{lslug}/", lt)
        write(os.path.join(content, d, c, slug + ".md"),
              front_matter([("title", t), ("date", date)]) + "\n" + body)


def copy_theme(theme, out):
    dst = os.path.join(out, "themes", os.path.basename(os.path.normpath(theme)))
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(theme, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--theme", help="a jiyue theme folder to copy to OUTDIR/themes/")
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    a = ap.parse_args()
    if a.pages < 1:
        ap.error("PAGES must be at least 1")

    stamp_path = os.path.join(a.outdir, ".mkcorpus")
    stamp = f"{VERSION} pages={a.pages} seed={a.seed}\n"
    try:
        with open(stamp_path, encoding="utf-8") as f:
            current = f.read() == stamp
    except OSError:
        current = False

    if current and not a.force:
        print(f"mkcorpus: {a.outdir} is up to date ({stamp.strip()})", file=sys.stderr)
    else:
        # Only ever replace a folder this script made (or an empty one).
        if os.path.exists(a.outdir) and os.listdir(a.outdir) \
                and not os.path.exists(stamp_path):
            sys.exit(f"mkcorpus: {a.outdir} exists and was not made by mkcorpus.py; "
                     "remove it or choose another folder")
        # Write beside it, swap, then delete the old one: a half-written
        # corpus never carries a stamp, and creating files right after
        # deleting as many is slow on ext4.
        new = f"{os.path.normpath(a.outdir)}.new-{os.getpid()}"
        old = f"{os.path.normpath(a.outdir)}.old-{os.getpid()}"
        os.makedirs(new)
        try:
            generate(a.pages, new, a.seed)
            with open(os.path.join(new, ".mkcorpus"), "w", encoding="utf-8") as f:
                f.write(stamp)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        if os.path.exists(a.outdir):
            os.rename(a.outdir, old)
        os.rename(new, a.outdir)
        shutil.rmtree(old, ignore_errors=True)
        print(f"mkcorpus: wrote {a.pages} pages to {a.outdir}", file=sys.stderr)
    if a.theme:
        copy_theme(a.theme, a.outdir)


if __name__ == "__main__":
    main()
