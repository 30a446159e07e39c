# language: nl
Functionaliteit: Termijnen lopen af op de wettelijk berekende dag
  Een termijn begint de dag na het feit (Awb 6:8). Een wettelijke termijn die op een
  zaterdag, zondag of feestdag eindigt, loopt door tot de eerstvolgende werkdag (Atw).

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-17

  Scenario: Een maatregel eindigt vanzelf na een week
    Gegeven een zaak in stap "maatregel"
    Als de tijd verstrijkt tot 2026-03-24
    Dan staat de zaak in stap "maatregel"
    Als de tijd verstrijkt tot 2026-03-25
    Dan staat de zaak in stap "bezwaar"
    En is de laatste gebeurtenis "timer_fired" door "systeem"
    En heeft de termijn "einde_maatregel" einddatum "2026-03-24" en status "uitgevoerd"

  Scenario: De bezwaartermijn loopt door tot na Bevrijdingsdag
    Gegeven een zaak in stap "maatregel"
    En het is 2026-03-24
    Als de "directeur" "dhr.bos" actie "maatregel_voorbij" uitvoert
    Dan heeft de termijn "bezwaartermijn" kalendereinde "2026-05-05" en einddatum "2026-05-06"
    En noemt de termijn "bezwaartermijn" de verlenging "Atw art. 1"
    Als de tijd verstrijkt tot 2026-05-06
    Dan staat de zaak in stap "bezwaar"
    Als de tijd verstrijkt tot 2026-05-07
    Dan staat de zaak in stap "afgesloten"

  Scenario: Een termijn die vanaf een vastgelegde datum loopt en op een decreetdag eindigt
    Gegeven een zaak in stap "maatregel"
    En het is 2026-04-07
    Als de "directeur" "dhr.bos" actie "maatregel_voorbij" uitvoert
    En het is 2026-04-20
    En de "directeur" "dhr.bos" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-04-17"
    Dan heeft de termijn "beslissing_op_bezwaar" kalendereinde "2026-05-15" en einddatum "2026-05-18"
    Als de tijd verstrijkt tot 2026-05-20
    Dan heeft de termijn "beslissing_op_bezwaar" einddatum "2026-05-18" en status "verlopen"
    En heeft de termijn "bezwaartermijn" einddatum "2026-05-19" en status "vervallen"
    En staat de zaak in stap "bezwaar"

  Scenario: Zonder sandbox kan de tijd niet verschoven worden
    Gegeven een gewone database zonder sandbox
    Als de tijd verstrijkt tot 2026-04-01
    Dan wordt de actie geweigerd met "sandbox_required"
