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
    type_aide            VARCHAR,
    -- SCDL « subventions »: « unique », « échelonné » or free text; a date or a period
    -- AAAA-MM-JJ/AAAA-MM-JJ; « oui » / « non » for a de minimis aid notified to the EU.
    conditions_versement VARCHAR,
    dates_versement      VARCHAR,
    notification_ue      VARCHAR
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

-- The actions of MEL's ESS roadmap, followed like a results barometer: a status and, where
-- staff have one, an indicator (baseline, current value, target). An empty name, axis or
-- status is not published in the sources read; staff update the table by their own import.
CREATE TABLE feuille_de_route (
    plan             VARCHAR NOT NULL REFERENCES plan (code),
    action           INTEGER NOT NULL,
    axe              INTEGER,
    nom              VARCHAR,
    statut           VARCHAR,
    indicateur       VARCHAR,
    unite            VARCHAR,
    valeur_reference DOUBLE,
    annee_reference  INTEGER,
    valeur_actuelle  DOUBLE,
    annee_actuelle   INTEGER,
    cible            DOUBLE,
    annee_cible      INTEGER,
    commentaire      VARCHAR,
    source_doc       VARCHAR,
    source_lieu      VARCHAR,
    PRIMARY KEY (plan, action)
);

-- The period of the call of each year, and so the plan in force: a project belongs to the plan
-- of its year. An axis is a plan's: filters name it « plan/numéro » (`pmdess-2015-2020/1`).
CREATE VIEW projet_periode AS
    SELECT p.*, e.code AS periode, e.plan AS plan, e.plan || '/' || p.axe AS axe_plan
    FROM projet p
    LEFT JOIN periode e ON p.annee BETWEEN e.annee_debut AND coalesce(e.annee_fin, p.annee);

-- The realised jobs of a group of projects, as every breakdown gives them: their sum (0 for no
-- project, NULL while none is known: never counted as 0), the projects whose realised jobs are
-- not known yet, and the forecast jobs and grants of the others, over which ratios are taken.
-- `SELECT unnest(emplois_connus(p.id, …))` gives the four columns.
CREATE MACRO emplois_connus(id, prevus, realises, subvention) AS struct_pack(
    emplois_realises := CASE WHEN count(id) = 0 THEN 0 ELSE sum(realises) END,
    nb_realises_inconnus := count(id) - count(realises),
    emplois_prevus_connus := coalesce(sum(prevus) FILTER (WHERE realises IS NOT NULL), 0),
    subvention_connue := coalesce(sum(subvention) FILTER (WHERE realises IS NOT NULL), 0)
);

-- Every dashboard question starts from the projects that pass the sidebar filters;
-- an empty list means "no filter on this dimension".
CREATE MACRO projets_filtres(annees, axes, territoires, formes, activites, communes,
                             subvention_min, subvention_max) AS TABLE
    SELECT *
    FROM projet_periode
    WHERE (len(annees) = 0 OR list_contains(annees, annee))
      AND (len(axes) = 0 OR list_contains(axes, axe_plan))
      AND (len(territoires) = 0 OR list_contains(territoires, territoire))
      AND (len(formes) = 0 OR list_contains(formes, forme_juridique))
      AND (len(activites) = 0 OR list_contains(activites, activite))
      AND (len(communes) = 0 OR list_contains(communes, commune))
      AND (subvention_min IS NULL OR subvention_eur >= subvention_min)
      AND (subvention_max IS NULL OR subvention_eur <= subvention_max);

-- The filtered projects with the labels a reader sees, for lists, searches and downloads. A real
-- name never sits next to reconstructed fields: a reconstructed project is « Projet reconstitué
-- n° 2016-07 », and what the sources say of a named one is in `laureats_publics`.
-- Realised jobs stay NULL when not known yet: never 0.
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
        CASE WHEN p.provenance = 'reconstitué' THEN NULL ELSE p.source END AS source,
        e.nom            AS periode,
        pl.nom_court     AS plan,
        x.nom            AS axe_nom,
        p.type_aide,
        p.beneficiaire,
        p.siret,
        p.rna,
        p.date_decision,
        p.reference_decision,
        p.conditions_versement,
        p.dates_versement,
        p.notification_ue
    FROM projets_filtres(annees, axes, territoires, formes, activites, communes,
                         subvention_min, subvention_max) p
    JOIN commune c ON c.insee = p.commune
    JOIN territoire t ON t.code = p.territoire
    JOIN forme_juridique f ON f.code = p.forme_juridique
    JOIN activite a ON a.code = p.activite
    LEFT JOIN periode e ON e.code = p.periode
    LEFT JOIN plan pl ON pl.code = p.plan
    LEFT JOIN axe x ON x.plan = p.plan AND x.numero = p.axe;


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
