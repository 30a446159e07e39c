# language: nl
Functionaliteit: Een mondelinge melding volgens de Wet bescherming klokkenluiders
  Een werknemer meldt per telefoon of in een gesprek. Het verslag legt de vertrouwenspersoon
  vast; de melder controleert het met een code via het meldpunt, corrigeert het en keurt het
  goed (Richtlijn 2019/1937 art. 18 lid 2 tot en met 4). De termijnen lopen vanaf de
  mondelinge melding, niet vanaf de goedkeuring.

  Achtergrond:
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-12-21
    En een zaak volgens "klokkenluiders-wbk-2023" voor leerling "Melder-Kievit" op school "bestuursbureau"

  Scenario: De termijn loopt vanaf het telefoongesprek; correctie en goedkeuring staan in de keten
    Als de "vertrouwenspersoon" "mevr.vp" actie "mondelinge_melding_vastleggen" uitvoert met "mondeling_kanaal=telefoon;ontvangen_op=2026-12-18;verslag_mondeling=Facturen worden vervalst.;toestemming_opname=nee"
    Dan heeft de termijn "ontvangstbevestiging" kalendereinde "2026-12-25" en einddatum "2026-12-28"
    Als de "vertrouwenspersoon" "mevr.vp" een code voor de melder uitreikt
    En het is 2027-01-05
    En de melder met de code het verslag corrigeert met "Het ging om de facturen van november."
    En de melder met de code het verslag goedkeurt
    Dan ziet de melder met de code het verslag "Facturen worden vervalst." met 1 correctie en goedgekeurd
    En staan de correctie en de goedkeuring van de melder in de keten
    En heeft de termijn "ontvangstbevestiging" kalendereinde "2026-12-25" en einddatum "2026-12-28"
    En klopt de controle van de hashketen

  Scenario: Zonder verslag van een mondelinge melding is er niets te corrigeren
    Als de "melder" "melder-x" actie "verslag_corrigeren" uitvoert met "correctie_verslag=iets"
    Dan wordt de actie geweigerd met "guard_failed"
