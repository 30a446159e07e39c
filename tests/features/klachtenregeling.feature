# language: nl
Functionaliteit: Klachtenregeling (klachtencommissie)
  Een klacht over gedrag of een beslissing van het bevoegd gezag of het personeel (WPO art. 14):
  eerst samen een oplossing zoeken met de contactpersoon of vertrouwenspersoon (seed 004 regel
  218, 221-226), dan een klacht op naam bij het bevoegd gezag of de klachtencommissie; de
  commissie bevestigt, hoort en adviseert; binnen vier weken na ontvangst van het advies deelt
  het bevoegd gezag zijn besluit en maatregelen mee (modelklachtenregeling, eenmaal met ten
  hoogste vier weken te verlengen). De termijnen van de regeling zijn geen wettelijke termijnen
  in de zin van de Algemene termijnenwet: ze tellen op de kalender (regel kalender).

  Achtergrond:
    Gegeven het protocol "klachtenregeling" is geladen
    En het is 2026-09-07
    En een zaak volgens "klachtenregeling" voor leerling "Klager-Meeuw" op school "de-linde"

  Scenario: Van signaal tot het besluit van het bevoegd gezag, met de termijnen met de hand
    Als de "contactpersoon" "juf.lies" actie "doorverwijzen" uitvoert met "doorverwezen_naar=interne_vertrouwenspersoon;motivering=ouder wil een klacht indienen"
    Dan staat de zaak in stap "signaal"
    # maandag 7 september 2026: de klacht op naam bij het bevoegd gezag
    Als de "klager" "juf.anna" actie "klacht_indienen_bij_bevoegd_gezag" uitvoert met "klacht_op_naam=ja;klacht_omschrijving=pesten niet aangepakt;klacht_ontvangen_op=2026-09-07"
    Dan staat de zaak in stap "klacht_bij_bevoegd_gezag"
    Als het is 2026-09-09
    En de "bevoegd_gezag" "mevr.raad" actie "doorzenden_naar_commissie" uitvoert met "motivering=niet naar tevredenheid op te lossen"
    Dan staat de zaak in stap "klacht_bij_commissie"
    # ontvangstbevestiging: vijf werkdagen na ontvangst op ma 7-9; de termijn begint de dag
    # erna: di 8, wo 9, do 10, vr 11, ma 14 september 2026
    En heeft de termijn "ontvangst_bevestigd" einddatum "2026-09-14" en status "open"
    Als het is 2026-09-10
    En de "klachtencommissie" "mr.commissie" actie "ontvangst_bevestigen" uitvoert met "aangeklaagde_en_bevoegd_gezag_geinformeerd=ja"
    Dan heeft de termijn "ontvangst_bevestigd" einddatum "2026-09-14" en status "vervuld"
    Als de "klachtencommissie" "mr.commissie" brief "klacht_ontvangstbevestiging" maakt met "geadresseerde_naam=Familie Meeuw;geadresseerde_adres=Dorpsstraat 1, 1234 AB Dorp"
    Dan staat in de brief "Aan de klager: Klager-Meeuw"
    En staat in de brief "ontvangen op 7 september 2026"
    Als de "klachtencommissie" "mr.commissie" actie "verweer_vastleggen" uitvoert met "verweer=de signalen zijn wel besproken"
    En het is 2026-09-21
    En de "klachtencommissie" "mr.commissie" actie "hoorzitting_plannen" uitvoert met "datum_hoorzitting=2026-10-12"
    Dan staat de zaak in stap "hoorzitting"
    # advies binnen vier weken na de hoorzitting van ma 12-10: ma 9 november 2026
    En heeft de termijn "advies_na_hoorzitting" einddatum "2026-11-09" en status "open"
    Als de "klachtencommissie" "mr.commissie" brief "klacht_uitnodiging_hoorzitting" maakt met "geadresseerde_naam=Familie Meeuw;geadresseerde_adres=Dorpsstraat 1, 1234 AB Dorp"
    Dan staat in de brief "12 oktober 2026"
    Als het is 2026-11-02
    En de "klachtencommissie" "mr.commissie" actie "advies_uitbrengen" uitvoert met "partijen_gehoord=samen gehoord;oordeel_commissie=gegrond;advies_ontvangen_op=2026-11-02;aanbevelingen=pestprotocol opnieuw bespreken met het team"
    Dan staat de zaak in stap "beslissing"
    En heeft de termijn "advies_na_hoorzitting" einddatum "2026-11-09" en status "vervuld"
    # besluit binnen vier weken na ontvangst van het advies op ma 2-11: ma 30 november 2026
    # (kalender: de Atw verlengt de termijn van een regeling niet; 30-11 is een werkdag)
    En heeft de termijn "besluit_op_advies" einddatum "2026-11-30" en status "open"
    Als het is 2026-11-26
    En de "bevoegd_gezag" "mevr.raad" actie "besluit_mededelen" uitvoert met "oordeel_gedeeld=ja;maatregelen=teambijeenkomst over het pestprotocol en een gesprek met de ouders;motivering=de commissie stelt vast dat signalen bleven liggen"
    Dan staat de zaak in stap "besluit_genomen"
    En heeft de termijn "besluit_op_advies" einddatum "2026-11-30" en status "vervuld"
    Als de "bevoegd_gezag" "mevr.raad" brief "klacht_besluit" maakt met "geadresseerde_naam=Familie Meeuw;geadresseerde_adres=Dorpsstraat 1, 1234 AB Dorp;ondertekenaar=K. Raad;functie_ondertekenaar=bestuurder"
    Dan staat in de brief "deelt het oordeel van de commissie"
    En staat in de brief "teambijeenkomst over het pestprotocol"
    En staat in de brief "Afschrift aan: de aangeklaagde"
    En staat niet in de brief "Wet vrij en veilig"
    Als de "bevoegd_gezag" "mevr.raad" actie "afsluiten" uitvoert met "motivering=maatregelen belegd"
    Dan staat de zaak in stap "afgesloten"
    En klopt de controle van de hashketen

  Scenario: Eenmaal uitstel met ten hoogste vier weken, binnen de eerste termijn
    Gegeven de klacht ligt bij de klachtencommissie en het advies is ontvangen op 2026-12-18
    # vrijdag 18 december 2026 + vier weken = vrijdag 15 januari 2027 (de kerstvakantie telt mee)
    Dan heeft de termijn "besluit_op_advies" einddatum "2027-01-15" en status "open"
    Als het is 2027-01-08
    En de "bevoegd_gezag" "mevr.raad" actie "besluit_verdagen" uitvoert met "motivering=aangeklaagde ziek, nog niet gehoord over de maatregel"
    # uitstel met ten hoogste vier weken: acht weken na 18-12-2026 is vrijdag 12 februari 2027
    Dan heeft de termijn "besluit_na_verdaging" einddatum "2027-02-12" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "besluit_verdagen" uitvoert met "motivering=nog meer tijd"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de tijd verstrijkt tot 2027-02-13
    Dan heeft de termijn "besluit_na_verdaging" einddatum "2027-02-12" en status "verlopen"

  Scenario: Uitstel na afloop van de vier weken kan niet meer
    Gegeven de klacht ligt bij de klachtencommissie en het advies is ontvangen op 2026-12-18
    Als de tijd verstrijkt tot 2027-01-16
    Dan heeft de termijn "besluit_op_advies" einddatum "2027-01-15" en status "verlopen"
    Als de "bevoegd_gezag" "mevr.raad" actie "besluit_verdagen" uitvoert met "motivering=te laat"
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: De naam van de klager blijft bij wie hem vertrouwelijk hoort, tot de klacht op naam is ingediend
    Dan ziet de "interne_vertrouwenspersoon" als betrokkene "Klager-Meeuw"
    En ziet de "contactpersoon" als betrokkene "Klager-Meeuw"
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
    # de contactpersoon verwijst door maar dient geen klacht in namens de klager
    Als de "contactpersoon" "juf.lies" actie "klacht_indienen_bij_commissie" uitvoert met "klacht_op_naam=ja;klacht_omschrijving=x;klacht_ontvangen_op=2026-09-07"
    Dan wordt de actie geweigerd met "permission_denied"
    # het bevoegd gezag kan de naam niet zelf vrijgeven
    Als de "bevoegd_gezag" "mevr.raad" actie "klacht_indienen_bij_bevoegd_gezag" uitvoert met "klacht_op_naam=ja;klacht_omschrijving=x;klacht_ontvangen_op=2026-09-07"
    Dan wordt de actie geweigerd met "permission_denied"
    Als de "interne_vertrouwenspersoon" "juf.lies" actie "klacht_indienen_bij_commissie" uitvoert met "klacht_op_naam=ja;klacht_omschrijving=onheuse bejegening;klacht_ontvangen_op=2026-09-07"
    Dan ziet de "bevoegd_gezag" als betrokkene "Klager-Meeuw"

  Scenario: Het wetsvoorstel staat uit: de commissie meldt een niet gevolgd oordeel niet aan de Inspectie
    Gegeven de klacht ligt bij de klachtencommissie en het advies is ontvangen op 2026-12-18
    Als de "bevoegd_gezag" "mevr.raad" actie "besluit_mededelen" uitvoert met "oordeel_gedeeld=nee;maatregelen=geen;motivering=het bestuur deelt het oordeel niet"
    En de "klachtencommissie" "mr.commissie" actie "inspectie_inlichten" uitvoert met "melding_inspectie_op=2026-12-18;motivering=oordeel niet gevolgd"
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: Het bestuur past het wetsvoorstel al toe (Kamerstuk 36 777, 27-6-2025)
    Gegeven school "het-anker" past de onderdelen van het wetsvoorstel Wet vrij en veilig onderwijs al toe
    En een zaak volgens "klachtenregeling" voor leerling "Klager-Reiger" op school "het-anker"
    En de klacht ligt bij de klachtencommissie en het advies is ontvangen op 2026-12-18
    Als de "bevoegd_gezag" "mevr.raad" actie "besluit_mededelen" uitvoert met "oordeel_gedeeld=nee;maatregelen=geen;motivering=het bestuur deelt het oordeel niet"
    En de "bevoegd_gezag" "mevr.raad" brief "klacht_besluit" maakt met "geadresseerde_naam=Familie Reiger;geadresseerde_adres=Dorpsstraat 2, 1234 AB Dorp;ondertekenaar=K. Raad;functie_ondertekenaar=bestuurder"
    Dan staat in de brief "Kamerstuk 36 777"
    Als de "klachtencommissie" "mr.commissie" actie "inspectie_inlichten" uitvoert met "melding_inspectie_op=2026-12-18;motivering=oordeel niet gevolgd"
    Dan staat de zaak in stap "besluit_genomen"
    En is het feit "melding_inspectie_op" vastgelegd op "2026-12-18"
