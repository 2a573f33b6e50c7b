from ess import fmt

NB = "\u00a0"


def test_french_formats():
    assert fmt.euros(768200) == f"768{NB}200{NB}€"
    assert fmt.euros(1234567.5, 1) == f"1{NB}234{NB}567,5{NB}€"
    assert fmt.pct(45.16) == f"45{NB}%"
    assert fmt.etp(483.0) == f"483{NB}ETP"
    assert fmt.etp(3.5) == f"3,5{NB}ETP"
    assert fmt.nombre(None) == "–"
    assert fmt.rang(1, 8) == "1er sur 8" and fmt.rang(3, 8) == "3e sur 8"


def test_published_figure_with_its_unit():
    assert fmt.mesure(768200, "€") == f"768{NB}200{NB}€"
    assert fmt.mesure(4.6, "%") == f"4,6{NB}%"
    assert fmt.mesure(483, "ETP") == f"483{NB}ETP"
    assert fmt.mesure(52000, "salariés") == f"52{NB}000{NB}salariés"
    assert fmt.mesure(1, "projets") == f"1{NB}projet"
    assert fmt.mesure(0, "projets") == f"0{NB}projet"
    assert fmt.mesure(36, "mois") == f"36{NB}mois"
    assert fmt.mesure(1, "mois") == f"1{NB}mois"
