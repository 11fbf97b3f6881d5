"""Demo site tree: one home page per language (FR, NL, EN), linked as translations, served by the default Site;
a news index per language and neighbourhood news in French and Dutch (a few in English), with pictures drawn by
Pillow. Idempotent: pages are keyed by slug within their language, images by title.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from portal.models import Neighbourhood

from .models import HomePage, NewsIndexPage, NewsPage

TITLES = {
    "fr": (
        "Portail des locataires",
        "Bienvenue sur le portail des locataires : nouvelles du quartier, réunions, projets et élections.",
    ),
    "nl": (
        "Huurdersportaal",
        "Welkom op het huurdersportaal: nieuws uit de wijk, vergaderingen, projecten en verkiezingen.",
    ),
    "en": (
        "Tenant portal",
        "Welcome to the tenant portal: neighbourhood news, meetings, projects and elections.",
    ),
}


@transaction.atomic
def ensure_home_pages() -> dict[str, HomePage]:
    """The home page of each language, created once; the French one is the default site's root."""
    fr_locale, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node()  # created by Wagtail's migrations
    for code in ("nl", "en"):
        Locale.objects.get_or_create(language_code=code)
    # The locale Wagtail created at install time follows LANGUAGE_CODE; make sure the tree root is French.
    Page.objects.filter(depth=1).update(locale=fr_locale)
    homes: dict[str, HomePage] = {}
    fr_home = HomePage.objects.filter(locale=fr_locale).first()
    if fr_home is None:
        title, intro = TITLES["fr"]
        fr_home = root.add_child(instance=HomePage(title=title, slug="fr", intro=intro, locale=fr_locale))
        # Wagtail's install-time welcome page is replaced by the French home page.
        Page.objects.filter(depth=2).exclude(pk=fr_home.pk).filter(content_type__model="page").delete()
    homes["fr"] = fr_home
    for code in ("nl", "en"):
        locale = Locale.objects.get(language_code=code)
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            title, intro = TITLES[code]
            home = fr_home.copy_for_translation(locale, copy_parents=False, alias=False)
            home.title, home.intro, home.slug = title, intro, code
            home.save_revision().publish()
        homes[code] = home
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=fr_home,
            is_default_site=True,
            site_name="Portail des locataires",
        )
    elif site.root_page_id != fr_home.pk:
        site.root_page = fr_home
        site.save()
    return homes


NEWS_INDEXES = {
    "fr": ("Actualités", "actualites", "Les nouvelles de votre quartier et de la société de logement."),
    "nl": ("Nieuws", "nieuws", "Het nieuws uit uw wijk en van de huisvestingsmaatschappij."),
    "en": ("News", "news", "News from your neighbourhood and from the housing company."),
}


@transaction.atomic
def ensure_news_indexes(homes: dict[str, HomePage]) -> dict[str, NewsIndexPage]:
    """One news index per language tree, the Dutch and English ones translations of the French one."""
    indexes: dict[str, NewsIndexPage] = {}
    fr_index = NewsIndexPage.objects.child_of(homes["fr"]).first()
    if fr_index is None:
        title, slug, intro = NEWS_INDEXES["fr"]
        fr_index = homes["fr"].add_child(instance=NewsIndexPage(title=title, slug=slug, intro=intro))
        fr_index.save_revision().publish()
    indexes["fr"] = fr_index
    for code in ("nl", "en"):
        index = NewsIndexPage.objects.child_of(homes[code]).first()
        if index is None:
            title, slug, intro = NEWS_INDEXES[code]
            index = fr_index.copy_for_translation(Locale.objects.get(language_code=code))
            index.title, index.slug, index.intro = title, slug, intro
            index.save_revision().publish()
        indexes[code] = index
    return indexes


def _picture(kind: str) -> bytes:
    """A simple, recognisable drawing (garden, lift, party, works) as PNG bytes."""
    width, height = 960, 540
    if kind == "garden":
        image = PILImage.new("RGB", (width, height), "#bfe3f2")
        draw = ImageDraw.Draw(image)
        draw.ellipse((760, 40, 880, 160), fill="#f7c948")
        draw.rectangle((0, 330, width, height), fill="#7a5230")
        for row, x in enumerate(range(60, 900, 140)):
            draw.rectangle((x, 360, x + 110, 500), fill="#5b3a1f")
            for dx in (20, 55, 90):
                draw.line((x + dx, 360, x + dx, 300 - (row % 2) * 20), fill="#2f7d32", width=6)
                draw.ellipse(
                    (x + dx - 18, 270 - (row % 2) * 20, x + dx + 18, 306 - (row % 2) * 20), fill="#43a047"
                )
    elif kind == "lift":
        image = PILImage.new("RGB", (width, height), "#dfe7ee")
        draw = ImageDraw.Draw(image)
        draw.rectangle((300, 40, 660, 540), fill="#9aa5b1")
        for floor in range(6):
            for column in range(3):
                x, y = 330 + column * 110, 60 + floor * 75
                draw.rectangle((x, y, x + 70, y + 50), fill="#e8f1f8")
        draw.rectangle((420, 380, 540, 540), fill="#4a5560")
        draw.line((480, 380, 480, 540), fill="#222", width=4)
        draw.polygon([(440, 360), (470, 330), (500, 360)], fill="#f7c948")
        draw.polygon([(560, 330), (590, 360), (620, 330)], fill="#f7c948")
    elif kind == "party":
        image = PILImage.new("RGB", (width, height), "#263b5e")
        draw = ImageDraw.Draw(image)
        colours = ["#f94144", "#f8961e", "#f9c74f", "#90be6d", "#43aa8b", "#577590"]
        for index, x in enumerate(range(0, width, 60)):
            draw.polygon([(x, 60), (x + 60, 60), (x + 30, 120)], fill=colours[index % len(colours)])
        draw.line((0, 60, width, 60), fill="#ffffff", width=3)
        draw.rectangle((180, 380, 780, 420), fill="#b08968")
        for index, x in enumerate(range(220, 760, 90)):
            draw.ellipse((x, 300, x + 60, 360), fill=colours[(index + 2) % len(colours)])
    else:
        image = PILImage.new("RGB", (width, height), "#fff4d6")
        draw = ImageDraw.Draw(image)
        for x in range(0, width, 80):
            draw.polygon([(x, 440), (x + 40, 440), (x + 80, 400), (x + 40, 400)], fill="#f59f00")
        draw.rectangle((0, 440, width, 480), fill="#212529")
        draw.polygon([(420, 380), (480, 180), (540, 380)], fill="#f76707")
        draw.rectangle((440, 300, 520, 320), fill="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


IMAGES = {
    # kind: (title, alt text in French: the description Wagtail shows by default)
    "garden": (
        "Potager des Marolles",
        "Des bacs de légumes et des plants de tomates sous le soleil, dans une cour.",
    ),
    "lift": (
        "Ascenseur Peterbos",
        "Un immeuble de six étages avec la porte d'un ascenseur au rez-de-chaussée.",
    ),
    "party": ("Fête des voisins", "Des guirlandes de fanions colorés au-dessus d'une grande table de fête."),
    "works": ("Travaux", "Une barrière de chantier orange et blanche et un cône devant un immeuble."),
}


def ensure_images() -> dict:
    Image = get_image_model()
    images = {}
    for kind, (title, description) in IMAGES.items():
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(title=title, description=description)
            image.file = ImageFile(io.BytesIO(_picture(kind)), name=f"demo-{kind}.png")
            image.save()
        images[kind] = image
    return images


def _body(heading: str, paragraphs: list[str], image=None, alt: str = "", caption: str = "") -> list:
    blocks: list = [("heading", {"text": heading, "level": "h2"})]
    blocks.append(("paragraph", RichText(f"<p>{paragraphs[0]}</p>")))
    if image is not None:
        blocks.append(("image", {"image": image, "alt": alt, "caption": caption}))
    blocks.extend(("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs[1:])
    return blocks


# Each item: neighbourhood slugs (empty: company-wide), days ago, picture, then per language: slug, title, lead,
# heading, paragraphs, alt text and caption of the picture.
NEWS = [
    {
        "hoods": ["peterbos"],
        "days": 2,
        "image": "lift",
        "fr": (
            "reparation-ascenseurs-peterbos",
            "Peterbos : les ascenseurs du bloc 9 réparés d'ici fin du mois",
            "Les deux ascenseurs du bloc 9 sont souvent en panne. Le technicien remplace les moteurs et les portes.",
            "Ce qui va se passer",
            [
                "Du lundi au vendredi, un des deux ascenseurs sera arrêté pendant les travaux. L'autre reste en service.",
                "Vous avez besoin d'aide pour porter vos courses ou vous avez du mal à monter les escaliers ? Appelez "
                "l'accueil au 02 123 45 67 : un voisin volontaire ou un ouvrier peut vous aider.",
            ],
            "L'entrée du bloc 9 et ses ascenseurs.",
            "Le bloc 9 du Peterbos.",
        ),
        "nl": (
            "herstelling-liften-peterbos",
            "Peterbos: liften van blok 9 hersteld tegen het einde van de maand",
            "De twee liften van blok 9 vallen vaak uit. De technieker vervangt de motoren en de deuren.",
            "Wat gaat er gebeuren",
            [
                "Van maandag tot vrijdag staat een van de twee liften stil tijdens de werken. De andere blijft werken.",
                "Hebt u hulp nodig om uw boodschappen te dragen of kunt u moeilijk de trap op? Bel het onthaal op "
                "02 123 45 67: een vrijwillige buur of een arbeider helpt u.",
            ],
            "De ingang van blok 9 met de liften.",
            "Blok 9 van Peterbos.",
        ),
        "en": (
            "lift-repairs-peterbos",
            "Peterbos: the lifts of block 9 repaired by the end of the month",
            "The two lifts of block 9 often break down. The technician is replacing the motors and the doors.",
            "What will happen",
            [
                "From Monday to Friday, one of the two lifts will be stopped during the works. The other one keeps running.",
                "Do you need help carrying your shopping, or is climbing the stairs hard for you? Call the front desk "
                "on 02 123 45 67: a volunteer neighbour or a worker can help.",
            ],
            "The entrance of block 9 and its lifts.",
            "Block 9 at Peterbos.",
        ),
    },
    {
        "hoods": ["marolles"],
        "days": 5,
        "image": "garden",
        "fr": (
            "potager-collectif-marolles",
            "Un potager collectif s'ouvre dans la cour de la rue Haute",
            "Douze bacs à légumes attendent les locataires des Marolles. Inscrivez-vous avant le 15 du mois.",
            "Comment participer",
            [
                "Le projet de cohésion sociale du quartier a construit les bacs avec des habitants. Chaque famille "
                "peut cultiver un bac pendant un an. Les outils et l'eau sont fournis.",
                "Une permanence a lieu le mercredi de 14 à 16 heures dans la cour. Pas besoin de savoir jardiner : "
                "on apprend ensemble.",
            ],
            "Des bacs de légumes et des plants de tomates dans la cour de la rue Haute.",
            "Le potager de la rue Haute au printemps.",
        ),
        "nl": (
            "gemeenschappelijke-moestuin-marollen",
            "Een gemeenschappelijke moestuin op de binnenplaats van de Hoogstraat",
            "Twaalf groentebakken wachten op de huurders van de Marollen. Schrijf u in voor de 15de van de maand.",
            "Hoe doet u mee",
            [
                "Het project voor sociale cohesie van de wijk bouwde de bakken samen met bewoners. Elk gezin kan "
                "een jaar lang een bak bewerken. Gereedschap en water zijn er.",
                "Op woensdag van 14 tot 16 uur is er iemand op de binnenplaats. U hoeft niet te kunnen tuinieren: "
                "we leren het samen.",
            ],
            "Groentebakken en tomatenplanten op de binnenplaats van de Hoogstraat.",
            "De moestuin van de Hoogstraat in de lente.",
        ),
        "en": (
            "community-garden-marolles",
            "A community garden opens in the courtyard of Rue Haute",
            "Twelve vegetable beds are waiting for the tenants of Les Marolles. Sign up before the 15th of the month.",
            "How to take part",
            [
                "The neighbourhood's social cohesion project built the beds with residents. Each family can grow a "
                "bed for one year. Tools and water are provided.",
                "Someone is in the courtyard on Wednesdays from 2 to 4 pm. No need to know about gardening: we learn "
                "together.",
            ],
            "Vegetable beds and tomato plants in the courtyard of Rue Haute.",
            "The Rue Haute garden in spring.",
        ),
    },
    {
        "hoods": ["helmet"],
        "days": 8,
        "image": "party",
        "fr": (
            "fete-des-voisins-helmet",
            "Fête des voisins à Helmet le samedi 14 juin",
            "Musique, grillades et jeux pour les enfants devant le 12 rue Waelhem. Apportez un plat à partager !",
            "Le programme",
            [
                "À partir de 15 heures : jeux pour les enfants et atelier de maquillage. À 18 heures : repas partagé.",
                "Le comité des locataires cherche des volontaires pour installer les tables. Rendez-vous à 13 heures.",
            ],
            "Des guirlandes de fanions colorés au-dessus d'une grande table de fête.",
            "",
        ),
        "nl": (
            "burenfeest-helmet",
            "Burenfeest in Helmet op zaterdag 14 juni",
            "Muziek, barbecue en spelletjes voor de kinderen voor nummer 12 in de Waelhemstraat. Breng iets mee om te delen!",
            "Het programma",
            [
                "Vanaf 15 uur: spelletjes voor de kinderen en schminken. Om 18 uur: samen eten.",
                "Het huurderscomité zoekt vrijwilligers om de tafels klaar te zetten. Afspraak om 13 uur.",
            ],
            "Slingers met gekleurde vlaggetjes boven een grote feesttafel.",
            "",
        ),
    },
    {
        "hoods": ["cite-modele"],
        "days": 11,
        "image": "works",
        "fr": (
            "travaux-chauffage-cite-modele",
            "Cité Modèle : travaux de chauffage du 3 au 7 novembre",
            "La chaudière collective est remplacée. Le chauffage et l'eau chaude seront coupés pendant deux jours.",
            "Quand l'eau chaude sera-t-elle coupée ?",
            [
                "Mardi 4 et mercredi 5 novembre, de 8 à 17 heures. Le soir, l'eau chaude revient.",
                "Des radiateurs électriques sont prêtés aux personnes âgées et aux familles avec un bébé. "
                "Demandez-les à l'accueil avant le 31 octobre.",
            ],
            "Une barrière de chantier orange et blanche devant un immeuble.",
            "",
        ),
        "nl": (
            "verwarmingswerken-modelwijk",
            "Modelwijk: werken aan de verwarming van 3 tot 7 november",
            "De collectieve ketel wordt vervangen. Verwarming en warm water vallen twee dagen uit.",
            "Wanneer is er geen warm water?",
            [
                "Dinsdag 4 en woensdag 5 november, van 8 tot 17 uur. 's Avonds is er weer warm water.",
                "Ouderen en gezinnen met een baby kunnen een elektrisch verwarmingstoestel lenen. Vraag het aan "
                "het onthaal voor 31 oktober.",
            ],
            "Een oranje-witte werfafsluiting voor een gebouw.",
            "",
        ),
    },
    {
        "hoods": [],
        "days": 14,
        "image": None,
        "fr": (
            "nouveau-bureau-accueil-locataires",
            "Un nouveau bureau d'accueil pour les locataires rue Blaes",
            "À partir du 1er décembre, l'accueil des locataires déménage au 112 rue Blaes, au rez-de-chaussée.",
            "Heures d'ouverture",
            [
                "Lundi, mardi et jeudi de 9 à 12 heures et de 13 à 16 heures. Le mercredi après-midi sur rendez-vous.",
                "Le bureau est accessible en chaise roulante. Les assistants sociaux collectifs y tiennent aussi "
                "une permanence le jeudi matin.",
            ],
            "",
            "",
        ),
        "nl": (
            "nieuw-onthaal-huurders",
            "Een nieuw onthaalkantoor voor de huurders in de Blaesstraat",
            "Vanaf 1 december verhuist het onthaal van de huurders naar de Blaesstraat 112, op het gelijkvloers.",
            "Openingsuren",
            [
                "Maandag, dinsdag en donderdag van 9 tot 12 uur en van 13 tot 16 uur. Woensdagnamiddag op afspraak.",
                "Het kantoor is toegankelijk met een rolstoel. De collectieve maatschappelijk assistenten houden er "
                "op donderdagochtend ook spreekuur.",
            ],
            "",
            "",
        ),
        "en": (
            "new-tenant-office",
            "A new tenant office in Rue Blaes",
            "From 1 December, the tenants' front desk moves to 112 Rue Blaes, on the ground floor.",
            "Opening hours",
            [
                "Monday, Tuesday and Thursday from 9 to 12 and from 1 to 4 pm. Wednesday afternoon by appointment.",
                "The office is wheelchair accessible. The collective social workers also hold a drop-in session "
                "there on Thursday mornings.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": ["quartier-nord"],
        "days": 18,
        "image": None,
        "fr": (
            "grand-nettoyage-quartier-nord",
            "Grand nettoyage de printemps au Quartier Nord",
            "Le samedi 22 mars, on nettoie ensemble les abords des immeubles de la rue du Progrès.",
            "Venez avec vos voisins",
            [
                "Rendez-vous à 10 heures devant le numéro 3. Gants, sacs et pinces sont fournis par Bruxelles-Propreté.",
                "Un conteneur pour les encombrants sera installé de 9 à 15 heures.",
            ],
            "",
            "",
        ),
        "nl": (
            "grote-lenteschoonmaak-noordwijk",
            "Grote lenteschoonmaak in de Noordwijk",
            "Op zaterdag 22 maart maken we samen de omgeving van de gebouwen in de Vooruitgangstraat schoon.",
            "Kom met uw buren",
            [
                "Afspraak om 10 uur voor nummer 3. Handschoenen, zakken en grijpers krijgt u van Net Brussel.",
                "Van 9 tot 15 uur staat er een container voor grofvuil.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": ["marolles", "quartier-nord"],
        "days": 22,
        "image": None,
        "fr": (
            "ecole-des-devoirs",
            "École des devoirs : encore des places pour la rentrée",
            "Les enfants de 6 à 12 ans sont accueillis après l'école, quatre jours par semaine, gratuitement.",
            "Inscriptions",
            [
                "L'école des devoirs est organisée par le projet de cohésion sociale, avec des étudiants bénévoles.",
                "Inscriptions le lundi et le jeudi de 15 à 18 heures, au local du comité des locataires.",
            ],
            "",
            "",
        ),
        "nl": (
            "huiswerkklas",
            "Huiswerkklas: nog plaatsen vrij voor het nieuwe schooljaar",
            "Kinderen van 6 tot 12 jaar zijn welkom na school, vier dagen per week, gratis.",
            "Inschrijven",
            [
                "De huiswerkklas wordt georganiseerd door het project voor sociale cohesie, met vrijwillige studenten.",
                "Inschrijven op maandag en donderdag van 15 tot 18 uur, in het lokaal van het huurderscomité.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": [],
        "days": 26,
        "image": None,
        "fr": (
            "decompte-des-charges",
            "Décompte des charges : ce qui change cette année",
            "Vous recevrez votre décompte des charges en avril. Il sera plus court et plus facile à lire.",
            "Vous avez une question ?",
            [
                "Le service des loyers et charges répond par téléphone le matin, du lundi au vendredi.",
                "Les assistants sociaux collectifs expliqueront le nouveau décompte lors des prochaines réunions "
                "de locataires dans chaque quartier.",
            ],
            "",
            "",
        ),
        "nl": (
            "afrekening-huurlasten",
            "Afrekening van de huurlasten: wat verandert er dit jaar",
            "U krijgt uw afrekening van de huurlasten in april. Ze is korter en makkelijker te lezen.",
            "Hebt u een vraag?",
            [
                "De dienst huur en lasten antwoordt 's ochtends aan de telefoon, van maandag tot vrijdag.",
                "De collectieve maatschappelijk assistenten leggen de nieuwe afrekening uit op de volgende "
                "huurdersvergaderingen in elke wijk.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": ["peterbos"],
        "days": 31,
        "image": None,
        "fr": (
            "atelier-velo-peterbos",
            "Un atelier vélo au Peterbos tous les samedis",
            "Réparez votre vélo avec l'aide d'un mécanicien bénévole, au local situé sous le bloc 4.",
            "Gratuit et ouvert à tous",
            [
                "Le samedi de 10 à 13 heures. Les pièces simples (chambres à air, freins) sont offertes.",
                "Des vélos d'enfants donnés par les voisins sont remis en état et prêtés aux familles.",
            ],
            "",
            "",
        ),
        "nl": (
            "fietsatelier-peterbos",
            "Een fietsatelier in Peterbos elke zaterdag",
            "Herstel uw fiets met de hulp van een vrijwillige fietsenmaker, in het lokaal onder blok 4.",
            "Gratis en voor iedereen",
            [
                "Op zaterdag van 10 tot 13 uur. Eenvoudige onderdelen (binnenbanden, remmen) zijn gratis.",
                "Kinderfietsen die buren schenken, worden hersteld en uitgeleend aan gezinnen.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": ["cite-modele"],
        "days": 37,
        "image": None,
        "fr": (
            "renovation-facades-seance-information",
            "Rénovation des façades : séance d'information le 9 octobre",
            "Les façades des blocs 1 à 3 seront isolées l'an prochain. Venez poser vos questions aux architectes.",
            "Ce qui est prévu",
            [
                "Nouvelles fenêtres, isolation des murs et des toits : les logements seront plus chauds et la "
                "facture d'énergie plus basse.",
                "La séance a lieu à 18 heures dans la salle polyvalente. Une traduction en néerlandais et en arabe "
                "est prévue.",
            ],
            "",
            "",
        ),
        "nl": (
            "renovatie-gevels-infosessie",
            "Renovatie van de gevels: infosessie op 9 oktober",
            "De gevels van blok 1 tot 3 worden volgend jaar geïsoleerd. Stel uw vragen aan de architecten.",
            "Wat is er gepland",
            [
                "Nieuwe ramen, isolatie van muren en daken: de woningen worden warmer en de energiefactuur lager.",
                "De sessie begint om 18 uur in de polyvalente zaal. Er is vertaling in het Frans en het Arabisch.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": [],
        "days": 45,
        "image": None,
        "fr": (
            "conseil-consultatif-des-locataires",
            "Le Conseil consultatif des locataires : à quoi sert-il ?",
            "Le CoCoLo donne son avis sur les travaux, les charges et la vie dans les immeubles. Il sera élu l'an prochain.",
            "Qui peut voter ?",
            [
                "Toutes les personnes de 16 ans et plus qui habitent un logement de la société peuvent voter.",
                "Vous voulez vous présenter ? Les assistants sociaux collectifs vous expliquent tout lors d'une "
                "séance d'information dans votre quartier.",
            ],
            "",
            "",
        ),
        "nl": (
            "adviesraad-van-de-huurders",
            "De Adviesraad van de huurders: waarvoor dient hij?",
            "De ARHUU geeft advies over werken, huurlasten en het leven in de gebouwen. Hij wordt volgend jaar verkozen.",
            "Wie mag stemmen?",
            [
                "Iedereen van 16 jaar of ouder die in een woning van de maatschappij woont, mag stemmen.",
                "Wilt u kandidaat zijn? De collectieve maatschappelijk assistenten leggen alles uit op een "
                "infosessie in uw wijk.",
            ],
            "",
            "",
        ),
    },
    {
        "hoods": ["helmet"],
        "days": 52,
        "image": None,
        "fr": (
            "nouveaux-parlophones-helmet",
            "De nouveaux parlophones rue Helmet",
            "Les parlophones des numéros 2 à 8 sont remplacés. Un technicien passera chez vous pour le combiné.",
            "Le jour du passage",
            [
                "Vous recevrez une lettre avec la date et l'heure. Si vous n'êtes pas là, appelez l'accueil pour "
                "fixer un autre moment.",
                "Le nouveau parlophone a un bouton plus grand et un volume réglable.",
            ],
            "",
            "",
        ),
        "nl": (
            "nieuwe-parlofoons-helmet",
            "Nieuwe parlofoons in de Helmetstraat",
            "De parlofoons van nummer 2 tot 8 worden vervangen. Een technieker komt bij u langs voor het toestel.",
            "De dag van het bezoek",
            [
                "U krijgt een brief met de datum en het uur. Bent u er niet, bel dan het onthaal voor een ander moment.",
                "De nieuwe parlofoon heeft een grotere knop en een regelbaar volume.",
            ],
            "",
            "",
        ),
    },
]

#: A news item scheduled to go live a week after the demo is loaded (shows Wagtail's scheduled publishing).
SCHEDULED = {
    "hoods": ["peterbos"],
    "slug": "fete-ete-peterbos",
    "title": "Fête d'été au Peterbos",
    "lead": "Le samedi 5 juillet, barbecue et concert dans le parc du Peterbos. Tout le monde est bienvenu.",
}


def _news_page(
    index: NewsIndexPage, texts: tuple, item: dict, images: dict, days: int
) -> tuple[NewsPage, bool]:
    slug, title, lead, heading, paragraphs, alt, caption = texts
    existing = NewsPage.objects.filter(locale_id=index.locale_id, slug=slug).first()
    if existing is not None:
        return existing, False
    image = images[item["image"]] if item["image"] else None
    fields = {
        "title": title,
        "slug": slug,
        "lead": lead,
        "date": timezone.localdate() - datetime.timedelta(days=days),
        "image": image,
        "image_alt": alt if image else "",
        "body": _body(heading, paragraphs, image, alt, caption),
    }
    fr_page = None
    if index.locale.language_code != "fr":
        fr_slug = item["fr"][0]
        fr_page = NewsPage.objects.filter(locale__language_code="fr", slug=fr_slug).first()
    if fr_page is not None:
        page = fr_page.copy_for_translation(index.locale)
        for name, value in fields.items():
            setattr(page, name, value)
    else:
        page = index.add_child(instance=NewsPage(**fields))
    page.neighbourhoods.set(list(Neighbourhood.objects.filter(slug__in=item["hoods"])))
    page.save()
    page.save_revision().publish()
    return page, True


@transaction.atomic
def ensure_news(indexes: dict[str, NewsIndexPage]) -> int:
    images = ensure_images()
    created = 0
    for item in NEWS:
        for code in ("fr", "nl", "en"):
            if code in item:
                _page, new = _news_page(indexes[code], item[code], item, images, item["days"])
                created += new
    if not NewsPage.objects.filter(locale_id=indexes["fr"].locale_id, slug=SCHEDULED["slug"]).exists():
        page = indexes["fr"].add_child(
            instance=NewsPage(
                title=SCHEDULED["title"],
                slug=SCHEDULED["slug"],
                lead=SCHEDULED["lead"],
                date=timezone.localdate() + datetime.timedelta(days=7),
                live=False,
            )
        )
        page.neighbourhoods.set(list(Neighbourhood.objects.filter(slug__in=SCHEDULED["hoods"])))
        page.go_live_at = timezone.now() + datetime.timedelta(days=7)
        page.save()
        page.save_revision().publish()
        created += 1
    return created


def load(stdout) -> None:
    homes = ensure_home_pages()
    indexes = ensure_news_indexes(homes)
    created = ensure_news(indexes)
    stdout.write(
        f"Home pages: {', '.join(sorted(homes))}; news indexes: {len(indexes)}; "
        f"news: {NewsPage.objects.count()} ({created} new)."
    )
