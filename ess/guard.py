"""No traceback for a reader of the public deployment: a French message on the page, the
details in the server log. Staff mode keeps Streamlit's own error display (and AppTest sees
the exception)."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st
from streamlit.logger import get_logger

from ess import settings

MESSAGE = (
    "Une erreur est survenue : cette page ne peut pas s'afficher pour le moment. Rechargez la "
    "page ou revenez à la vue d'ensemble ; si l'erreur persiste, signalez-la à l'équipe de "
    "l'observatoire."
)
log = get_logger(__name__)


@contextmanager
def errors_in_french():
    if not settings.is_public():
        yield
        return
    try:
        yield
    except Exception:  # st.stop() and reruns are BaseException: they pass through
        log.exception("Erreur pendant l'affichage d'une page publique")
        st.error(MESSAGE, icon=":material/warning:")
