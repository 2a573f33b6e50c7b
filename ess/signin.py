"""Staff sign-in with the métropole's OpenID Connect provider, through Streamlit's `st.login`.

The `[auth]` section of `.streamlit/secrets.toml` turns it on (`.streamlit/secrets.toml.example`,
deploy/README.md). Once it is there, every staff page sits behind the sign-in. Without it, staff
mode serves its own machine only (a loopback address): whoever reaches it already has an account
on the server. The public mode never signs anyone in.
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Callable, Mapping

import streamlit as st

# What `st.login()` needs in `[auth]` (streamlit/auth_util.py, `validate_auth_credentials`).
SETTINGS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
SECRETS_FILE = ".streamlit/secrets.toml"
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def auth_section() -> Mapping:
    """The `[auth]` section of the secrets files Streamlit reads; empty when there is none."""
    from streamlit.auth_util import get_secrets_auth_section

    return get_secrets_auth_section()


def missing(section: Mapping) -> list[str]:
    return [name for name in SETTINGS if not section.get(name)]


def is_loopback(address: str) -> bool:
    """True for an address only this machine can reach; `""` (all interfaces) is not one."""
    address = address.strip().strip("[]").lower()
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # a host name, a Unix socket, "": reachable by others
        return False


def refusal(address: str, section: Mapping, proxied: bool = False) -> str | None:
    """Why staff mode must not serve on `address` (or through a proxy) with this `[auth]`
    section; None if it may."""
    if not missing(section):
        return None
    incomplete = (f"La section [auth] de {SECRETS_FILE} est incomplète : "
                  f"{', '.join(missing(section))} manquant(s). ") if section else ""
    if is_loopback(address) and not proxied:
        return incomplete or None
    what = ("ne s'ouvre pas à travers un proxy" if proxied else
            f"ne démarre pas sur l'adresse « {address or 'toutes les interfaces'} »")
    # An unreadable secrets file reads as no file at all (streamlit/runtime/secrets.py).
    advice = (f"configurez la section [auth] de {SECRETS_FILE}, ou corrigez ce fichier s'il "
              f"existe (modèle : {SECRETS_FILE}.example, voir deploy/README.md)")
    if not proxied:
        advice += ", ou écoutez sur 127.0.0.1 seulement (make run)"
    return (f"{incomplete}Le mode agents, avec sa page d'import, {what} sans connexion des "
            f"agents : {advice}.")


def reached_through_proxy() -> bool:
    """A reverse proxy (deploy/nginx.conf) adds these headers: behind one, a loopback server
    is reached from elsewhere."""
    return any(st.context.headers.get(name) for name in PROXY_HEADERS)


def signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def gate() -> Callable[[], None] | None:
    """The page staff mode shows alone, instead of its pages: a refusal when the address needs
    a sign-in that is not configured, the sign-in when nobody is signed in; None otherwise."""
    section = auth_section()
    problem = refusal(st.get_option("server.address"), section, reached_through_proxy())
    if problem:
        return lambda: _refused(problem)
    if section and not signed_in():
        return _sign_in
    return None


def _refused(problem: str) -> None:
    st.title("Observatoire ESS de la MEL")
    st.error(problem, icon=":material/block:")


def _sign_in() -> None:
    st.title("Observatoire ESS de la MEL — espace des agents")
    st.markdown("Le tableau de bord des agents, et l'import des résultats de l'appel à projets, "
                "sont réservés aux agents de la Métropole Européenne de Lille. Connectez-vous "
                "avec votre compte de la métropole.")
    if st.button("Se connecter avec le compte MEL", type="primary", icon=":material/login:"):
        st.login()


def account() -> None:
    """Who is signed in, and the sign-out, in the sidebar."""
    if not signed_in():
        return
    st.sidebar.text(f"Connecté : {who()}")  # text, never Markdown: the claim comes from outside
    if st.sidebar.button("Se déconnecter", icon=":material/logout:"):
        st.logout()


def who() -> str:
    return str(st.user.get("email") or st.user.get("name") or st.user.get("sub") or "")


def journal_identity() -> str:
    """Who the import journal names: the signed-in account (email and OIDC subject), or, on a
    loopback staff mode without sign-in, the server's system account, said as such."""
    if signed_in():
        email, subject = st.user.get("email"), st.user.get("sub")
        if email and subject:
            return f"{email} (compte MEL {subject})"
        return f"{email or subject} (compte MEL)"
    return f"{system_account()} (compte système, sans connexion)"


def system_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"
