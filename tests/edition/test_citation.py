from edition.citation import paragraph_citation

URL = "https://scholia.example/works/october-1917/p/p7/"
# The pilcrow and its number, held together by a no-break space.
PARA = "¶\N{NO-BREAK SPACE}"


def cite(**overrides) -> str:
    arguments = {
        "author": "Samir Amin",
        "title": "October 1917 Revolution: A Century Later",
        "subtitle": "Chapter One",
        "publisher": "Daraja Press",
        "year": 2017,
        "paragraph_key": "p7",
        "paragraph_number": 5,
        "version_number": 1,
        "url": URL,
    }
    return paragraph_citation(**{**arguments, **overrides})


def test_it_cites_author_title_imprint_paragraph_version_and_url():
    assert cite() == (
        "Samir Amin, “October 1917 Revolution: A Century Later,” Chapter One "
        f"(Daraja Press, 2017), {PARA}5 [p7], version 1. "
        f"Scholia edition, {URL}."
    )


def test_it_puts_the_imprint_after_the_title_when_there_is_no_subtitle():
    assert cite(subtitle="").startswith(
        f"Samir Amin, “October 1917 Revolution: A Century Later” (Daraja Press, 2017), {PARA}5 [p7]"
    )


def test_it_leaves_out_what_the_work_lacks():
    assert cite(author="", subtitle="", publisher="", year=None) == (
        f"“October 1917 Revolution: A Century Later,” {PARA}5 [p7], version 1. "
        f"Scholia edition, {URL}."
    )


def test_it_keeps_a_lone_year_or_publisher():
    assert f"Chapter One (2017), {PARA}5" in cite(publisher="")
    assert f"Chapter One (Daraja Press), {PARA}5" in cite(year=None)


def test_it_cites_by_key_alone_when_the_paragraph_has_no_number():
    assert f"Chapter One (Daraja Press, 2017), {PARA}p7, version 1." in cite(paragraph_number=None)


def test_it_cites_a_heading_by_its_words_never_as_a_numbered_key():
    citation = cite(paragraph_number=None, heading="Soviet leaders facing the challenge")

    assert "Chapter One (Daraja Press, 2017), “Soviet leaders facing the challenge” [p7], " in (
        citation
    )
    assert PARA not in citation


def test_it_leaves_out_the_version_when_none_is_given():
    assert f"{PARA}5 [p7]. Scholia edition" in cite(version_number=None)


def test_it_drops_the_comma_after_a_title_ending_in_a_question_mark():
    citation = cite(title="Thermidor, the Restoration?", subtitle="")
    assert citation.startswith(
        f"Samir Amin, “Thermidor, the Restoration?” (Daraja Press, 2017), {PARA}5 [p7]"
    )
    assert cite(title="Which way?").startswith("Samir Amin, “Which way?” Chapter One")


def test_it_trims_stray_whitespace_from_the_work_fields():
    assert cite(author="  Samir Amin ", title=" Title ", subtitle=" Sub ").startswith(
        "Samir Amin, “Title,” Sub ("
    )
