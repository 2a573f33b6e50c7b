"""The Streamlit side shared by every page, one module per concern:

- `data`: the store connection and query results (the only place pages reach the store);
- `kept`: what the server keeps for every session (query results, figures);
- `sidebar_filters`: the shared filters in the sidebar, kept in the URL;
- `page`: the page frame and header, controls kept in the URL, KPI cards;
- `display`: charts and tables with their downloads;
- `sidebar_exports`: the sidebar's « Exporter » section;
- `frame`: around every page: Streamlit's interface in French, touch screens, unknown
  addresses, the footer (licence, citation, last update, accessibility, copy link).

Pages stay thin: they read `header()`'s filters, call `query()`, pass the result to a chart
builder of `ess.charts` and render it with `chart()`.
"""

from ess.kpis import Kpi
from ess.ui.data import checks, known_values, query, rows, store_version
from ess.ui.display import chart, dataframe, download_table, figure, table
from ess.ui.frame import footer, interface, requested_page, unknown_page
from ess.ui.page import header, kpis, pager, stop_if_empty, url_widget
from ess.ui.sidebar_exports import assises_export, export_panel
from ess.ui.sidebar_filters import filtres, sidebar

__all__ = [
    "Kpi", "assises_export", "chart", "checks", "dataframe", "download_table", "export_panel",
    "figure", "filtres", "footer", "header", "interface", "known_values", "kpis", "pager",
    "query", "requested_page", "rows", "sidebar", "stop_if_empty", "store_version", "table",
    "unknown_page", "url_widget",
]
