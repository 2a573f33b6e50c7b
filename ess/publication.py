"""What every page says about its publication, in the dashboard and the static site alike."""

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# The RGAA asks a service without a complete audit to be declared « non conforme »
# (docs/accessibilite.md).
ACCESSIBILITY = "Accessibilité : non conforme (aucun audit RGAA)"
