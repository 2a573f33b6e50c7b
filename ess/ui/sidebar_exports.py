"""The sidebar's « Exporter » section: the PowerPoint deck of the view, the image format of
the charts' toolbar, the open data."""

from __future__ import annotations

import streamlit as st

from ess.exports import deck, file_stem, scdl
from ess.filters import Filtres, summary
from ess.tables import texte
from ess.ui.data import cursor, known_values, query, store_version
from ess.ui.sidebar_filters import filtres

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}
# The deck's form (two dozen widgets) is sent only while its popover is open: a closed
# popover would otherwise send it again at every run of every page.
DECK_POPOVER = "exporter_pptx"
ASSISES_POPOVER = "exporter_pptx_assises"
SCDL_VERDICT = "verdict_scdl"


def _build_deck(current: Filtres, slides: list[str], titre: str, day) -> None:
    """Build the deck with a progress bar; keep it for the download button of this view."""
    with st.status("Construction de la présentation…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int, titre: str) -> None:
            bar.progress(done / total if total else 1.0, text=f"{titre} ({done}/{total})")

        try:
            with cursor() as cur:
                data = deck.build(cur, current, slides, titre=titre, date_evenement=day,
                                  progress=progress)
        except Exception as error:  # shown to the user in French, never as a traceback
            status.update(label="La présentation n'a pas pu être construite", state="error")
            st.error(f"Erreur : {texte(error)}. Réessayez ; si le problème persiste, "
                     "signalez-le.")
            return
        status.update(label="Présentation prête", state="complete", expanded=False)
    st.session_state["presentation"] = (_asked(current, slides, titre, day), data)


def _asked(current: Filtres, slides: list[str], titre: str, day) -> tuple:
    """What a built deck depends on: a change to any of it asks for a new build."""
    return current, tuple(slides), titre, day, store_version()


def _deck_panel(prefix: str = "diapo", checked_ids: tuple[str, ...] | None = None) -> None:
    """The deck's form: event and date for the title slide, the slides in two groups (the
    call's, the Assises'), all checked unless `checked_ids` says which. `prefix` keeps the keys
    of two panels on one page apart."""
    current = filtres()
    st.caption(f"Vue exportée : {texte(summary(current, known_values()))}")
    with st.form(f"export_pptx{'' if prefix == 'diapo' else '_' + prefix}", border=False):
        titre = st.text_input(
            "Événement et édition", key=f"{prefix}_evenement", placeholder=deck.EVENEMENT,
            help="En page de titre, par exemple « 3es Assises métropolitaines de l'ESS ».")
        day = st.date_input("Date de l'événement", value=None, key=f"{prefix}_date_evenement",
                            format="DD/MM/YYYY", help="En page de titre ; vide : aucune date.")
        checked = {}
        for heading, assises in (("Diapositives", False),
                                 ("Diapositives des Assises : plans, budgets, métropole", True)):
            st.markdown(f"**{heading}**")
            checked |= {
                s.id: st.checkbox(s.titre, key=f"{prefix}_{s.id}",
                                  value=checked_ids is None or s.id in checked_ids)
                for s in deck.SLIDES if (s.id in deck.ASSISES_IDS) == assises
            }
        build = st.form_submit_button("Construire la présentation", type="primary",
                                      width="stretch")
    chosen = [s.id for s in deck.SLIDES if checked[s.id]]
    if build:
        if chosen:
            _build_deck(current, chosen, titre, day)
        else:
            st.warning("Cochez au moins une diapositive.")
    built = st.session_state.get("presentation")
    if built and built[0] == _asked(current, chosen, titre, day):
        st.download_button(
            "Télécharger la présentation", built[1], key=f"{prefix}_telecharger",
            file_name=f"{file_stem('assises-ess-mel')}.pptx", mime=PPTX_MIME, type="primary",
            icon=":material/download:", width="stretch", on_click="ignore",
        )
    elif built:
        st.caption("La vue, les diapositives ou les données ont changé : reconstruisez la "
                   "présentation.")


def assises_export() -> None:
    """On « Plan et budgets »: the same deck form, its Assises slides checked (with the title
    and sources slides), for the figures this page shows."""
    with st.popover("Exporter ces diapositives en PowerPoint", icon=":material/slideshow:",
                    key=ASSISES_POPOVER, on_change="rerun") as popover:
        if popover.open:
            _deck_panel("assises", ("titre", *deck.ASSISES_IDS, "sources"))


@st.cache_data(max_entries=2, show_spinner=False)
def _verdict(version: int) -> scdl.Verdict:
    with cursor() as cur:
        return scdl.check(cur)


def _scdl_verdict() -> None:
    """Whether the open data file can be published, and why not, in French.

    The verdict builds and validates the whole file (35 s and 2.5 to 2.8 GB at 620 000 projects): it
    is read only while its panel is open. A reconstructed amount already says the file cannot
    be published, from a count the header has asked for anyway."""
    reconstructed = int(query("projets_kpi").loc[0, "nb_reconstitues"])
    verdict = None if reconstructed else _verdict(store_version())
    label = ("Fichier SCDL conforme" if verdict is not None and verdict.publishable
             else "Pourquoi le fichier SCDL ne peut pas encore être publié")
    with st.expander(label, icon=":material/rule:", key=SCDL_VERDICT,
                     on_change="rerun") as panel:
        if panel.open:
            verdict = verdict or _verdict(store_version())
            # Each line escaped on its own (the reasons quote imported values, shown as text),
            # the reasons kept as a list.
            st.markdown("\n\n".join(
                f"- {texte(line[2:])}" if line.startswith("- ") else texte(line)
                for line in verdict.text().split("\n") if line))


def _open_data() -> bytes:
    with cursor() as cur:
        return scdl.archive(cur)

def export_panel() -> None:
    """The sidebar's « Exporter » section, rendered by app.py for every page. Read-only, so it
    stays in the public deployment; the deck is built only when asked, never on a rerun."""
    with st.sidebar:
        st.markdown("### Exporter")
        with st.popover("Exporter en PowerPoint", icon=":material/slideshow:", width="stretch",
                        key=DECK_POPOVER, on_change="rerun") as popover:
            if popover.open:
                _deck_panel()
        st.segmented_control(
            "Images des graphiques", list(IMAGE_FORMATS), format_func=IMAGE_FORMATS.get,
            default="png", required=True, key="format_images",
            help="Format de l'image que télécharge l'appareil photo de la barre d'outils de "
                 "chaque graphique : PNG haute résolution ou SVG vectoriel.",
        )
        st.download_button(
            "Données ouvertes (SCDL)", _open_data,
            file_name=f"{file_stem('subventions-ess-mel')}.zip", mime="application/zip",
            icon=":material/dataset:", width="stretch", on_click="ignore",
            help="Les subventions de tous les projets au format national SCDL « subventions », "
                 "avec leur README (licence, sources, colonnes non renseignées), le schéma et "
                 "le résultat de sa validation.",
        )
        _scdl_verdict()
