-- The projects the published results of the call describe (2019 Assises, 003): their number
-- and years. The pages compare the store with those figures only on the same years.
SELECT CAST(n.valeur AS INTEGER) AS nb_projets, a.annee_debut, a.annee_fin
FROM indicateur n, action a
WHERE n.id = 'aap-nb-projets' AND a.id = 'aap-entreprendre-autrement';
