"""Activity profiles of the demo world: what each kind of actor does and how it is registered.

A :class:`Profile` ties a main actor kind (taxonomy ``actor_kinds`` code) to plausible NAF codes,
INSEE legal forms, name templates (see :mod:`mapping.demo.names`), taxonomy codes, CARTECO
categories and the probability that each source lists it. Taxonomy codes are the fixed literals of
``docs/ARCHITECTURE.md``. This module holds the circular-economy companies, déchèteries and ICPE;
:mod:`~mapping.demo.profiles_ess` (associations, with :mod:`~mapping.demo.profiles_inclusion` and
:mod:`~mapping.demo.profiles_coop`) and :mod:`~mapping.demo.profiles_food` hold the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Weighted = tuple[tuple[str, float], ...]

# CARTECO category labels (DATASOURCES §4, plus a few plausible ones).
SECONDE_VIE = "Seconde vie des produits (collecte, réparation, réemploi...)"
RESSOURCERIE = "Recyclerie / Ressourcerie"
REPARATION = "Réparation"
REEMPLOI = "Réemploi"
DECHETS = "Gestion des ressources et déchets"
AGRI = "Agriculture et alimentation durables"
SENSIBILISATION = "Sensibilisation à la prévention"
ECOCONCEPTION = "Ecoconception"
BATIMENT = "Bâtiment durable"
RD = "Recherche & développement"
INVENDUS = "Récupération d'invendus"
MOBILITE = "Mobilité durable"
ENERGIE = "Énergies renouvelables"
CIRCUITS_COURTS = "Circuits courts"
COMPOSTAGE = "Compostage"


@dataclass(frozen=True)
class Profile:
    """One activity profile (a row of the world's generator table)."""

    key: str
    kind: str
    weight: float
    names: tuple[str, ...]
    naf: Weighted
    legal: Weighted
    description: str
    families: tuple[str, ...] = ()
    families_opt: tuple[str, ...] = ()
    waste: tuple[str, ...] = ()
    waste_opt: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    products_opt: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    labels_opt: Weighted = ()
    #: Labels granted only in some départements: (label, départements, probability).
    dep_labels: tuple[tuple[str, tuple[str, ...], float], ...] = ()
    also_kinds: Weighted = ()
    cats: tuple[str, ...] = ()
    statut: str | None = None
    ess: float = 0.0
    no_siret: float = 0.02
    carteco: float = 0.0
    lvao: float = 0.0
    place: str = "urban"
    pop_exp: float = 1.0
    web: float = 0.7
    mobile: float = 0.1
    extra: dict[str, float] = field(default_factory=dict)


_COMPANY = (("5710", 0.55), ("5499", 0.35), ("5599", 0.05), ("1000", 0.05))
_COLLECTIVITE = (("7346", 0.45), ("7354", 0.3), ("7348", 0.15), ("7353", 0.1))

OTHER_PROFILES: tuple[Profile, ...] = (
    # ---------------------------------------------------------------- entreprises circulaires
    Profile(
        "recyclage",
        "entreprise",
        1.6,
        (
            "{surname} Recyclage",
            "{surname} Environnement",
            "Récupération {surname}",
            "{coined} Recyclage",
            "Centre de Tri {de_terr}",
        ),
        (("38.11Z", 0.35), ("38.32Z", 0.35), ("46.77Z", 0.2), ("38.12Z", 0.1)),
        _COMPANY,
        "Collecte, tri et valorisation des déchets d'entreprises à {city} : cartons, ferrailles, DEEE.",
        families=("dechets",),
        waste=("dib_melange",),
        waste_opt=("papiers_cartons", "metaux", "plastiques", "bois", "deee"),
        cats=(DECHETS,),
        statut="Autre",
        carteco=0.04,
        lvao=0.2,
        place="zone",
        pop_exp=0.6,
        web=0.75,
        extra={"georisques": 0.45, "agire": 0.6},
    ),
    Profile(
        "reparation",
        "entreprise",
        2.4,
        (
            "{surname} Électroménager",
            "Atelier {surname}",
            "Répar'{place}",
            "Cordonnerie {surname}",
            "{surname} Multiservices",
            "SOS Répar {place}",
        ),
        (("95.22Z", 0.35), ("95.21Z", 0.2), ("95.23Z", 0.15), ("95.29Z", 0.15), ("95.11Z", 0.15)),
        (("1000", 0.45), ("5499", 0.4), ("5710", 0.15)),
        "Réparation d'appareils électroménagers, électroniques et petits objets du quotidien à {city}.",
        families=("reemploi_reparation",),
        waste_opt=("deee",),
        labels_opt=(("qualirepar", 0.35), ("reparacteur", 0.45)),
        cats=(SECONDE_VIE, REPARATION),
        statut="Autre",
        carteco=0.03,
        lvao=0.7,
        pop_exp=1.0,
        web=0.45,
        mobile=0.3,
    ),
    Profile(
        "depollution",
        "entreprise",
        0.5,
        ("{surname} Dépollution", "{coined} Assainissement", "{surname} Environnement Services"),
        (("39.00Z", 0.6), ("38.12Z", 0.4)),
        _COMPANY,
        "Dépollution de sites, désamiantage et collecte de déchets dangereux autour de {city}.",
        families=("dechets", "btp_gros_oeuvre"),
        waste=("dechets_dangereux",),
        waste_opt=("amiante", "huiles_minerales"),
        cats=(DECHETS,),
        statut="Autre",
        place="zone",
        pop_exp=0.6,
        extra={"georisques": 0.5, "agire": 0.6},
    ),
    Profile(
        "informatique",
        "entreprise",
        0.8,
        ("{coined} Informatique", "Reconditionné {de_terr}", "{surname} Micro Services"),
        (("95.11Z", 0.7), ("47.41Z", 0.3)),
        _COMPANY,
        "Reconditionnement et réparation de matériel informatique professionnel à {city}.",
        families=("informatique_reconditionnement", "reemploi_reparation"),
        waste=("deee",),
        labels_opt=(("qualirepar", 0.2),),
        cats=(SECONDE_VIE, REEMPLOI),
        statut="Autre",
        carteco=0.05,
        lvao=0.4,
    ),
    # ---------------------------------------------------------------- déchèteries, ICPE
    Profile(
        "decheterie",
        "decheterie",
        3.0,
        (
            "Déchèterie {de_place}",
            "Déchetterie {de_place}",
            "Déchèterie intercommunale {de_place}",
            "Déchèterie de {place} ZI",
        ),
        (("38.11Z", 1.0),),
        _COLLECTIVITE,
        "Déchèterie publique de {city} : accueil des particuliers et des professionnels sous conditions.",
        families=("dechets",),
        waste=("dechets_verts", "encombrants", "bois", "metaux", "papiers_cartons", "deee"),
        waste_opt=(
            "inertes",
            "piles_batteries",
            "huiles_minerales",
            "huiles_alimentaires",
            "textiles",
            "platre",
            "dechets_dangereux",
            "mobilier",
            "pneus",
            "cartouches",
        ),
        statut=None,
        place="zone",
        pop_exp=0.6,
        web=0.5,
        no_siret=0.5,
        lvao=0.9,
        extra={"sinoe": 0.95, "georisques": 0.4, "agire": 0.8},
    ),
    Profile(
        "icpe",
        "icpe",
        4.0,
        (
            "{surname} Recyclage",
            "{coined} Environnement",
            "Plateforme de Compostage {de_place}",
            "Centre de Tri {de_place}",
            "Casse Auto {surname}",
            "Métaux {de_terr}",
            "{surname} Matériaux Recyclés",
            "Unité de Méthanisation {de_place}",
        ),
        (("38.21Z", 0.3), ("38.32Z", 0.25), ("38.31Z", 0.15), ("38.11Z", 0.15), ("46.77Z", 0.1), ("23.61Z", 0.05)),
        _COMPANY,
        "Installation classée de traitement et de valorisation des déchets à {city}.",
        families=("dechets",),
        waste_opt=(
            "metaux",
            "vhu",
            "biodechets",
            "dechets_verts",
            "inertes",
            "bois",
            "papiers_cartons",
            "plastiques",
            "dib_melange",
            "pneus",
            "deee",
            "dechets_dangereux",
            "verre",
            "photovoltaique",
            "dasri",
            "emballages",
        ),
        also_kinds=(("entreprise", 1.0),),
        statut="Autre",
        carteco=0.01,
        place="zone",
        pop_exp=0.5,
        web=0.6,
        extra={"georisques": 0.95, "agire": 0.7},
    ),
)
