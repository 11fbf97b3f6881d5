"""A news page: page tree rules, the body blocks (accessible images, documents, videos), its query count."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.blocks import AccessibleImageBlock
from home.models import HomePage, NewsIndexPage, NewsPage
from tests.home.factories import make_image, make_news

pytestmark = pytest.mark.django_db


def test_news_pages_can_only_be_created_in_a_news_index_which_lives_under_a_home_page():
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsPage.allowed_subpage_models() == []
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert not NewsPage.can_create_at(Page.get_first_root_node())


def test_a_home_page_holds_only_one_news_index(news_index):
    assert not NewsIndexPage.can_create_at(news_index.get_parent())


def test_news_page_shows_title_date_lead_neighbourhoods_and_body(client, news_index, marolles):
    image = make_image("Garden")
    document = get_document_model().objects.create(
        title="Garden rules", file=ContentFile(b"%PDF-1.4", name="rules.pdf")
    )
    body = [
        ("heading", {"text": "How to take part", "level": "h2"}),
        ("paragraph", RichText("<p>Sign up at the office.</p>")),
        ("image", {"image": image, "alt": "Tomato plants in wooden beds", "caption": "The garden in May"}),
        ("document", {"document": document, "link_text": ""}),
    ]
    page = make_news(
        news_index, "Community garden", neighbourhoods=[marolles], lead="Twelve beds to share.", body=body
    )
    html = client.get(page.url).content.decode()
    assert "<h1>Community garden</h1>" in html
    assert "Twelve beds to share." in html
    assert '<span class="tag">Les Marolles</span>' in html
    assert "<h2>How to take part</h2>" in html
    assert 'alt="Tomato plants in wooden beds"' in html
    assert "<figcaption>The garden in May</figcaption>" in html
    assert ">Garden rules</a>" in html and "PDF" in html


def test_company_wide_news_says_it_concerns_all_neighbourhoods(client, news_index):
    page = make_news(news_index, "New tenant office")
    assert '<span class="tag">Tous les quartiers</span>' in client.get(page.url).content.decode()


def test_an_image_in_the_body_must_have_a_text_alternative():
    image = make_image("Party")
    block = AccessibleImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt": "", "caption": ""}))
    assert "alt" in error.value.block_errors


def test_a_listing_image_without_a_text_alternative_is_refused(news_index):
    page = make_news(news_index, "With picture")
    page.image = make_image("Lift")
    page.image_alt = ""
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "image_alt" in error.value.message_dict


def test_an_embedded_video_has_a_title_for_screen_readers_and_a_plain_link(client, news_index):
    url = "https://www.youtube.com/watch?v=abc123"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        max_width=None,
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/abc123"></iframe>',
        width=640,
        height=360,
    )
    body = [("video", {"video": url, "title": "The tenants' party in pictures"})]
    page = make_news(news_index, "Party video", body=body)
    html = client.get(page.url).content.decode()
    assert '<iframe title="The tenants&#x27; party in pictures"' in html
    assert f'href="{url}"' in html


def test_news_page_query_count_does_not_grow_with_the_number_of_news(client, news_index, marolles):
    page = make_news(news_index, "Measured", neighbourhoods=[marolles], image=make_image("Measured"))
    for _ in range(4):
        make_news(news_index, neighbourhoods=[marolles])
    client.get(page.url)
    with CaptureQueriesContext(connection) as few:
        client.get(page.url)
    for _ in range(45):
        make_news(news_index, neighbourhoods=[marolles])
    with CaptureQueriesContext(connection) as many:
        client.get(page.url)
    assert len(many) == len(few)
