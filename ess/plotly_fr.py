"""Plotly's toolbar and dates in French, passed in each chart's `config` (the dashboard and the
static site): Streamlit's bundled plotly.js has no French locale registered, and nothing is
loaded from the internet."""

LOCALE = "fr"
DICTIONARY = {
    "Autoscale": "Échelle automatique",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    "Compare data on hover": "Comparer les données au survol",
    "Show closest data on hover": "Donnée la plus proche au survol",
    "Toggle show closest data on hover": "Donnée la plus proche au survol",
    "Toggle Spike Lines": "Lignes de repère",
    "Double-click to zoom back out": "Double-cliquez pour revenir à l'échelle initiale",
    "Download plot as a png": "Télécharger le graphique (PNG)",  # plotly.js 2
    "Download plot as a PNG": "Télécharger le graphique (PNG)",  # plotly.js 3
    "Download plot": "Télécharger le graphique",
    "Download plot as JSON": "Télécharger le graphique (JSON)",
    "Pan": "Déplacer",
    "Produced with Plotly.js": "Réalisé avec Plotly.js",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Reset": "Réinitialiser",
    "Snapshot succeeded": "Image enregistrée",
    "Image download succeeded": "Image enregistrée",
    "Preparing image - this may take a few seconds": "Préparation de l'image…",
    "Sorry, there was a problem downloading your image!": "L'image n'a pas pu être téléchargée.",
    "Reset views": "Réinitialiser les vues",
    "Sorry, there was a problem downloading your snapshot!":
        "L'image n'a pas pu être téléchargée.",
    "Taking snapshot - this may take a few seconds": "Préparation de l'image…",
    "Zoom": "Zoom",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Orthographic": "Orthographique",
    "Trace": "Série",
}
FORMAT = {
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                    "oct.", "nov.", "déc."],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": "\u00a0",
}


def config(**options) -> dict:
    """A chart's Plotly `config`: French toolbar, no Plotly logo, plus `options`."""
    return {"locale": LOCALE, "locales": {LOCALE: {"dictionary": DICTIONARY, "format": FORMAT}},
            "displaylogo": False, **options}
