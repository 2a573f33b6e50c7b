-- The values each sidebar filter may take, with their labels, in display order: the years
-- present in the store, and the axes of every plan in force during a period of the call
-- (an axis is a plan's: « pmdess-2015-2020/1 »).
SELECT 'annees' AS filtre, CAST(annee AS VARCHAR) AS valeur, CAST(annee AS VARCHAR) AS libelle,
       annee AS ordre
FROM (SELECT DISTINCT annee FROM projet)
UNION ALL
SELECT 'axes', x.plan || '/' || x.numero, p.nom_court || ' · ' || x.numero || '. ' || x.nom,
       p.debut * 100 + x.numero
FROM axe x
JOIN plan p ON p.code = x.plan
WHERE x.plan IN (SELECT plan FROM periode)
UNION ALL
SELECT 'territoires', code, nom, ordre FROM territoire
UNION ALL
SELECT 'formes', code, libelle, ordre FROM forme_juridique
UNION ALL
SELECT 'activites', code, libelle, ordre FROM activite
UNION ALL
-- Only the communes of funded projects, in alphabetical order.
SELECT 'communes', insee, nom, row_number() OVER (ORDER BY strip_accents(lower(nom)))
FROM commune WHERE insee IN (SELECT commune FROM projet)
ORDER BY filtre, ordre;
