# language: nl
Functionaliteit: Interne melding volgens de Wet bescherming klokkenluiders
  Ontvangstbevestiging binnen zeven dagen; informatie over beoordeling en opvolging binnen
  drie maanden na die bevestiging. Wettelijke termijnen: de Algemene termijnenwet geldt.

  Achtergrond:
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-12-21
    En een zaak volgens "klokkenluiders-wbk-2023" voor leerling "Melder-Kievit" op school "bestuursbureau"

  Scenario: Beide termijnen vallen op een feestdag of in het weekend en schuiven door
    Dan heeft de termijn "ontvangstbevestiging" status "wachtend"
    Als de "behandelaar" "mevr.meldpunt" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-12-18"
    Dan heeft de termijn "ontvangstbevestiging" kalendereinde "2026-12-25" en einddatum "2026-12-28"
    Als de "behandelaar" "mevr.meldpunt" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-12-21"
    Dan staat de zaak in stap "in_behandeling"
    En heeft de termijn "ontvangstbevestiging" einddatum "2026-12-28" en status "vervuld"
    Als de "behandelaar" "mevr.meldpunt" brief "ontvangstbevestiging" maakt
    Dan staat in de brief "op 18 december 2026 hebben ontvangen"
    En staat in de brief "uiterlijk op 22 maart 2027"
    En heeft de termijn "informatie_opvolging" kalendereinde "2027-03-21" en einddatum "2027-03-22"
    Als de tijd verstrijkt tot 2027-03-23
    Dan heeft de termijn "informatie_opvolging" einddatum "2027-03-22" en status "verlopen"
    Als de "behandelaar" "mevr.meldpunt" actie "informeren" uitvoert met "beoordeling=onderzoek loopt, maatregelen in voorbereiding"
    Dan staat de zaak in stap "afgerond"
    En heeft de termijn "informatie_opvolging" einddatum "2027-03-22" en status "te laat vervuld"

  Scenario: Zonder ontvangstdatum geen bevestiging
    Als de "behandelaar" "mevr.meldpunt" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-12-21"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "ontvangen_op"

  Scenario: De melder blijft afgeschermd voor wie de melding niet behandelt
    Dan ziet de "melder" als betrokkene "Melder-Kievit"
    En ziet de "behandelaar" als betrokkene "Melder-Kievit"

  Scenario: Zonder ontvangstbevestiging loopt de termijn van drie maanden vanaf het einde van de zeven dagen (Richtlijn 2019/1937 art. 9 lid 1 onder f)
    # ontvangen vrijdag 18 december 2026; de zeven dagen verstrijken op vrijdag 25 december;
    # drie maanden daarna is donderdag 25 maart 2027, een werkdag: de Atw verlengt niet
    Als de "behandelaar" "mevr.meldpunt" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-12-18"
    Dan heeft de termijn "informatie_zonder_bevestiging" einddatum "2027-03-25" en status "open"
    Als de tijd verstrijkt tot 2027-03-26
    Dan heeft de termijn "informatie_zonder_bevestiging" einddatum "2027-03-25" en status "verlopen"
    Als de "behandelaar" "mevr.meldpunt" actie "informeren" uitvoert met "beoordeling=onderzoek afgerond"
    Dan staat de zaak in stap "afgerond"
    En heeft de termijn "informatie_zonder_bevestiging" einddatum "2027-03-25" en status "te laat vervuld"

  Scenario: De ontvangstbevestiging wijst op externe meldkanalen (Richtlijn 2019/1937 art. 9 lid 1 onder g)
    Als de "behandelaar" "mevr.meldpunt" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-12-18"
    En de "behandelaar" "mevr.meldpunt" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-12-21"
    Dan heeft de termijn "informatie_zonder_bevestiging" einddatum "2027-03-25" en status "vervuld"
    Als de "behandelaar" "mevr.meldpunt" brief "ontvangstbevestiging" maakt
    Dan staat in de PDF van de brief "Huis voor Klokkenluiders"
