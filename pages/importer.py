"""Importer des résultats: staff load the real results file (staff mode only)."""

import streamlit as st

from ess import settings

if settings.is_public():
    # app.py does not even register this page in public mode; run directly, it stops here,
    # before any import code is loaded.
    st.error("L'import des résultats est réservé aux agents de la MEL : il n'existe pas dans la "
             "version publique du tableau de bord.")
    st.stop()

from ess import signin, tables, ui  # noqa: E402  (staff mode only, below)
from ess.importer import Refused, apply, archive, read, template, unexpected  # noqa: E402
from ess.importer import feuille_de_route as roadmap  # noqa: E402
from ess.importer.columns import COLUMNS  # noqa: E402

if alone := signin.gate():
    # app.py registers this page only for a signed-in agent; run directly, it asks the same.
    alone()
    st.stop()


@st.cache_data(max_entries=1, show_spinner=False)
def _templates() -> tuple[bytes, bytes]:
    return template.template_xlsx(), template.template_csv()


@st.cache_data(max_entries=4, show_spinner="Lecture et contrôle du fichier…")
def _preview(data: bytes, name: str, sheet: str | None, version: int) -> apply.Preview:
    # Cached per file, sheet and store version: reruns (a click) do not rebuild the candidate.
    return apply.preview(data, name, sheet)


def _confirm(data: bytes, name: str, sheet: str | None, user: str, version: int) -> None:
    # A callback: it runs before the rerun, which then shows the outcome and a fresh uploader.
    try:
        imported = apply.import_file(data, name, sheet, user=user, expected_version=version)
    except Refused as refused:
        st.session_state["import_refus"] = refused.message
        return
    except Exception as error:  # noqa: BLE001 (a French message, never a traceback)
        st.session_state["import_refus"] = unexpected(name, error).message
        return
    st.session_state["import_termine"] = {
        "message": f"Import de {name} terminé : {imported.changes.summary()}. Toutes les pages "
                   "montrent maintenant ces données ; l'import peut être annulé plus bas.",
        "before": imported.before, "after": imported.after,
    }
    st.session_state["import_n"] = st.session_state.get("import_n", 0) + 1


def _rollback(user: str) -> None:
    try:
        undone = apply.rollback(user=user)
    except Refused as refused:
        st.session_state["import_refus"] = refused.message
        return
    except Exception as error:  # noqa: BLE001 (a French message, never a traceback)
        st.session_state["import_refus"] = unexpected("Annulation du dernier import",
                                                      error).message
        return
    st.session_state["import_termine"] = {
        "message": f"Annulé : {undone.described}. Les données d'avant sont remises en place.",
        "before": undone.before, "after": undone.after,
    }
    st.session_state["import_annuler_ok"] = False


@st.cache_data(max_entries=1, show_spinner=False)
def _roadmap_templates(version: int) -> tuple[bytes, bytes]:
    return roadmap.template_xlsx(), roadmap.template_csv()


@st.cache_data(max_entries=4, show_spinner="Lecture et contrôle du fichier…")
def _roadmap_preview(data: bytes, name: str, version: int) -> roadmap.Apercu:
    return roadmap.preview(data, name)


def _confirm_roadmap(data: bytes, name: str, user: str, version: int) -> None:
    try:
        done = roadmap.import_file(data, name, user=user, expected_version=version)
    except Refused as refused:
        st.session_state["import_refus"] = refused.message
        return
    st.session_state["import_termine"] = {
        "message": f"Import de {name} terminé : {done.summary()}. La page « Plan et budgets » "
                   "montre maintenant ces statuts ; l'import peut être annulé plus bas.",
        "before": None, "after": None,
    }
    st.session_state["import_n"] = st.session_state.get("import_n", 0) + 1


# File names, cell values quoted in messages: text from the file, shown as text.
def _problems(problems) -> None:
    st.table(tables.cellules_texte(apply.problems_table(problems)), hide_index=True)


ui.header(
    "Importer des résultats",
    "Remplacez les projets reconstitués par les résultats réels de l'appel à projets "
    "« Entreprendre autrement » : déposez le fichier, vérifiez l'aperçu, confirmez. L'import "
    "se fait en entier ou pas du tout, et se défait.",
)

# Who the journal names: the signed-in agent, never a name typed here or an environment variable.
identity = signin.journal_identity()
apply.recover()  # an import or rollback a crash interrupted: finished or forgotten
refusal = st.session_state.pop("import_refus", None)
if refusal:
    st.error(tables.texte(refusal), icon=":material/block:")
done = st.session_state.pop("import_termine", None)
if done:
    st.success(tables.texte(done["message"]), icon=":material/check_circle:")
    if done["before"] is not None:
        st.table(apply.headline_table(done["before"], done["after"]), hide_index=True)

st.subheader("1. Partir du modèle")
xlsx, csv_bytes = _templates()
left, right, _ = st.columns([1, 1, 2])
left.download_button("Modèle Excel (.xlsx)", xlsx, template.XLSX_NAME, template.XLSX_MIME,
                     icon=":material/download:")
right.download_button("Modèle CSV (.csv)", csv_bytes, template.CSV_NAME, "text/csv", icon=":material/download:")
st.caption("Une ligne par projet. Le modèle Excel explique chaque colonne (feuille « Colonnes ») "
           "et liste les communes et les valeurs acceptées (feuille « Listes »).")
if st.toggle("Voir les colonnes attendues", key="import_colonnes"):
    st.table([{"Colonne": c.name, "Obligatoire": "oui" if c.required else "non",
               "Contenu": c.description, "Exemple": c.example} for c in COLUMNS],
             hide_index=True)

st.subheader("2. Déposer le fichier")
upload = st.file_uploader(
    "Fichier des résultats (.xlsx ou .csv)",
    type=["xlsx", "xls", "csv", "txt"],
    # The same limit as the importer's, so that the uploader's line and the help agree.
    max_upload_size=read.MAX_FILE_BYTES // read.MEGABYTE,
    key=f"import_fichier_{st.session_state.get('import_n', 0)}",
    help=f"{read.MAX_FILE_BYTES // read.MEGABYTE} Mo au plus ; CSV séparé par « ; », « , », "
         "« | » ou une tabulation, en UTF-8, UTF-16 ou Windows-1252.",
)

if upload is not None:
    data = upload.getvalue()
    sheets = read.sheet_names(data)
    sheet = st.selectbox("Feuille du classeur", sheets, key="import_feuille") \
        if len(sheets) > 1 else None
    version = apply.store_version()
    try:
        result = _preview(data, upload.name, sheet, version)
    except Refused as refused:
        st.error(tables.texte(refused.message), icon=":material/block:")
        st.stop()
    except Exception as error:  # noqa: BLE001 (a French message, never a traceback)
        st.error(tables.texte(unexpected(upload.name, error).message), icon=":material/block:")
        st.stop()

    st.caption(f"{tables.texte(upload.name)} : {result.form}, {len(result.outcome.rows)} "
               "projet(s) lu(s) sans erreur.")
    if result.errors:
        st.error(f"**{len(result.errors)} erreur(s) bloquante(s) : rien n'a été importé.** "
                 "Corrigez le fichier (ligne et colonne ci-dessous), puis déposez-le de nouveau.",
                 icon=":material/block:")
        _problems(result.errors)
    if result.warnings:
        st.warning(f"**{len(result.warnings)} avertissement(s)** : à vérifier ; ils "
                   "n'empêchent pas l'import.", icon=":material/warning:")
        _problems(result.warnings)

    if not result.errors:
        st.subheader("3. Vérifier les changements")
        st.markdown(f"**{tables.texte(result.changes.summary())}.** Les projets absents du "
                    "fichier sont retirés : le fichier remplace tous les projets.")
        st.table(result.headline(), hide_index=True)
        st.dataframe(result.changes.table(), hide_index=True, width="stretch")

        st.subheader("4. Confirmer")
        # Text, never Markdown: the identity comes from the identity provider.
        st.text(f"Le journal des imports enregistrera : {identity}")
        st.button(f"Importer les {len(result.outcome.rows)} projets", type="primary", icon=":material/upload:",
                  on_click=_confirm, args=(data, upload.name, sheet, identity, version))

st.subheader("Feuille de route ESS : statuts et indicateurs")
st.caption("Un second import, pour suivre la feuille de route comme un baromètre : une ligne par "
           "action, son statut (à lancer, en cours, réalisé) et, s'il existe, son indicateur "
           "(valeur de référence, valeur actuelle, cible). Le modèle contient la feuille de route "
           "en place : modifiez-le puis déposez-le. Les actions absentes du fichier ne changent "
           "pas ; l'import se fait en entier ou pas du tout, et se défait comme les autres.")
version_fdr = apply.store_version()
left, right, _ = st.columns([1, 1, 2])
left.download_button("Feuille de route (.xlsx)", _roadmap_templates(version_fdr)[0],
                     roadmap.XLSX_NAME, template.XLSX_MIME, icon="📥", key="fdr_modele_xlsx")
right.download_button("Feuille de route (.csv)", _roadmap_templates(version_fdr)[1], roadmap.CSV_NAME,
                      "text/csv", icon="📥", key="fdr_modele_csv")
upload_fdr = st.file_uploader(
    "Fichier de la feuille de route (.xlsx ou .csv)", type=["xlsx", "csv", "txt"],
    max_upload_size=2 * read.MAX_FILE_BYTES // read.MEGABYTE,
    key=f"fdr_fichier_{st.session_state.get('import_n', 0)}",
)
if upload_fdr is not None:
    data_fdr = upload_fdr.getvalue()
    try:
        apercu = _roadmap_preview(data_fdr, upload_fdr.name, version_fdr)
    except Refused as refused:
        st.error(refused.message, icon="🚫")
        apercu = None
    if apercu is not None:
        if apercu.errors:
            st.error(f"**{len(apercu.errors)} erreur(s) bloquante(s) : rien n'a été importé.** "
                     "Corrigez le fichier (ligne et colonne ci-dessous), puis déposez-le de "
                     "nouveau.", icon="🚫")
            _problems(apercu.errors)
        if apercu.warnings:
            st.warning(f"**{len(apercu.warnings)} avertissement(s)** : à vérifier ; ils "
                       "n'empêchent pas l'import.", icon="⚠️")
            _problems(apercu.warnings)
        if not apercu.errors:
            st.markdown(f"**{apercu.summary()}.**")
            st.dataframe(apercu.table(), hide_index=True, width="stretch")
            st.button("Importer la feuille de route", type="primary", icon="⬆️",
                      disabled=not apercu.changes, on_click=_confirm_roadmap,
                      args=(data_fdr, upload_fdr.name, identity, version_fdr))

st.subheader("Journal des imports")
journal = apply.history()
if journal.empty:
    st.caption("Aucun import pour l'instant : les données en place sont celles livrées.")
else:
    st.dataframe(journal, hide_index=True, width="stretch")
    st.caption(f"Les {archive.ARCHIVES_KEPT} dernières versions des données sont conservées. "
               "En ligne de commande : « python -m ess rollback ».")
    sure = st.checkbox("Je veux remettre les données telles qu'avant le dernier import",
                       key="import_annuler_ok")
    st.button("Annuler le dernier import", disabled=not sure, icon=":material/undo:", on_click=_rollback,
              args=(identity,))
