-- The store's tables. This file is the single source of truth for types, required columns,
-- keys and references: the build validates every source CSV against it before loading.
CREATE TABLE territoire (
    code        VARCHAR PRIMARY KEY,
    nom         VARCHAR NOT NULL,
    nom_complet VARCHAR NOT NULL,
    code_sig    INTEGER NOT NULL,
    ordre       INTEGER NOT NULL
);

CREATE TABLE commune (
    insee       VARCHAR PRIMARY KEY,
    nom         VARCHAR NOT NULL,
    territoire  VARCHAR NOT NULL REFERENCES territoire (code),
    population  INTEGER NOT NULL,
    source      VARCHAR
);

CREATE TABLE plan (
    code        VARCHAR PRIMARY KEY,
    nom         VARCHAR NOT NULL,
    nom_court   VARCHAR NOT NULL,
    type        VARCHAR NOT NULL,
    porteur     VARCHAR NOT NULL,
    debut       INTEGER NOT NULL,
    fin         INTEGER,
    budget_eur  DOUBLE,
    source_doc  VARCHAR NOT NULL,
    source_lieu VARCHAR NOT NULL
);

CREATE TABLE axe (
    plan         VARCHAR NOT NULL REFERENCES plan (code),
    numero       INTEGER NOT NULL,
    nom          VARCHAR NOT NULL,
    nb_priorites INTEGER,
    source_doc   VARCHAR NOT NULL,
    source_lieu  VARCHAR NOT NULL,
    PRIMARY KEY (plan, numero)
);

-- The call's rule periods: a fact of each edition, never a constant of the code. A project
-- belongs to the period (and so to the plan in force) of its year; `annee_fin` NULL: still running.
CREATE TABLE periode (
    code                VARCHAR PRIMARY KEY,
    nom                 VARCHAR NOT NULL,
    annee_debut         INTEGER NOT NULL,
    annee_fin           INTEGER,
    plafond_eur         DOUBLE,
    part_budget_max_pct DOUBLE,
    types_aide          VARCHAR,
    plan                VARCHAR REFERENCES plan (code),
    source_doc          VARCHAR NOT NULL,
    source_lieu         VARCHAR NOT NULL
);

CREATE TABLE activite (
    code      VARCHAR PRIMARY KEY,
    libelle   VARCHAR NOT NULL,
    nb_publie INTEGER,
    axe       INTEGER,  -- NULL: an activity first met in an imported file, no PMDESS axis
    ordre     INTEGER NOT NULL
);

CREATE TABLE forme_juridique (
    code    VARCHAR PRIMARY KEY,
    libelle VARCHAR NOT NULL,
    ordre   INTEGER NOT NULL
);

CREATE TABLE projet (
    id                   VARCHAR PRIMARY KEY,
    libelle              VARCHAR NOT NULL,
    annee                INTEGER NOT NULL,
    commune              VARCHAR NOT NULL REFERENCES commune (insee),
    territoire           VARCHAR NOT NULL REFERENCES territoire (code),
    forme_juridique      VARCHAR NOT NULL REFERENCES forme_juridique (code),
    statut               VARCHAR,
    activite             VARCHAR NOT NULL REFERENCES activite (code),
    axe                  INTEGER,
    subvention_eur       DOUBLE NOT NULL,
    emplois_prevus_etp   DOUBLE NOT NULL,
    emplois_realises_etp DOUBLE,
    provenance           VARCHAR NOT NULL,
    source               VARCHAR,
    beneficiaire         VARCHAR,
    siret                VARCHAR,
    rna                  VARCHAR,
    date_decision        DATE,
    reference_decision   VARCHAR,
    type_aide            VARCHAR
);

CREATE TABLE action (
    id          VARCHAR PRIMARY KEY,
    plan        VARCHAR REFERENCES plan (code),
    axe_plan    VARCHAR,
    axe         INTEGER,
    type        VARCHAR NOT NULL,
    nom         VARCHAR NOT NULL,
    operateur   VARCHAR,
    annee_debut INTEGER,
    annee_fin   INTEGER,
    budget_eur  DOUBLE,
    resultats   VARCHAR,
    source_doc  VARCHAR NOT NULL,
    source_lieu VARCHAR NOT NULL
);

CREATE TABLE financement (
    action      VARCHAR NOT NULL REFERENCES action (id),
    financeur   VARCHAR NOT NULL,
    montant_eur DOUBLE NOT NULL,
    annee       INTEGER,
    nature      VARCHAR NOT NULL,
    source_doc  VARCHAR NOT NULL,
    source_lieu VARCHAR NOT NULL
);

CREATE TABLE realisation_2013 (
    action                            VARCHAR PRIMARY KEY REFERENCES action (id),
    realisation_ville_lille_eur       DOUBLE,
    realisation_operateur_externe_eur DOUBLE,
    source_doc                        VARCHAR NOT NULL,
    source_lieu                       VARCHAR NOT NULL
);

CREATE TABLE indicateur (
    id          VARCHAR PRIMARY KEY,
    libelle     VARCHAR NOT NULL,
    valeur      DOUBLE NOT NULL,
    unite       VARCHAR NOT NULL,
    periode     VARCHAR,
    perimetre   VARCHAR,
    source_doc  VARCHAR NOT NULL,
    source_lieu VARCHAR NOT NULL,
    requete     VARCHAR,
    cle         VARCHAR,
    colonne     VARCHAR,
    note        VARCHAR
);

-- Every dashboard question starts from the projects that pass the sidebar filters;
-- an empty list means "no filter on this dimension".
CREATE MACRO projets_filtres(annees, axes, territoires, formes, activites, communes,
                             subvention_min, subvention_max) AS TABLE
    SELECT *
    FROM projet
    WHERE (len(annees) = 0 OR list_contains(annees, annee))
      AND (len(axes) = 0 OR list_contains(axes, axe))
      AND (len(territoires) = 0 OR list_contains(territoires, territoire))
      AND (len(formes) = 0 OR list_contains(formes, forme_juridique))
      AND (len(activites) = 0 OR list_contains(activites, activite))
      AND (len(communes) = 0 OR list_contains(communes, commune))
      AND (subvention_min IS NULL OR subvention_eur >= subvention_min)
      AND (subvention_max IS NULL OR subvention_eur <= subvention_max);

-- The filtered projects with the labels a reader sees, for lists, searches and downloads. A real
-- name never sits next to reconstructed fields: a reconstructed project is « Projet reconstitué
-- n° 2016-07 », and what the sources say of a named one is in `laureats_publics`.
CREATE MACRO projets_libelles(annees, axes, territoires, formes, activites, communes,
                              subvention_min, subvention_max) AS TABLE
    SELECT
        p.id,
        CASE WHEN p.provenance = 'reconstitué'
             THEN 'Projet reconstitué n° ' || regexp_replace(p.id, '^[A-Z]+-', '')
             ELSE p.libelle END AS libelle,
        p.annee,
        c.nom            AS commune,
        t.nom            AS territoire,
        f.libelle        AS forme_juridique,
        p.statut,
        a.libelle        AS activite,
        p.axe,
        p.subvention_eur,
        p.emplois_prevus_etp,
        p.emplois_realises_etp,
        p.provenance,
        CASE WHEN p.provenance = 'reconstitué' THEN NULL ELSE p.source END AS source
    FROM projets_filtres(annees, axes, territoires, formes, activites, communes,
                         subvention_min, subvention_max) p
    JOIN commune c ON c.insee = p.commune
    JOIN territoire t ON t.code = p.territoire
    JOIN forme_juridique f ON f.code = p.forme_juridique
    JOIN activite a ON a.code = p.activite;

-- The filtered projects whose label, identifier, commune, territory or activity contains the
-- searched text (case and accents ignored); every filtered project when the text is empty.
CREATE MACRO projets_trouves(annees, axes, territoires, formes, activites, communes,
                             subvention_min, subvention_max, recherche) AS TABLE
    SELECT *
    FROM projets_libelles(annees, axes, territoires, formes, activites, communes,
                          subvention_min, subvention_max)
    WHERE trim(recherche) = ''
       OR contains(
            strip_accents(lower(concat_ws(' ', id, libelle, commune, territoire, activite))),
            strip_accents(lower(trim(recherche))));
