"""Japanese and Chinese news pages, written for these tests in the shapes such sites serve:
a short story beside a long rail of headlines, labels for members and sharing at its edges,
paragraphs of one short sentence each, and lists of linked place names."""

from __future__ import annotations

from handpicked import extract

from .pages import page

JAPANESE = [
    "気象台によると、二日午前九時ごろ、県北部で震度四の地震があった。震源の深さは約十キロで、"
    "津波の心配はないという。",
    "市内では一時、電車が止まったが、午前十時までに全線で運転を再開した。",
    "けが人や建物の被害の情報は入っていない。",
]
RAIL = "".join(
    f'<li><a href="/articles/{n}.html">県内の高校で合唱祭、三十校が出場 第{n}回の審査結果</a></li>'
    for n in range(30)
)
MEMBERS = "有料会員になると会員限定の有料記事もお読みいただけます。"


def _japanese_report(body: str) -> str:
    return page(
        '<div class="wrap"><article><h1>県北部で震度四</h1>'
        '<div class="date">2026年3月2日 9時30分</div>'
        '<div class="share"><a href="https://x.example/share">Xでシェアする</a>'
        '<a href="https://fb.example/share">Facebookでシェアする</a></div>'
        f'<div class="text">{body}</div>'
        f"<div><p>{MEMBERS}</p>"
        '<div><a href="/login">今すぐ登録ログインする</a></div></div>'
        "<p>【関連記事】</p></article>"
        f'<div class="ranking"><h2>アクセスランキング</h2><ul>{RAIL}</ul></div></div>',
        title="県北部で震度四",
    )


def test_a_short_japanese_report_beside_a_long_rail_of_headlines_is_an_article() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in JAPANESE)
    article = extract(_japanese_report(paragraphs), "https://news.example.jp/articles/A1B2.html")
    assert article.is_article
    assert article.paragraphs == JAPANESE


def test_labels_for_members_sharing_and_related_stories_are_cut_at_the_edges() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in JAPANESE)
    article = extract(_japanese_report(paragraphs), "https://news.example.jp/articles/A1B2.html")
    text = article.text
    for label in ("会員限定", "ログイン", "シェア", "関連記事", "2026年3月2日"):
        assert label not in text


PLACES = [
    ("福岡県", ["久留米市", "柳川市", "大川市"]),
    ("佐賀県", ["佐賀市", "神埼市", "白石町"]),
    ("熊本県", ["阿蘇市", "菊池市", "合志市", "山鹿市"]),
]


def test_a_report_that_ends_in_lists_of_linked_places_keeps_them() -> None:
    lines = [
        f"{prefecture}：" + "、".join(f'<a href="/place/{town}">{town}</a>' for town in towns)
        for prefecture, towns in PLACES
    ]
    body = (
        "".join(f"<p>{text}</p>" for text in JAPANESE)
        + "<p>各地の震度は次のとおり。</p><p>＜震度三＞</p>"
        + "".join(f"<p>{line}</p>" for line in lines)
    )
    article = extract(_japanese_report(body), "https://news.example.jp/articles/A1B2.html")
    assert article.is_article
    expected = [f"{prefecture}：" + "、".join(towns) for prefecture, towns in PLACES]
    assert article.paragraphs[-3:] == expected


CHINESE = [
    "市政府周二宣布，地铁五号线将于下月底通车。",
    "新线路全长二十公里，共设十五座车站。",
    "官员表示，通车后早高峰的通勤时间有望缩短一半。",
    "部分居民则担心施工期间的噪音问题。",
    "市政府称将在夜间限制施工时间。",
]


def test_a_chinese_story_of_short_paragraphs_is_kept_whole_without_its_editor_line() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in CHINESE)
    html = page(
        f'<article><h1>地铁五号线下月通车</h1><div class="content">{paragraphs}'
        "<p>责任编辑：王明</p></div></article>"
        f"<aside><h2>相关新闻</h2><ul>{RAIL}</ul></aside>",
        title="地铁五号线下月通车",
    )
    article = extract(html, "https://news.example.cn/city/2026/03/02/metro.html")
    assert article.is_article
    assert article.paragraphs == CHINESE
