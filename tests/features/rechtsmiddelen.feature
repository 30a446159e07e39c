# language: nl
Functionaliteit: Rechtsmiddelen zijn sporen van de zaak (issue 23)
  Een bezwaar, een verzoek aan de Geschillencommissie passend onderwijs of een beroep heeft een
  eigen termijn die begint wanneer het besluit is verzonden en loopt, los van de stappen, tot het
  rechtsmiddel is ingediend en beslist of de termijn ongebruikt is verstreken. De beslisplicht
  begint pas bij een ingediend bezwaar: Awb 7:10 lid 1 telt zes weken (twaalf met een
  adviescommissie, art. 7:13) vanaf de dag na het einde van de bezwaartermijn zoals de Atw die
  verlengt; verdaging met zes weken kan eenmaal (art. 7:10 lid 3). Zolang de Geschillencommissie
  niet heeft geoordeeld, is de beslistermijn op het bezwaar opgeschort.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2025-12-01

  Scenario: Bezwaar tegen een verwijdering verzonden op zaterdag 6 december 2025: beslissen uiterlijk maandag 2 maart 2026
    # verzonden za 6-12-2025; de bezwaartermijn begint zo 7-12 (Awb 6:8); zes weken na za 6-12 is
    # za 17-1-2026; de Atw (art. 1) verlengt tot ma 19-1-2026 (art. 2: er zitten ruim twee werkdagen in).
    # Awb 7:10 lid 1: zes weken vanaf de dag na 19-1, dus vanaf di 20-1: ma 2-3-2026, een werkdag.
    # (Twaalf weken kalender na za 6-12 zou za 28-2-2026 zijn: twee dagen te vroeg.)
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Dan heeft de termijn "bezwaartermijn" kalendereinde "2026-01-17" en einddatum "2026-01-19"
    En is er geen termijn "beslissing_op_bezwaar_awb"
    Als het is 2026-01-10
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-10"
    Dan heeft de termijn "bezwaartermijn" einddatum "2026-01-19" en status "vervuld"
    En heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-03-02" en status "open"
    En is er geen termijn "beslissing_op_bezwaar"

  Scenario: Verdaging schuift de beslistermijn eenmaal zes weken op (Awb 7:10 lid 3)
    # beslistermijn ma 2-3-2026 (zie hierboven); zes weken later is ma 13-4-2026 (tweede paasdag is
    # ma 6-4, niet 13-4): een werkdag, de Atw verlengt niet. Een tweede verdaging wordt geweigerd.
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als het is 2026-01-10
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-10"
    En het is 2026-02-20
    En de "bevoegd_gezag" "mevr.raad" actie "beslissing_op_bezwaar_verdagen" uitvoert met "motivering=het horen van de ouders vraagt meer tijd"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-04-13" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "beslissing_op_bezwaar_verdagen" uitvoert met "motivering=nog eens"
    Dan wordt de actie geweigerd met "guard_failed"
    En heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-04-13" en status "open"

  Scenario: Met een adviescommissie beslist het bevoegd gezag binnen twaalf weken (Awb 7:10 lid 1, 7:13)
    # einde bezwaartermijn ma 19-1-2026; twaalf weken vanaf di 20-1 eindigen op ma 13-4-2026, een werkdag
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als het is 2026-01-10
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-10;adviescommissie_bezwaren=ja"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-04-13" en status "open"

  Scenario: Zonder bezwaar verstrijkt de bezwaartermijn en verloopt er geen beslisplicht
    # bezwaartermijn tot en met ma 19-1-2026; daarna is het spoor klaar: geen beslistermijn, niets verlopen
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als de tijd verstrijkt tot 2026-04-01
    Dan heeft de termijn "bezwaartermijn" einddatum "2026-01-19" en status "verstreken"
    En heeft de termijn "termijn_geschillencommissie" einddatum "2026-01-19" en status "verstreken"
    En is er geen termijn "beslissing_op_bezwaar_awb"
    Als de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ongegrond" uitvoert met "motivering=x"
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: Een bezwaar na de termijn, nog voor de timer draaide, is een te laat bezwaar (Awb 6:11), geen geweigerde actie
    # bezwaartermijn tot en met ma 19-1-2026 (zie boven). Op wo 21-1-2026 komt het bezwaar binnen; de
    # timerworker heeft het einde nog niet vastgelegd. Op het moment van de handeling is de termijn
    # verstreken, precies zoals na de worker: het bezwaar wordt vastgelegd als te laat.
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als het is 2026-01-21
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-21"
    Dan heeft de termijn "bezwaartermijn" einddatum "2026-01-19" en status "te laat vervuld"

  Scenario: De bezwaartermijn tegen een schorsing loopt door nadat de schorsing is geëindigd
    # uitgereikt ma 23-11-2026; de termijn begint di 24-11; zes weken na ma 23-11 is ma 4-1-2027, een
    # werkdag (geen Atw-verlenging). De schorsing van drie schooldagen (ma 23, di 24, wo 25-11) eindigt
    # na woensdag 25-11; de zaak gaat terug naar stap 4, de bezwaartermijn loopt door tot 4-1-2027.
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als het is 2026-11-23
    En de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=3 schooldagen"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "uiterlijk op 4 januari 2027"
    Als de tijd verstrijkt tot 2026-11-26
    Dan staat de zaak in stap "school_en_ouders"
    En heeft de termijn "einde_schorsing" status "uitgevoerd"
    En heeft de termijn "bezwaartermijn_schorsing" einddatum "2027-01-04" en status "open"

  Scenario: Een zaak sluit niet af terwijl een bezwaartermijn loopt, tenzij de reden is vastgelegd
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als het is 2026-11-23
    En de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=3 schooldagen"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    En de tijd verstrijkt tot 2026-11-26
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt"
    Dan wordt de actie geweigerd met "remedy_running"
    En noemt de fout "Einde bezwaartermijn tegen de schorsing"
    En noemt de fout "2027-01-04"
    En staat de zaak in stap "school_en_ouders"
    Als de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt;motivering_rechtsmiddel=ouders zien schriftelijk af van bezwaar"
    Dan is de zaak afgesloten
    En heeft de termijn "bezwaartermijn_schorsing" status "geannuleerd"

  Scenario: Na het verstrijken van de bezwaartermijn sluit de zaak gewoon af; een reden is dan niet op zijn plaats
    # de bezwaartermijn tegen de schorsing (uitgereikt ma 23-11-2026) eindigt ma 4-1-2027
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als het is 2026-11-23
    En de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=3 schooldagen"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    En de tijd verstrijkt tot 2027-01-05
    Dan heeft de termijn "bezwaartermijn_schorsing" einddatum "2027-01-04" en status "verstreken"
    En is er geen termijn "beslissing_op_bezwaar_schorsing"
    Als de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt;motivering_rechtsmiddel=overbodig"
    Dan wordt de actie geweigerd met "invalid_input"
    Als de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt"
    Dan is de zaak afgesloten

  Scenario: Een verzoek aan de Geschillencommissie schort de beslissing op het bezwaar op
    # bezwaar ontvangen za 10-1-2026, beslistermijn tot ma 2-3-2026 (eerste dag di 20-1-2026).
    # Verzoek aan de commissie ma 12-1-2026: de beslistermijn staat stil vanaf de eerste dag van die
    # termijn (di 20-1) tot het oordeel van di 10-3-2026: 31 + 18 = 49 dagen; na 2-3-2026 verloopt er
    # niets. 2-3-2026 + 49 dagen = ma 20-4-2026, een werkdag (tweede paasdag is ma 6-4).
    # Het oordeel zelf: tien weken na ma 12-1 is ma 23-3-2026 (kalender).
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als het is 2026-01-12
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-10"
    En de "bevoegd_gezag" "mevr.raad" actie "geschillencommissie_verzoek_ingediend" uitvoert met "geschillencommissie_verzoek_op=2026-01-12"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-03-02" en status "opgeschort"
    En heeft de termijn "oordeel_geschillencommissie" einddatum "2026-03-23" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ongegrond" uitvoert met "motivering=te vroeg"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "opgeschort"
    Als de tijd verstrijkt tot 2026-03-10
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-03-02" en status "opgeschort"
    Als de "bevoegd_gezag" "mevr.raad" actie "oordeel_geschillencommissie_ontvangen" uitvoert met "oordeel_geschillencommissie_op=2026-03-10;motivering=verwijdering gerechtvaardigd"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-04-20" en status "open"
    En heeft de termijn "oordeel_geschillencommissie" status "vervuld"
    Als de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ongegrond" uitvoert met "motivering=oordeel gevolgd"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" status "vervuld"

  Scenario: Een laat verzoek aan de Geschillencommissie schort een al verlopen beslistermijn niet op
    # bezwaar ontvangen za 10-1-2026: beslissen uiterlijk ma 2-3-2026 (zie boven). Het verzoek aan de
    # commissie komt ma 6-4-2026 binnen, vijf weken na die dag; de timerworker heeft het verlopen nog
    # niet vastgelegd. Op het moment van de handeling is de beslistermijn al voorbij: hij blijft
    # verlopen en wordt niet opgeschort (gevonden in de review).
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2025-12-06
    Als het is 2026-01-12
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-01-10"
    Als het is 2026-04-06
    En de "bevoegd_gezag" "mevr.raad" actie "geschillencommissie_verzoek_ingediend" uitvoert met "geschillencommissie_verzoek_op=2026-04-06"
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-03-02" en status "open"
    Als de tijd verstrijkt tot 2026-04-07
    Dan heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2026-03-02" en status "verlopen"
