# language: nl
Functionaliteit: Scholen schrijven hun eigen protocol
  Een protocolbeheerder schrijft het pestprotocol van de school zelf (docs/examples/
  pesten-de-linde.yaml), met de taal uit docs/protocollen-schrijven.md: tellen, vergelijken,
  terugkerende gesprekken, parallelle sporen en gekoppelde zaken.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het schoolprotocol "pesten-de-linde" is geladen
    En het is 2026-03-02
    En een zaak volgens "pesten-de-linde" voor leerling "Leerling-Mees" op school "de-linde"

  Scenario: Bij de derde melding worden de ouders geïnformeerd (Schoolplan, Pesten)
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=uitgescholden op het plein"
    Dan staat de zaak in stap "meldingen"
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=tas afgepakt"
    Dan staat de zaak in stap "meldingen"
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=buitengesloten bij gym"
    Dan staat de zaak in stap "ouders_informeren"
    # twee werkdagen na maandag 2 maart 2026: woensdag 4 maart
    En heeft de termijn "ouders_geinformeerd" einddatum "2026-03-04" en status "open"

  Scenario: Een ernstig incident brengt de ouders er eerder bij
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=geschopt;ernstig=ja"
    Dan staat de zaak in stap "ouders_informeren"

  Scenario: Drie of meer betrokken leerlingen: de directie wordt ingeschakeld (een getal vergelijken)
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=groepje sluit buiten;betrokken_leerlingen=2"
    En de "leerkracht" "juf.anna" actie "directie_inschakelen" uitvoert
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "betrokken_leerlingen minstens 3"
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=hele groep doet mee;betrokken_leerlingen=5"
    En de "leerkracht" "juf.anna" actie "directie_inschakelen" uitvoert
    Dan staat de zaak in stap "directie"

  Scenario: Een zachte voorwaarde waarschuwt, maar de behandelaar kan door; de waarschuwing staat in de audittrail
    Dan waarschuwt de actie "afsluiten" voor de "leerkracht" met "Bij voorkeur zijn de ouders geïnformeerd voordat de zaak wordt afgesloten."
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert met "motivering=het was een misverstand"
    Dan staat de zaak in stap "afgesloten"
    En is de handeling vastgelegd met de waarschuwing "Bij voorkeur zijn de ouders geïnformeerd voordat de zaak wordt afgesloten."

  Scenario: Zonder reden voor een waarschuwing wordt er ook geen vastgelegd
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=geschopt;ernstig=ja"
    En de "leerkracht" "juf.anna" actie "ouders_hebben_gehoord" uitvoert met "afspraken=dagelijks contact"
    Dan waarschuwt de actie "afsluiten" voor de "leerkracht" niet

  Scenario: Termijnen houden hun geschiedenis: te laat vervuld, en verlopen (gemist) na het verlaten van de stap
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=geschopt;ernstig=ja"
    # twee werkdagen na maandag 2 maart 2026: woensdag 4 maart
    En de tijd verstrijkt tot 2026-03-05
    Dan heeft de termijn "ouders_geinformeerd" einddatum "2026-03-04" en status "verlopen"
    Als de "leerkracht" "juf.anna" actie "ouders_hebben_gehoord" uitvoert met "afspraken=dagelijks contact"
    Dan heeft de termijn "ouders_geinformeerd" einddatum "2026-03-04" en status "te laat vervuld"
    En mag de "intern_begeleider" nu "te_laat_bespreken, afsluiten"
    # twee weken na donderdag 5 maart: donderdag 19 maart
    Als de tijd verstrijkt tot 2026-03-20
    Dan heeft de termijn "afspraken_evalueren" einddatum "2026-03-19" en status "verlopen"
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert met "motivering=gestopt"
    Dan heeft de termijn "afspraken_evalueren" einddatum "2026-03-19" en status "gemist"

  Scenario: Een wekelijks gesprek op de laatste schooldag, niet in de voorjaarsvakantie, tot de afgesproken einddatum
    # begeleiding vanaf maandag 2 februari 2026, tot en met vrijdag 13 maart 2026
    Gegeven het is 2026-02-02
    En een zaak volgens "pesten-de-linde" voor leerling "Leerling-Kees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=bedreigd;ernstig=ja"
    En de "leerkracht" "juf.anna" actie "ouders_hebben_gehoord" uitvoert met "afspraken=elke vrijdag kort gesprek;begeleiding_tot=2026-03-13"
    # de eerste keer: de laatste schooldag van deze week, vrijdag 6 februari
    Dan heeft de termijn "weekgesprek" einddatum "2026-02-06" en status "open"
    # daarna elke vijf schooldagen: 13 februari; de voorjaarsvakantie (14-22 februari, regio midden)
    # telt niet mee, dus 27 februari; dan 6 en 13 maart. Na 13 maart (de einddatum) stopt het.
    Als de tijd verstrijkt tot 2026-03-20
    Dan liep de terugkerende termijn "weekgesprek" op 2026-02-06, 2026-02-13, 2026-02-27, 2026-03-06 en 2026-03-13
    En heeft de termijn "weekgesprek" einddatum "2026-03-13" en status "uitgevoerd"

  Scenario: Opnieuw gepest: een actie opent een gekoppelde zaak voor de pester, zichtbaar in beide zaken
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=geschopt;ernstig=ja"
    En de "leerkracht" "juf.anna" actie "ouders_hebben_gehoord" uitvoert met "afspraken=dagelijks contact"
    En de "leerkracht" "juf.anna" actie "pester_aanpakken" uitvoert met "pester=Leerling-Bram;motivering=weer geschopt op het plein"
    Dan is een gekoppelde zaak geopend volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Bram"
    En staat de koppeling op beide zaakpagina's en zijn beide audittrails in orde

  Scenario: Twee gesprekken naast elkaar: pas als beide zijn gevoerd, gaat de zaak verder
    Als de "leerkracht" "juf.anna" actie "gesprekken_starten" uitvoert met "motivering=twee kanten horen"
    Dan staat de zaak in stap "gesprekken"
    En mag de "leerkracht" nu "gesprek_gepeste_leerling, gesprek_pester"
    # het spoor van de gepeste leerling heeft een eigen verplichting: twee werkdagen, woensdag 4 maart
    En heeft de termijn "gesprek_gepeste_op_tijd" einddatum "2026-03-04" en status "open"
    Als de "leerkracht" "juf.anna" actie "gesprek_pester" uitvoert met "verslag=ontkent eerst, geeft later toe;pester=Leerling-Bram"
    En de "leerkracht" "juf.anna" actie "gesprekken_afronden" uitvoert met "afspraken=geen contact op het plein"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "eerst afronden: Gesprek met de gepeste leerling"
    Als de "leerkracht" "juf.anna" actie "gesprek_gepeste_leerling" uitvoert met "verslag=voelt zich onveilig in de pauze"
    Dan heeft de termijn "gesprek_gepeste_op_tijd" einddatum "2026-03-04" en status "vervuld"
    En mag de "leerkracht" nu "gesprek_gepeste_leerling, gesprek_pester, gesprekken_afronden"
    Als de "leerkracht" "juf.anna" actie "gesprekken_afronden" uitvoert met "afspraken=geen contact op het plein"
    Dan staat de zaak in stap "begeleiding"
