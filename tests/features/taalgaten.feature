# language: nl
Functionaliteit: Gaten in de protocoltaal gedicht
  Wat een kwaliteitscoördinator met twee echte schoolprotocollen (een pestprotocol en een
  cyberpestprotocol) alleen met een omweg kon schrijven (issue 27), kan nu rechtstreeks;
  docs/protocollen-schrijven.md beschrijft elk patroon.

  Scenario: Taalgat: een wekelijks gesprek op de laatste schooldag slaat de week van Goede Vrijdag niet over
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het schoolprotocol "pesten-de-linde" is geladen
    # maandag 23 maart 2026; begeleiding tot en met vrijdag 17 april 2026
    En het is 2026-03-23
    En een zaak volgens "pesten-de-linde" voor leerling "Leerling-Kees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "ernstig_incident" uitvoert met "omschrijving=bedreigd;ernstig=ja"
    En de "leerkracht" "juf.anna" actie "ouders_hebben_gehoord" uitvoert met "afspraken=elke vrijdag kort gesprek;begeleiding_tot=2026-04-17"
    # de eerste keer: de laatste schooldag van deze week, vrijdag 27 maart
    Dan heeft de termijn "weekgesprek" einddatum "2026-03-27" en status "open"
    # Goede Vrijdag 3 april 2026 is een feestdag (Atw art. 3) en geen schooldag; de laatste
    # schooldag van die week is donderdag 2 april. Paasmaandag 6 april is ook een feestdag, de
    # week van 6 april heeft nog vrijdag 10 april; dan vrijdag 17 april, de einddatum.
    Als de tijd verstrijkt tot 2026-04-20
    Dan liep de terugkerende termijn "weekgesprek" op 2026-03-27, 2026-04-02, 2026-04-10 en 2026-04-17
    En heeft de termijn "weekgesprek" einddatum "2026-04-17" en status "uitgevoerd"

  Scenario: Taalgat: een actie start een verplichting: bij de derde melding de ouders informeren, zonder eigen stap
    Gegeven het testprotocol "taalgaten" is geladen
    # maandag 2 maart 2026
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Dan heeft de termijn "weekgesprek" einddatum "2026-03-06" en status "open"
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=uitgescholden"
    En de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=tas afgepakt"
    Dan is er geen termijn "ouders_geinformeerd"
    Als het is 2026-03-03
    En de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=buitengesloten"
    # de zaak blijft in haar stap, de wekelijkse reeks loopt door; twee werkdagen na dinsdag
    # 3 maart: donderdag 5 maart
    Dan staat de zaak in stap "meldingen"
    En heeft de termijn "ouders_geinformeerd" einddatum "2026-03-05" en status "open"
    En heeft de termijn "weekgesprek" einddatum "2026-03-06" en status "open"
    # een vierde melding start de verplichting niet opnieuw terwijl zij loopt
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=weer uitgescholden"
    Dan loopt er precies 1 termijn "ouders_geinformeerd"
    Als de "leerkracht" "juf.anna" actie "ouders_geinformeerd" uitvoert
    Dan heeft de termijn "ouders_geinformeerd" einddatum "2026-03-05" en status "vervuld"

  Scenario: Taalgat: een termijn loopt vanaf het moment van een actie, zonder een getypte datum
    Gegeven het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "begeleiding_starten" uitvoert
    # de evaluatie wacht op de afspraken
    Dan heeft de termijn "afspraken_evalueren" status "wachtend"
    # donderdag 5 maart legt de leerkracht vast dat de afspraken woensdag 4 maart zijn gemaakt:
    # de termijn volgt het moment van de handeling, twee weken na woensdag 4 maart
    Als het is 2026-03-05
    En de "leerkracht" "juf.anna" actie "afspraken_maken" uitvoert met "afspraken=elke pauze bij de juf" per 2026-03-04
    Dan heeft de termijn "afspraken_evalueren" einddatum "2026-03-18" en status "open"

  Scenario: Taalgat: een voorwaarde ziet de invoer van de actie zelf
    Gegeven het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=duw op de trap;ernst=licht"
    Dan staat de zaak in stap "meldingen"
    # "given" toetst de ernst van deze melding zelf; "when" alleen wat eerder was vastgelegd
    Als de "leerkracht" "juf.anna" actie "melding_vastleggen" uitvoert met "omschrijving=geschopt;ernst=ernstig"
    Dan staat de zaak in stap "begeleiding"

  Scenario: Taalgat: een vastgelegd feit wissen; het pesten is niet gestopt als de leerling opnieuw wordt gepest
    Gegeven het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "begeleiding_starten" uitvoert
    En de "leerkracht" "juf.anna" actie "gestopt_vastleggen" uitvoert met "gestopt_op=2026-03-02"
    Dan mag de "intern_begeleider" nu "afspraken_maken, gestopt_vastleggen, opnieuw_gepest, begeleiding_afronden, afsluiten"
    Als de "leerkracht" "juf.anna" actie "opnieuw_gepest" uitvoert met "omschrijving=weer uitgelachen"
    Dan is het feit "gestopt_op" niet vastgelegd en noemt de laatste gebeurtenis het gewist
    En mag de "intern_begeleider" nu "afspraken_maken, gestopt_vastleggen, afsluiten"
    En geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak
    Als de "intern_begeleider" "meester.ben" actie "begeleiding_afronden" uitvoert
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: Taalgat: een eindstap houdt een nazorgtermijn
    Gegeven het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert met "motivering=het pesten is gestopt"
    Dan is de zaak afgesloten
    # de wekelijkse reeks van de stap meldingen stopt; de nazorg loopt zes weken na maandag
    # 2 maart: maandag 13 april 2026
    En heeft de termijn "weekgesprek" status "geannuleerd"
    En heeft de termijn "nazorg" einddatum "2026-04-13" en status "open"
    Als de tijd verstrijkt tot 2026-04-14
    Dan heeft de termijn "nazorg" einddatum "2026-04-13" en status "verlopen"
    En is de laatste gebeurtenis "deadline_overdue" door "systeem"
    # een nazorgverplichting in de eindstap: acht weken na 2 maart, maandag 27 april 2026
    En heeft de termijn "nazorggesprek" einddatum "2026-04-27" en status "open"
    Als de "leerkracht" "juf.anna" actie "nazorggesprek" uitvoert
    Dan heeft de termijn "nazorggesprek" einddatum "2026-04-27" en status "vervuld"
    En is de zaak afgesloten
    En geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak

  Scenario: Taalgat: één driegesprek telt voor beide sporen en voor beide tellers
    Gegeven het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "gesprekken_starten" uitvoert
    En de "leerkracht" "juf.anna" actie "gesprekken_afronden" uitvoert
    Dan wordt de actie geweigerd met "guard_failed"
    Als de "leerkracht" "juf.anna" actie "driegesprek" uitvoert met "omschrijving=samen afspraken gemaakt"
    Dan telt de zaak de actie "gesprek_gepeste_leerling" 1 keer
    En telt de zaak de actie "gesprek_pester" 1 keer
    En telt de zaak de actie "driegesprek" 1 keer
    Als de "leerkracht" "juf.anna" actie "gesprekken_afronden" uitvoert
    Dan staat de zaak in stap "begeleiding"
    En geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak

  Scenario: Taalgat: een gekoppelde zaak kiest haar beginstap en de groep van haar leerling
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "begeleiding_starten" uitvoert
    En de "directeur" "dhr.bos" actie "pester_aanpakken" uitvoert met "pester=Leerling-Bram;groep_pester=7b;motivering=weer geschopt"
    Dan is een gekoppelde zaak geopend volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Bram"
    # het stappenplan begint voor de pester bij stap 3, in zijn eigen groep (niet die van Mees)
    En staat de gekoppelde zaak in stap "samen_oplossing" en groep "7b"

  Scenario: Taalgat: een variant verandert de 'from' van een actie door haar te verwijderen en opnieuw toe te voegen
    Gegeven het testprotocol "taalgaten" is geladen
    En het testprotocol "taalgaten-variant" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten-variant" voor leerling "Leerling-Mees" op school "de-linde"
    # de variant verwijdert 'afsluiten' van het basisprotocol; haar eigen 'afsluiten' blijft
    Dan mag de "intern_begeleider" nu "begeleiding_starten"
    Als de "leerkracht" "juf.anna" actie "begeleiding_starten" uitvoert
    Dan mag de "intern_begeleider" nu "afspraken_maken, gestopt_vastleggen, afsluiten"
    Als de "intern_begeleider" "meester.ben" actie "afsluiten" uitvoert met "motivering=gestopt"
    Dan is de zaak afgesloten

  Scenario: Taalgat: meer daders, elk een eigen gekoppelde zaak met eigen velden en termijnen
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het testprotocol "taalgaten" is geladen
    En het is 2026-03-02
    En een zaak volgens "taalgaten" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "begeleiding_starten" uitvoert
    En de "directeur" "dhr.bos" actie "pester_aanpakken" uitvoert met "pester=Leerling-Bram;groep_pester=7b;motivering=geschopt"
    En de "directeur" "dhr.bos" actie "pester_aanpakken" uitvoert met "pester=Leerling-Daan;groep_pester=8a;motivering=filmde het"
    Dan heeft elke dader een eigen gekoppelde zaak: Leerling-Bram en Leerling-Daan
