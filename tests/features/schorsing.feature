# language: nl
Functionaliteit: Schorsing volgens het stappenplan grensoverschrijdend gedrag
  Bijlage 4, stap 6: een schorsing duurt ten hoogste één week, het bevoegd gezag stemt vooraf
  in, de inspectie wordt vanaf de tweede dag geïnformeerd en op een beroep van de ouders
  beslist het bevoegd gezag binnen 14 dagen.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"

  Scenario: Een zeer ernstig incident leidt direct tot schorsing
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld op het plein;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "goedkeuring_bevoegd_gezag"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    Dan staat de zaak in stap "schorsing"
    En heeft de termijn "einde_schorsing" einddatum "2026-03-08" en status "open"
    En heeft de termijn "inspectie_geinformeerd" einddatum "2026-03-03" en status "open"
    En heeft de termijn "ouders_schriftelijk_geinformeerd" einddatum "2026-03-02" en status "open"

  Scenario: De inspectie niet op tijd geïnformeerd
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de tijd verstrijkt tot 2026-03-04
    Dan heeft de termijn "inspectie_geinformeerd" einddatum "2026-03-03" en status "verlopen"
    En is de laatste gebeurtenis "deadline_overdue" door "systeem"
    Als de "directeur" "dhr.bos" actie "inspectie_geinformeerd" uitvoert
    Dan heeft de termijn "inspectie_geinformeerd" einddatum "2026-03-03" en status "te laat vervuld"

  Scenario: De beslissing op het beroep wacht op het beroep en overleeft het einde van de schorsing
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    Dan mag de "bevoegd_gezag" nu "inspectie_geinformeerd"
    # zonder verzonden besluit loopt er geen beroepstermijn
    Als de "bevoegd_gezag" "mevr.raad" actie "beroep_ontvangen" uitvoert met "beroep_ontvangen_op=2026-03-02"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "beroeptermijn_schorsing"
    # het besluit wordt maandag 2 maart 2026 uitgereikt; de beroepstermijn (bijzondere school) begint
    # dinsdag 3 maart en eindigt zes weken later op maandag 13 april 2026 (geen feestdag: tweede
    # paasdag is 6 april)
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    Dan heeft de termijn "beroeptermijn_schorsing" einddatum "2026-04-13" en status "open"
    En mag de "bevoegd_gezag" nu "beroep_ontvangen, inspectie_geinformeerd"
    Als de "bevoegd_gezag" "mevr.raad" actie "beroep_beslissen" uitvoert met "motivering=te vroeg"
    Dan wordt de actie geweigerd met "guard_failed"
    # het beroep komt woensdag 4 maart binnen; veertien dagen daarna is woensdag 18 maart 2026
    Als het is 2026-03-05
    En de "bevoegd_gezag" "mevr.raad" actie "beroep_ontvangen" uitvoert met "beroep_ontvangen_op=2026-03-04"
    Dan heeft de termijn "beslissing_op_beroep" einddatum "2026-03-18" en status "open"
    En heeft de termijn "beroeptermijn_schorsing" status "vervuld"
    Als de tijd verstrijkt tot 2026-03-10
    Dan staat de zaak in stap "school_en_ouders"
    En heeft de termijn "einde_schorsing" einddatum "2026-03-08" en status "uitgevoerd"
    En heeft de termijn "beslissing_op_beroep" einddatum "2026-03-18" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "beroep_beslissen" uitvoert met "motivering=beroep ongegrond, de schorsing blijft"
    Dan heeft de termijn "beslissing_op_beroep" einddatum "2026-03-18" en status "vervuld"

  Scenario: Een zaak die sluit, laat geen wachtende termijnen achter
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt"
    Dan wordt de actie geweigerd met "remedy_running"
    Als de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt;motivering_rechtsmiddel=de ouders zien af van beroep"
    Dan is de zaak afgesloten
    En heeft de termijn "beroeptermijn_schorsing" status "geannuleerd"
    En heeft de termijn "inspectie_geinformeerd" einddatum "2026-03-03" en status "open"
