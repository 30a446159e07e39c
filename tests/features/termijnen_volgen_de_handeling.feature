# language: nl
Functionaliteit: Termijnen volgen de handeling, niet wat er werd getypt (issue 23)
  Een besluit kan niet verzonden zijn voordat de brief bestaat; een opnieuw verzonden besluit
  verplaatst de termijnen die vanaf de verzending lopen; en of iets "binnen de termijn" gebeurt,
  hangt af van het moment van de handeling, niet van de vraag of de timerworker al heeft gedraaid.

  Scenario: Een schorsingsbrief kan niet verzonden zijn vóór de dag waarop hij is gemaakt (Awb 3:41)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-vonk" is een openbare po-school
    En het is 2026-12-03
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "de-vonk"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    # de brief wordt gemaakt op zondag 6 december 2026: een verzenddatum daarvoor kan niet
    En het is 2026-12-06
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-20;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "sent_before_letter"
    En noemt de fout "Datum van verzending of uitreiking van het schorsingsbesluit"
    En noemt de fout "een besluit kan niet verzonden zijn voordat de brief is gemaakt (6-12-2026)"
    En staat de zaak nog in stap "schorsing" met 2 gebeurtenissen
    # ook de dag ervoor (zaterdag 5 december) niet
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-05;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "sent_before_letter"
    # de dag van de brief zelf mag: uitgereikt op zondag 6 december 2026. De bezwaartermijn
    # begint de dag erna, maandag 7 december (Awb 6:8); zes weken later is zondag 17 januari 2027;
    # Atw art. 1: naar maandag 18 januari 2027 (geen feestdag)
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-06;wijze_van_verzending=uitgereikt"
    Dan heeft de termijn "bezwaartermijn_schorsing" einddatum "2027-01-18" en status "open"
    En staat in de brief "18 januari 2027"
    # een ontvangstdatum mag wel in het verleden liggen: op woensdag 9 december 2026 legt het bevoegd
    # gezag vast dat het bezwaarschrift dinsdag 8 december binnenkwam. De beslistermijn (Awb 7:10 lid 1)
    # telt zes weken na het einde van de bezwaartermijn, maandag 18 januari 2027: maandag 1 maart 2027
    Als het is 2026-12-09
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_schorsing_ontvangen" uitvoert met "bezwaar_schorsing_ontvangen_op=2026-12-08"
    Dan heeft de termijn "beslissing_op_bezwaar_schorsing" einddatum "2027-03-01" en status "open"
    En klopt de controle van de hashketen

  Scenario: Een verzenddatum ligt ten hoogste twee weken na de dag waarop de brief is gemaakt
    # De bezwaartermijn loopt vanaf de verzending (Awb 6:8): een verre verzenddatum zou hem parkeren.
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-vonk" is een openbare po-school
    En het is 2026-12-03
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "de-vonk"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    En het is 2026-12-06
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2027-03-01;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "sent_too_late"
    En noemt de fout "ligt te ver vooruit"
    En noemt de fout "uiterlijk 20-12-2026"
    # geen datum ligt meer dan een jaar vooruit (6 december 2026 + 366 dagen: 7 december 2027)
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2099-12-06;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "ligt meer dan een jaar vooruit; vul een datum tot en met 07-12-2027 in"
    # een jaartal buiten de kalender: een duidelijke fout, geen storing
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=9999-12-31;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "het jaar 9999 kan niet"
    # vijftien dagen na zondag 6 december (maandag 21 december) is te laat
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-21;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "sent_too_late"
    En staat de zaak nog in stap "schorsing" met 2 gebeurtenissen
    # veertien dagen erna, zondag 20 december 2026, mag: de bezwaartermijn begint maandag 21 december
    # (Awb 6:8); zes weken later is zondag 31 januari 2027; Atw art. 1: maandag 1 februari 2027
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-20;wijze_van_verzending=aangetekend"
    Dan heeft de termijn "bezwaartermijn_schorsing" einddatum "2027-02-01" en status "open"
    En klopt de controle van de hashketen

  Scenario: Een opnieuw verzonden besluit tot verwijdering verplaatst de bezwaartermijn en de beslistermijn (Awb 6:8, 7:10)
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-vonk" is een openbare po-school
    En het is 2026-11-30
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Vink" op school "de-vonk"
    # besluit verzonden donderdag 3 december 2026: de bezwaartermijn loopt van vrijdag 4 december
    # zes weken tot donderdag 14 januari 2027 (geen weekend of feestdag, dus geen Atw-verlenging).
    # De beslistermijn van Awb 7:10 begint pas als er bezwaar is gemaakt (protocolversie 4).
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-12-03
    Dan heeft de termijn "bezwaartermijn" einddatum "2027-01-14" en status "open"
    En staat in de brief "14 januari 2027"
    # de eerste brief kwam niet aan; dinsdag 8 december 2026 wordt het besluit opnieuw gemaakt en
    # woensdag 9 december verzonden: de bezwaartermijn loopt nu van donderdag 10 december zes weken
    # tot woensdag 20 januari 2027 (geen Atw-verlenging); er loopt één termijn, niet twee
    Als het is 2026-12-08
    En de "bevoegd_gezag" "mevr.raad" brief "besluit_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=K. Raad;functie_ondertekenaar=bestuurder;verwijderingsbesluit_verzonden_op=2026-12-09;wijze_van_verzending=aangetekend"
    Dan heeft de termijn "bezwaartermijn" einddatum "2027-01-20" en status "open"
    En loopt er precies 1 termijn "bezwaartermijn"
    En staat in de brief "20 januari 2027"
    En staat niet in de brief "14 januari 2027"
    En verplaatst de laatste gebeurtenis "bezwaartermijn" van "2027-01-14" naar "2027-01-20"
    En toont het verloop "termijn verplaatst door nieuwe verzending: Einde bezwaartermijn van 14 januari 2027 naar 20 januari 2027"
    En klopt de controle van de hashketen
    En geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak
    # de timer loopt op zijn nieuwe moment af: vrijdag 15 januari 2027 is de oude termijn voorbij,
    # de nieuwe niet
    Als de tijd verstrijkt tot 2027-01-16
    Dan heeft de termijn "bezwaartermijn" einddatum "2027-01-20" en status "open"
    # bezwaar ontvangen maandag 18 januari 2027, binnen de verplaatste termijn. Awb 7:10 lid 1:
    # zes weken na afloop van de bezwaartermijn (woensdag 20 januari), dus van donderdag
    # 21 januari tot en met woensdag 3 maart 2027 (geen weekend of feestdag)
    Als de tijd verstrijkt tot 2027-01-18
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2027-01-18"
    Dan heeft de termijn "bezwaartermijn" einddatum "2027-01-20" en status "vervuld"
    En heeft de termijn "beslissing_op_bezwaar_awb" einddatum "2027-03-03" en status "open"

  Scenario: Een uitstel 24 dagen na de zes weken wordt geweigerd, ook als de timerworker niet heeft gedraaid (regeling 2016, art. 7 lid 2 en art. 9 lid 1 onder b)
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-10-12
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Specht" op school "bestuursbureau"
    # ontvangen maandag 12 oktober 2026; zes weken (beleidstermijn, kalender) lopen van dinsdag
    # 13 oktober tot en met maandag 23 november 2026
    En de melding is vastgelegd op 2026-10-12
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    Dan heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-11-23" en status "open"
    # op de laatste dag zelf mag uitstel nog
    Als het is 2026-11-23
    Dan mag de "bevoegd_gezag" nu "standpunt_uitstellen, standpunt_geven, mondelinge_melding_vastleggen"
    # 24 dagen na 23 november: donderdag 17 december 2026; niemand liet de timer lopen
    Als het is 2026-12-17
    Dan heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-11-23" en status "open"
    En mag de "bevoegd_gezag" nu "standpunt_geven, mondelinge_melding_vastleggen"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_uitstellen" uitvoert met "motivering=te laat;nieuwe_termijn=2027-01-29"
    Dan wordt de actie geweigerd met "guard_failed"
    En staat de zaak nog in stap "onderzoek" met 3 gebeurtenissen
    Als de "melder" "melder" actie "extern_melden" uitvoert met "motivering=geen standpunt binnen zes weken"
    Dan staat de zaak in stap "extern_gemeld"
    En klopt de controle van de hashketen
    En geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak

  Scenario: Een uitstel dat binnen de zes weken is gedaan maar later is vastgelegd, telt op zijn eigen moment
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-10-12
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Specht" op school "bestuursbureau"
    En de melding is vastgelegd op 2026-10-12
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    # het uitstel ging vrijdag 20 november 2026 naar de melder (binnen de zes weken tot en met
    # 23 november) en wordt donderdag 17 december vastgelegd, gedateerd op 20 november
    En het is 2026-12-17
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_uitstellen" uitvoert met "motivering=getuigen onbereikbaar;nieuwe_termijn=2027-01-29" per 2026-11-20
    Dan heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-11-23" en status "vervuld"
    En is de laatste gebeurtenis pas na de termijn "standpunt_binnen_zes_weken" vastgelegd
    Als de "melder" "melder" actie "extern_melden" uitvoert met "motivering=duurt te lang"
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: Een AVG-verlenging zes dagen na de maand wordt geweigerd, ook als de timerworker niet heeft gedraaid (AVG art. 12 lid 3)
    Gegeven het protocol "inzageverzoek" is geladen
    En het is 2026-01-05
    En een zaak volgens "inzageverzoek" voor leerling "Leerling-Kwak" op school "de-linde"
    # ontvangen maandag 5 januari 2026; een maand later is donderdag 5 februari 2026, einde van die dag
    Als de "privacyfunctionaris" "dhr.privacy" actie "registreren" uitvoert met "ontvangen_op=2026-01-05"
    Dan heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "open"
    # zes dagen na de maand: woensdag 11 februari 2026
    Als het is 2026-02-11
    En de "privacyfunctionaris" "dhr.privacy" actie "verlengen" uitvoert met "motivering=veel gegevens"
    Dan wordt de actie geweigerd met "guard_failed"
    En staat de zaak nog in stap "in_behandeling" met 2 gebeurtenissen
    Als de "privacyfunctionaris" "dhr.privacy" actie "beantwoorden" uitvoert met "motivering=export verstrekt"
    Dan heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "te laat vervuld"
