# language: nl
Functionaliteit: Juridisch juist, tweede ronde (issue 23)
  Onverwijld aangifte als streefdatum, de schorsing van ten hoogste een week in kalendertijd,
  schorsingen na elkaar, het mandaat van de directeur, de meerderjarige leerling, de
  leerplichtambtenaar, de verlenging en weigering van inzage, en het bewaren van besluiten
  zonder brief. Elke datum is hieronder met de hand uitgerekend.

  Scenario: Na een redelijk vermoeden doet het bevoegd gezag onverwijld aangifte: streefdatum de eerstvolgende werkdag (WPO art. 4a; seed 004 regel 1455)
    Gegeven het protocol "meldplicht-misbruik" is geladen
    En het is 2026-06-12
    En een zaak volgens "meldplicht-misbruik" voor leerling "Leerling-Wouw" op school "de-linde"
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=leerling vertelt over aanraking"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=redelijk vermoeden"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:ja" uitvoert met "motivering=redelijk vermoeden vastgesteld"
    # besluit op vrijdag 12 juni 2026; za 13 en zo 14 zijn geen werkdagen; de eerstvolgende
    # werkdag is maandag 15 juni 2026 (een streefdatum: 'onverwijld' kent geen vast aantal dagen)
    Dan heeft de termijn "aangifte_onverwijld" einddatum "2026-06-15" en status "open"
    # dinsdag 16 juni is de streefdatum voorbij: het bevoegd gezag wordt gewaarschuwd
    Als de tijd verstrijkt tot 2026-06-16
    Dan heeft de termijn "aangifte_onverwijld" einddatum "2026-06-15" en status "verlopen"
    Als de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie, afdeling zeden;betrokkenen_geinformeerd=ja"
    Dan heeft de termijn "aangifte_onverwijld" einddatum "2026-06-15" en status "te laat vervuld"
    En staat de zaak in stap "vervolg"

  Scenario: Aangifte op de eerstvolgende werkdag vervult de plicht op tijd
    Gegeven het protocol "meldplicht-misbruik" is geladen
    En het is 2026-06-12
    En een zaak volgens "meldplicht-misbruik" voor leerling "Leerling-Wouw" op school "de-linde"
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=signaal"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=redelijk vermoeden"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:ja" uitvoert met "motivering=redelijk vermoeden"
    # maandag 15 juni 2026 is de streefdatum zelf: op tijd
    Als het is 2026-06-15
    En de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie;betrokkenen_geinformeerd=ja"
    Dan heeft de termijn "aangifte_onverwijld" einddatum "2026-06-15" en status "vervuld"

  Scenario: Vijf schooldagen over de herfstvakantie duren langer dan een week en worden geweigerd (WPO art. 40c lid 1)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-10-14
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    # regio midden, herfstvakantie 2026 (holidays 0.109): zaterdag 17 t/m zondag 25 oktober.
    # vijf schooldagen vanaf donderdag 15 oktober: do 15 (1), vr 16 (2), dan vakantie,
    # ma 26 (3), di 27 (4), wo 28 oktober (5): 14 kalenderdagen. Een week vanaf do 15 oktober
    # (de eerste dag telt mee) eindigt op woensdag 21 oktober.
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-10-15;schorsing_duur=5 schooldagen"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "schorsing_duur"
    En noemt de fout "2026-10-28"
    En noemt de fout "2026-10-21"
    En staat de zaak nog in stap "ik_kan_het_zelf" met 1 gebeurtenis
    # een week vanaf donderdag 15 oktober: tot en met woensdag 21 oktober
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-10-15;schorsing_duur=1 week"
    Dan heeft de termijn "einde_schorsing" einddatum "2026-10-21" en status "open"

  Scenario: Vijf schooldagen buiten een vakantie blijven binnen de week
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-02
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    # maandag 2 t/m vrijdag 6 november 2026: vijf schooldagen, binnen een week (t/m zondag 8 november)
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-02;schorsing_duur=5 schooldagen"
    Dan heeft de termijn "einde_schorsing" einddatum "2026-11-06" en status "open"

  Scenario: Een tweede schorsing in dezelfde zaak gaat door, met een waarschuwing (WPO art. 40c lid 1; seed 004 regel 1278 en 1292)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Dan waarschuwt de actie "schorsen" voor de "directeur" niet
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" actie "schorsing_beeindigen" uitvoert
    Dan waarschuwt de actie "schorsen" voor de "directeur" met "Deze leerling is in deze zaak al eerder geschorst. Een schorsing duurt ten hoogste één week (WPO art. 40c lid 1); schorsingen na elkaar mogen dat maximum niet verlengen. Overweeg stap 7 (verwijdering) en leg vast waarom opnieuw schorsen nodig is."
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=opnieuw geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-24;schorsing_duur=1 dag"
    Dan is de handeling vastgelegd met de waarschuwing "Deze leerling is in deze zaak al eerder geschorst. Een schorsing duurt ten hoogste één week (WPO art. 40c lid 1); schorsingen na elkaar mogen dat maximum niet verlengen. Overweeg stap 7 (verwijdering) en leg vast waarom opnieuw schorsen nodig is."
    En staat de zaak in stap "schorsing"

  Scenario: De directeur van een openbare school ondertekent het schorsingsbesluit in mandaat (Awb 10:10)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "Namens het bevoegd gezag, Stichting Proef, P. Bos"
    En staat in de PDF van de brief "Algemene wet bestuursrecht artikel 10:10"

  Scenario: Op een bijzondere school is het schorsingsbesluit geen Awb-besluit: geen mandaatvermelding
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "P. Bos"
    En staat niet in de brief "10:10"
    En staat niet in de brief "Namens het bevoegd gezag"

  Scenario: Het bevoegd gezag zelf ondertekent het besluit tot verwijdering: geen mandaat
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-24
    En school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Dan staat in de PDF van de brief "K. Raad"
    En staat niet in de brief "10:10"

  Scenario: Een meerderjarige vo-leerling krijgt de brief zelf; de ouders alleen een afschrift met zijn instemming (BW 1:233, 1:245)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-lyceum" is een bijzondere vo-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Roos" op school "het-lyceum"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt;leerling_meerderjarig=ja"
    Dan staat in de PDF van de brief "Aan Leerling-Roos"
    En staat in de PDF van de brief "Beste leerling,"
    En staat niet in de brief "ouder(s)/verzorger(s)"

  Scenario: Met instemming van de meerderjarige leerling gaat een afschrift naar de ouders
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-lyceum" is een bijzondere vo-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Roos" op school "het-lyceum"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt;leerling_meerderjarig=ja;afschrift_aan_ouders=ja"
    Dan staat in de PDF van de brief "Aan Leerling-Roos"
    En staat in de PDF van de brief "Afschrift aan de ouder(s)/verzorger(s) van Leerling-Roos, met instemming van Leerling-Roos"

  Scenario: Een minderjarige vo-leerling: de brief gaat aan de leerling en de ouders
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23
    En school "het-lyceum" is een bijzondere vo-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Roos" op school "het-lyceum"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "Aan Leerling-Roos en de ouder(s)/verzorger(s)"
    En staat in de PDF van de brief "Beste leerling, geachte ouder(s)/verzorger(s)"

  Scenario: De brief over de definitieve verwijdering zegt pas dat de leerplichtambtenaar is geïnformeerd als dat is vastgelegd (Leerplichtwet 1969 art. 18)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-24
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Als de "bevoegd_gezag" "mevr.raad" actie "andere_school_gevonden" uitvoert met "motivering=De Wilg laat toe;motivering_rechtsmiddel=de ouders zien schriftelijk af van bezwaar"
    En de "bevoegd_gezag" "mevr.raad" brief "definitieve_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens"
    Dan staat in de PDF van de brief "meldt de uitschrijving van Leerling-Uil aan de leerplichtambtenaar"
    En staat niet in de brief "leerplichtambtenaar is"

  Scenario: Vastgelegd dat de leerplichtambtenaar is geïnformeerd: de brief zegt het, met de datum
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-24
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Als de "bevoegd_gezag" "mevr.raad" actie "andere_school_gevonden" uitvoert met "motivering=De Wilg laat toe;motivering_rechtsmiddel=de ouders zien schriftelijk af van bezwaar"
    En de "bevoegd_gezag" "mevr.raad" brief "definitieve_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;leerplichtambtenaar_geinformeerd_op=2026-03-24"
    Dan staat in de PDF van de brief "De leerplichtambtenaar is op 24 maart 2026 geïnformeerd"
    En staat niet in de brief "meldt de uitschrijving"

  Scenario: De verzoeker krijgt een brief over de verlenging met de reden en de nieuwe uiterste datum (AVG art. 12 lid 3)
    Gegeven het protocol "inzageverzoek" is geladen
    En het is 2026-01-05
    En een zaak volgens "inzageverzoek" voor leerling "Leerling-Reiger" op school "de-linde"
    Als de "privacyfunctionaris" "dhr.privacy" actie "registreren" uitvoert met "ontvangen_op=2026-01-05"
    # ontvangen maandag 5 januari 2026; verlengd op dinsdag 20 januari, binnen de eerste maand
    # (die loopt tot en met donderdag 5 februari); drie maanden na 5 januari is zondag 5 april 2026
    En het is 2026-01-20
    En de "privacyfunctionaris" "dhr.privacy" actie "verlengen" uitvoert met "motivering=veel gegevens over meerdere jaren"
    En de "privacyfunctionaris" "dhr.privacy" brief "verlenging" maakt met "geadresseerde_naam=Mevr. de Boer;geadresseerde_adres=Postbus 42, 9700 AB Groningen;ondertekenaar=A. Privé;functie_ondertekenaar=privacyfunctionaris"
    Dan staat in de PDF van de brief "Op 5 januari 2026 hebben wij uw verzoek ontvangen"
    En staat in de PDF van de brief "veel gegevens over meerdere jaren"
    En staat in de PDF van de brief "uiterlijk op 5 april 2026"
    En staat in de PDF van de brief "AVG artikel 12 lid 3"

  Scenario: Inzage geweigerd, met redenen, klacht bij de Autoriteit Persoonsgegevens, de rechter en bij een openbare school bezwaar (AVG art. 12 lid 4, 15 lid 4; UAVG art. 34)
    Gegeven het protocol "inzageverzoek" is geladen
    En het is 2026-01-05
    En school "de-linde" is een openbare po-school
    En een zaak volgens "inzageverzoek" voor leerling "Leerling-Reiger" op school "de-linde"
    Als de "privacyfunctionaris" "dhr.privacy" actie "registreren" uitvoert met "ontvangen_op=2026-01-05"
    En het is 2026-01-21
    En de "directeur" "dhr.bos" actie "inzage_weigeren" uitvoert met "weigeringsgrond=rechten_van_anderen;motivering=het dossier bestaat uit meldingen over andere leerlingen"
    Dan staat de zaak in stap "geweigerd"
    En heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "vervuld"
    # verzonden woensdag 21 januari 2026; zes weken later is woensdag 4 maart 2026, een werkdag
    Als de "directeur" "dhr.bos" brief "weigering_inzage" maakt met "geadresseerde_naam=Mevr. de Boer;geadresseerde_adres=Postbus 42, 9700 AB Groningen;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;besluit_verzonden_op=2026-01-21;wijze_van_verzending=per post"
    Dan staat in de PDF van de brief "AVG artikel 15 lid 4"
    En staat in de PDF van de brief "meldingen over andere leerlingen"
    En staat in de PDF van de brief "Autoriteit Persoonsgegevens (AVG artikel 77)"
    En staat in de PDF van de brief "rechter (AVG artikel 79)"
    En staat in de PDF van de brief "uiterlijk op 4 maart 2026"
    En staat in de PDF van de brief "Algemene wet bestuursrecht artikel 10:10"
    En heeft de termijn "bezwaartermijn_weigering" einddatum "2026-03-04" en status "open"

  Scenario: Twee schorsingen zonder brief: de zaak blijft twee jaar na afsluiten bewaard, ook na vertrek
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En school "de-linde" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=Mees sloeg;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" actie "schorsing_beeindigen" uitvoert
    En het is 2026-03-09
    En de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=Mees sloeg weer;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-09;schorsing_duur=1 dag"
    En het is 2026-03-10
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gestopt"
    En de school "de-linde" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-03-20
    # op de vertrekdag (vrijdag 20 maart 2026) en de dag erna blijft de zaak: er is een besluit
    En de tijd verstrijkt tot 2026-03-21
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    # afgesloten dinsdag 10 maart 2026; twee jaar later: vrijdag 10 maart 2028 (laatste dag)
    Als de tijd verstrijkt tot 2028-03-10
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2028-03-11
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
