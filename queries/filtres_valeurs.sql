-- The values each sidebar filter may take, with their labels, in display order.
SELECT 'annees' AS filtre, CAST(annee AS VARCHAR) AS valeur, CAST(annee AS VARCHAR) AS libelle,
       annee AS ordre
FROM (SELECT DISTINCT annee FROM projet)
UNION ALL
SELECT 'axes', CAST(numero AS VARCHAR), numero || '. ' || nom, numero
FROM axe WHERE plan = 'pmdess-2015-2020'
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
