// The few words of Streamlit's own interface a reader meets, in French (Streamlit has no
// translation), and the « Copier le lien » button. Static text: nginx's Content-Security-Policy
// allows it by its hash (deploy/nginx.conf, tests/test_browser_public_ux.py).
(() => {
  if (window.essInterfaceFr) return;
  window.essInterfaceFr = true;
  document.documentElement.lang = "fr";  // Streamlit's page says « en »
  const WORDS = {
    "Skip to main content": "Aller au contenu",
    "Fullscreen": "Plein écran",
    "Enter fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Search": "Rechercher",
    "Sort ascending": "Tri croissant",
    "Sort descending": "Tri décroissant",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Autosize": "Largeur automatique",
    "Automatic": "Automatique",
    "Localized": "Selon la langue",
    "Plain": "Brut",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
    "Engineering": "Ingénieur",
    "Accounting": "Comptable",
    "Copy column name": "Copier le nom de la colonne",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Dataframe column menu": "Menu de la colonne",
    "No results": "Aucun résultat",
    "Select all": "Tout sélectionner",
    "Selected values": "Valeurs choisies",
    "Multiselect options": "Valeurs possibles",
    "Selectbox options": "Valeurs possibles",
    "Open": "Ouvrir",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear selection": "Effacer la sélection",
    "Collapse sidebar": "Replier le panneau",
    "Expand sidebar": "Ouvrir le panneau",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "View less": "Voir moins",
    "Press Enter to apply": "Entrée pour valider",
    "Copy to clipboard": "Copier",
    "Copied": "Copié",
    "Drag and drop file here": "Glissez-déposez le fichier ici",
    "Drag and drop a file here": "Glissez-déposez le fichier ici",
    "Browse files": "Parcourir",
    "Upload": "Déposer",
    "Page not found": "Page introuvable",
  };
  // data-title: the tooltip of the buttons Streamlit adds to Plotly's toolbar.
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title"];
  const PER_FILE = /^(\d+)MB per file/;
  const french = (text) => {
    const key = text.trim();
    if (WORDS[key]) return text.replace(key, WORDS[key]);
    if (PER_FILE.test(key)) return text.replace(PER_FILE, "$1 Mo au plus par fichier");
    return null;
  };
  const translate = (root) => {
    // Plotly's drawings hold only the app's own French texts, and are redrawn at every
    // filter change: hundreds of nodes not worth reading again.
    if (root instanceof SVGElement) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = french(node.nodeValue);
      if (text !== null) node.nodeValue = text;
    }
    const elements = root.querySelectorAll ? [root, ...root.querySelectorAll("*")] : [];
    for (const element of elements) {
      for (const name of ATTRIBUTES) {
        const value = element.getAttribute && element.getAttribute(name);
        const text = value && french(value);
        if (text) element.setAttribute(name, text);
      }
    }
  };
  translate(document.body);
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "characterData") {
        const text = french(mutation.target.nodeValue);
        if (text !== null) mutation.target.nodeValue = text;
      } else if (mutation.type === "attributes") {
        translate(mutation.target);
      } else {
        mutation.addedNodes.forEach((node) => translate(node.nodeType === 1 ? node : node.parentNode || node));
      }
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  // « Copier le lien »: the address of the view, filters and controls included.
  const copy = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // Without HTTPS the clipboard API is missing: the older way still works.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const done = document.execCommand("copy");
      area.remove();
      return done;
    }
  };
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-copier-lien]");
    if (!button) return;
    const done = await copy(window.location.href);
    const status = button.parentNode.querySelector("[data-copier-lien-etat]");
    if (status) status.textContent = done ? "Lien copié." : "Copiez l'adresse de la barre du navigateur.";
  });
})();
