"""StreamField blocks for editorial content. Other apps may reuse `BodyBlock` (style guide: domain apps may use
home's blocks). Every block renders with a template in templates/blocks/ and works without JavaScript.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading. Level 2 or 3 only: the page title is the only level 1."""

    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"


class AccessibleImageBlock(blocks.StructBlock):
    """An image whose text alternative is mandatory: editors must describe what the picture shows."""

    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        help_text=_(
            "Describe what the picture shows for people who cannot see it, e.g. "
            "'Tenants planting tomatoes in the courtyard garden'."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document (a letter, a plan, a flyer), shown as a link with its type and size."""

    document = DocumentChooserBlock(label=_("document"))
    link_text = blocks.CharBlock(
        label=_("link text"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_block.html"


class VideoBlock(blocks.StructBlock):
    """An embedded video (YouTube, Vimeo...) with a title, and a plain link for people without the player."""

    video = EmbedBlock(label=_("video address"), help_text=_("The address of the video, e.g. on YouTube."))
    title = blocks.CharBlock(
        label=_("title of the video"),
        max_length=200,
        help_text=_("Read aloud by screen readers and used for the link to the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"


class BodyBlock(blocks.StreamBlock):
    """The body of a news page: headings, paragraphs, images, documents and videos."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="blocks/paragraph_block.html",
    )
    image = AccessibleImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
