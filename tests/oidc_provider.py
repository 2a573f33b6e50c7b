"""A real OpenID Connect provider on a loopback port, for the sign-in tests.

`oidc-provider-mock` (PyPI) implements discovery, the authorization code flow with PKCE, signed
ID tokens, userinfo and end session; its login form offers the accounts given here with one
click (it has no passwords). Debian's package named `dex` is a `.desktop` file launcher, not the
Dex identity provider, hence this one.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from contextlib import contextmanager

from oidc_provider_mock import User, app
from werkzeug.serving import make_server


@contextmanager
def provider(users: list[User]):
    """The provider's base URL (its issuer) while the block runs."""
    server = make_server("127.0.0.1", 0, app(user_claims=users, require_client_registration=True),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def register_client(issuer: str, redirect_uri: str) -> tuple[str, str]:
    """A client of the provider that may only come back to `redirect_uri`: (id, secret)."""
    request = urllib.request.Request(
        f"{issuer}/oauth2/clients", method="POST",
        data=json.dumps({"redirect_uris": [redirect_uri],
                         "token_endpoint_auth_method": "client_secret_basic"}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        client = json.load(response)
    return client["client_id"], client["client_secret"]
