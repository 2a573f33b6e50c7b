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
