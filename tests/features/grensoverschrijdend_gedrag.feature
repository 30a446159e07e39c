# language: nl
Functionaliteit: Stappenplan grensoverschrijdend gedrag (Bijlage 4)
  Zeven stappen; een ernstig incident gaat direct naar time-out of schorsing; afsluiten kan
  bij elke stap tot en met de schorsing zodra het gedrag is gestopt.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En school "de-linde" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Vink" op school "de-linde"

  Scenario: De stappen 1 tot en met 4 in volgorde, dan afsluiten met een motivering
    Als de "leerkracht" "juf.anna" actie "hulp_vragen" uitvoert
    En de "leerkracht" "juf.anna" actie "samen_oplossen" uitvoert met "motivering=gesprek met beide leerlingen"
    En de "leerkracht" "juf.anna" actie "ouders_betrekken" uitvoert met "motivering=pesten houdt aan;afspraken=dagelijks contact"
    Dan staat de zaak in stap "school_en_ouders"
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert
    Dan wordt de actie geweigerd met "missing_input"
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert met "motivering=het pesten is gestopt"
    Dan staat de zaak in stap "afgesloten"

  Scenario: Een stap overslaan kan niet
    Als de "leerkracht" "juf.anna" actie "ouders_betrekken" uitvoert met "motivering=x;afspraken=y"
    Dan wordt de actie geweigerd met "transition_not_allowed"
    En noemt de fout "hulp_vragen"

  Scenario: Time-out bij een ernstig incident: alleen met goedkeuring van de directeur, eindigt vanzelf na vijf dagen (seed 004 regel 1270)
    Als de "leerkracht" "juf.anna" actie "time_out_instellen" uitvoert met "motivering=schoppen;akkoord_directeur=ja;leerling_blijft_op_school=ja"
    Dan wordt de actie geweigerd met "permission_denied"
    Als de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=schoppen;leerling_blijft_op_school=ja"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "akkoord_directeur"
    Als de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=schoppen;akkoord_directeur=ja;leerling_blijft_op_school=ja;time_out_duur=5 dagen"
    Dan staat de zaak in stap "time_out"
    # vijf dagen, de eerste dag meegerekend: maandag 2 tot en met vrijdag 6 maart 2026
    En heeft de termijn "einde_time_out" einddatum "2026-03-06" en status "open"
    En heeft de termijn "ouders_direct_geinformeerd_time_out" einddatum "2026-03-02" en status "open"
    Als de tijd verstrijkt tot 2026-03-08
    Dan staat de zaak in stap "school_en_ouders"
    En heeft de termijn "einde_time_out" einddatum "2026-03-06" en status "uitgevoerd"
    En heeft de termijn "ouders_direct_geinformeerd_time_out" einddatum "2026-03-02" en status "verlopen"

  Scenario: Time-out tot het einde van de week (seed 004 regel 1270: "max. tot einde van de week of max. 5 dagen")
    # woensdag 4 maart 2026 is de eerste dag; de laatste schooldag van die week is vrijdag 6 maart
    Gegeven het is 2026-03-04
    Als de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=schoppen;akkoord_directeur=ja;leerling_blijft_op_school=ja;time_out_duur=tot het einde van de week"
    Dan heeft de termijn "einde_time_out" einddatum "2026-03-06" en status "open"
    Als de tijd verstrijkt tot 2026-03-07
    Dan staat de zaak in stap "school_en_ouders"

  Scenario: Een time-out langer dan vijf dagen wordt geweigerd (seed 004 regel 1270)
    Als de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=schoppen;akkoord_directeur=ja;leerling_blijft_op_school=ja;time_out_duur=1 week"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "time_out_duur"

  Scenario: Een time-out buiten de school is een schorsing (seed 004 regel 1271; WPO art. 40c)
    Als de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=naar huis;akkoord_directeur=ja"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "leerling_blijft_op_school"

  Scenario: Beroep tegen de schorsing; het bevoegd gezag beslist binnen 14 dagen
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    # het besluit wordt maandag 2 maart 2026 uitgereikt: de beroepstermijn van de bijzondere school loopt
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    En het is 2026-03-04
    # het beroep komt woensdag 4 maart binnen; veertien dagen daarna is woensdag 18 maart 2026
    En de "directeur" "dhr.bos" actie "beroep_ontvangen" uitvoert met "beroep_ontvangen_op=2026-03-04"
    Dan heeft de termijn "beslissing_op_beroep" einddatum "2026-03-18" en status "open"
    Als de tijd verstrijkt tot 2026-03-19
    Dan heeft de termijn "beslissing_op_beroep" einddatum "2026-03-18" en status "verlopen"

  Scenario: Bezwaar tegen verwijdering: beslissing binnen vier weken na ontvangst, bezwaar gegrond
    Gegeven de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Als de "bevoegd_gezag" "mevr.raad" actie "bezwaar_gegrond" uitvoert met "motivering=x"
    Dan wordt de actie geweigerd met "guard_failed"
    Als het is 2026-04-10
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-04-08"
    Dan heeft de termijn "beslissing_op_bezwaar" einddatum "2026-05-06" en status "open"
    En heeft de termijn "bezwaartermijn" einddatum "2026-05-06" en status "vervuld"
    Als de "bevoegd_gezag" "mevr.raad" actie "bezwaar_gegrond" uitvoert met "motivering=ouders niet goed gehoord"
    Dan staat de zaak in stap "school_en_ouders"
    En heeft de termijn "beslissing_op_bezwaar" einddatum "2026-05-06" en status "vervuld"

  Scenario: Bezwaar ongegrond: de tijdige beslissing vervult de termijn, er volgt geen escalatie (WPO art. 63 lid 3)
    # bezwaar ontvangen woensdag 8 april 2026; vier weken later is woensdag 6 mei 2026
    Gegeven de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Als het is 2026-04-10
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-04-08"
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ongegrond" uitvoert met "motivering=zorgvuldig gehoord, besluit blijft"
    Dan staat de zaak in stap "andere_school_zoeken"
    En heeft de termijn "beslissing_op_bezwaar" einddatum "2026-05-06" en status "vervuld"
    Als de tijd verstrijkt tot 2026-05-07
    Dan heeft de termijn "beslissing_op_bezwaar" einddatum "2026-05-06" en status "vervuld"

  Scenario: Primair onderwijs: zonder een andere school geen definitieve verwijdering (seed 004 regel 1301; WPO art. 40)
    Gegeven de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Dan is er geen termijn "zoektermijn_andere_school"
    Als de tijd verstrijkt tot 2026-05-20
    En de "bevoegd_gezag" "mevr.raad" actie "zonder_andere_school_verwijderen" uitvoert met "acht_weken_gezocht=ja;motivering=geen school gevonden"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "school_sector = vo"
    En staat de zaak in stap "andere_school_zoeken"

  Scenario: Voortgezet onderwijs: acht weken vergeefs gezocht, dan definitief verwijderen (Wet voortgezet onderwijs 2020)
    Gegeven school "het-lyceum" is een bijzondere vo-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Roos" op school "het-lyceum"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    # acht weken na dinsdag 24 maart 2026 is dinsdag 19 mei 2026 (kalender, geen Atw: geen termijn voor de ouders)
    Dan heeft de termijn "zoektermijn_andere_school" einddatum "2026-05-19" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "zonder_andere_school_verwijderen" uitvoert met "acht_weken_gezocht=ja;motivering=te vroeg"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "zoektermijn_andere_school = verlopen"
    Als de tijd verstrijkt tot 2026-05-20
    Dan heeft de termijn "zoektermijn_andere_school" einddatum "2026-05-19" en status "verlopen"
    En heeft de termijn "bezwaartermijn" einddatum "2026-05-06" en status "verstreken"
    Als de "bevoegd_gezag" "mevr.raad" actie "zonder_andere_school_verwijderen" uitvoert met "acht_weken_gezocht=ja;motivering=zes scholen benaderd"
    Dan staat de zaak in stap "verwijderd"
    En is de zaak afgesloten
    Als de "bevoegd_gezag" "mevr.raad" brief "definitieve_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens"
    Dan staat in de PDF van de brief "aantoonbaar acht weken gezocht"
    En staat in de PDF van de brief "Wet voortgezet onderwijs 2020"
    En staat niet in de brief "goede start"

  Scenario: Voortgezet onderwijs: het besluit tot verwijdering pas na overleg met de inspectie
    Gegeven school "het-lyceum" is een openbare vo-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Roos" op school "het-lyceum"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" actie "schorsing_beeindigen" uitvoert
    En de "directeur" "dhr.bos" actie "verwijdering_voorbereiden" uitvoert met "motivering=herhaling"
    En de "directeur" "dhr.bos" actie "voornemen_meedelen" uitvoert met "groepsleraar_gehoord=ja;onderwijskundig_rapport=ja;motivering=voornemen"
    Als de "bevoegd_gezag" "mevr.raad" actie "verwijderen" uitvoert met "ouders_gehoord=ja;motivering=veiligheid"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "inspectie_geraadpleegd"
    Als de "bevoegd_gezag" "mevr.raad" actie "verwijderen" uitvoert met "ouders_gehoord=ja;inspectie_geraadpleegd=onderwijs op het ROC-traject besproken;motivering=veiligheid"
    Dan staat de zaak in stap "andere_school_zoeken"
    # acht weken zoeken na maandag 2 maart 2026: maandag 27 april 2026 (Koningsdag; kalender, geen verlenging)
    En heeft de termijn "zoektermijn_andere_school" einddatum "2026-04-27" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" brief "besluit_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=R. Raad;functie_ondertekenaar=voorzitter college van bestuur;verwijderingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=aangetekend"
    Dan staat in de PDF van de brief "Beste leerling, geachte ouder(s)/verzorger(s)"
    En staat in de PDF van de brief "Wet voortgezet onderwijs 2020"
    En staat in de PDF van de brief "overlegd met de inspectie"
    En staat in de PDF van de brief "acht weken zonder resultaat"
    En staat niet in de brief "WPO"

  Scenario: Van verwijdering afzien
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" actie "schorsing_beeindigen" uitvoert
    En de "directeur" "dhr.bos" actie "verwijdering_voorbereiden" uitvoert met "motivering=herhaling"
    En de "directeur" "dhr.bos" actie "verwijdering_intrekken" uitvoert met "motivering=gedrag verbeterd"
    Dan staat de zaak in stap "school_en_ouders"
    En heeft de termijn "einde_schorsing" einddatum "2026-03-08" en status "geannuleerd"
    Als de "directeur" "dhr.bos" actie "verwijdering_voorbereiden" uitvoert met "motivering=weer geweld"
    En de "directeur" "dhr.bos" actie "time_out_instellen" uitvoert met "motivering=x;akkoord_directeur=ja;leerling_blijft_op_school=ja"
    Dan wordt de actie geweigerd met "transition_not_allowed"

  Scenario: Een incident wordt vastgelegd met de dag waarop het gebeurde, ook als er daarna al iets is vastgelegd
    # De zaak is geopend op donderdag 26 februari 2026; maandag 2 maart vraagt de leerling hulp.
    # Het incident van vrijdag 27 februari wordt daarna vastgelegd met zijn eigen datum: het zet de
    # zaak niet verder en start of sluit geen termijn, dus de volgorde van vastleggen blijft.
    Gegeven het is 2026-02-26
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Specht" op school "de-linde"
    En het is 2026-03-02
    Als de "leerkracht" "juf.anna" actie "hulp_vragen" uitvoert
    En de "leerkracht" "juf.anna" actie "incident_vastleggen" uitvoert met "soort_gedrag=pesten;plaats=plein" per 2026-02-27
    Dan geldt de laatste gebeurtenis vanaf 2026-02-27
    En staat de zaak in stap "ik_vraag_hulp"
    # een handeling die de zaak verder zet, kan niet vóór de vorige worden gedateerd
    Als de "leerkracht" "juf.anna" actie "samen_oplossen" uitvoert met "motivering=gesprek" per 2026-02-27
    Dan wordt de actie geweigerd met "invalid_effective_date"
