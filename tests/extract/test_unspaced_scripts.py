"""Chinese, Japanese and Thai write no spaces: their articles must not look empty."""

from __future__ import annotations

from handpicked import extract
from handpicked.extract.textsize import count_words, reading_length, word_tokens

from .pages import page

JAPANESE = [
    "市議会は二日、北部の住宅地まで路面電車を延伸する計画を賛成多数で可決した。計画は十年以上前から"
    "議論されてきたもので、沿線の住民からは通勤が大きく変わると期待する声が上がっている。",
    "工事は来年春に始まる見通しで、市は二〇二七年末までに最初の電車を走らせたいとしている。ただし、"
    "事業費については県の承認がまだ必要で、今後の協議が焦点となる。",
    "一方、反対する市民団体は、同じ費用でバス路線を増やした方が多くの地域に早く、安く届くと主張して"
    "おり、来月にも市に意見書を提出する方針だ。",
    "市長は記者会見で「一月から全ての区で説明会を開き、計画の図面を沿線の皆さんに最初に見てもらう」"
    "と述べ、理解を求めていく考えを示した。",
]
CHINESE = [
    "市议会周二以多数票通过了将有轨电车延伸至北部郊区的计划。这一计划已经讨论了十多年，沿线居民"
    "表示，新线路将彻底改变他们的通勤方式。",
    "工程预计明年春天开工，官员表示，首批列车有望在二〇二七年底前投入运营，但预算仍需获得地区"
    "政府的批准。",
    "反对者则认为，这笔资金用于增开公交线路会更好，因为公交能以更低的成本更快地覆盖更多社区。",
]


def _japanese_page() -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in JAPANESE)
    return page(
        f'<article><h1>路面電車の延伸を可決</h1><div class="article-body">{paragraphs}</div>'
        "</article>",
        title="路面電車の延伸を可決",
    )


def test_a_japanese_article_is_an_article_with_its_paragraphs() -> None:
    article = extract(_japanese_page(), "https://news.example.jp/local/20260302-tram-line/")
    assert article.is_article
    assert article.paragraphs == JAPANESE
    assert "Section number" not in article.text


def test_a_chinese_article_is_an_article_with_its_paragraphs() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in CHINESE)
    html = page(
        f"<article><h1>有轨电车延伸计划获批</h1>{paragraphs}</article>",
        title="有轨电车延伸计划获批",
    )
    article = extract(html, "https://news.example.cn/city/2026/03/02/tram-line.html")
    assert article.is_article
    assert article.paragraphs == CHINESE


def test_a_japanese_article_word_count_is_not_one_word_per_paragraph() -> None:
    article = extract(_japanese_page(), "https://news.example.jp/local/20260302-tram-line/")
    assert article.word_count > 100


def test_words_are_counted_in_every_script() -> None:
    assert count_words("The council voted on Tuesday.") == 5
    assert count_words("市議会は可決した") == 4  # eight characters, about four words
    assert count_words("Tokyo 東京都 2026") == 2 + 2  # two spaced words, three Han characters
    assert count_words("서울 시의회가 통과시켰다") == 3  # Korean is written with spaces
    assert count_words("สภาเมืองลงมติ") == 3  # thirteen Thai letters


def test_lengths_are_latin_equivalent() -> None:
    assert reading_length("council") == 7
    assert reading_length("市議会") == 9
    assert reading_length("naïve café") == 10


def test_word_tokens_split_unspaced_scripts_per_character() -> None:
    assert word_tokens("東京 Tram-Line") == ["東", "京", "tram", "line"]
