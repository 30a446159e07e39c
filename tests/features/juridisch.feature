# language: nl
Functionaliteit: Juridisch juist: maatregelen tellen hun eerste dag mee, termijnen lopen vanaf de verzending
  Een schorsing van ten hoogste een week (WPO art. 40c lid 1; Bijlage 4, stap 6, seed 004 regel
  1278) is de duur van een maatregel: de eerste dag telt mee. Een bezwaartermijn is een termijn
  (Awb 6:7 en 6:8): hij begint op de dag na de verzending of uitreiking van het besluit (Awb 3:41),
  en de Algemene termijnenwet verlengt hem als hij op een weekend- of feestdag eindigt.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-11-23

  Scenario: Een schorsing van één week vanaf maandag 23 november 2026 eindigt op zondag 29 november 2026 (seed 004 regel 1278; WPO art. 40c lid 1)
    # maandag 23 (dag 1), di 24, wo 25, do 26, vr 27, za 28, zondag 29 november (dag 7) = één week
    Gegeven school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 week"
    Dan heeft de termijn "einde_schorsing" einddatum "2026-11-29" en status "open"
    # de inspectie hoort het vanaf dag 2: dinsdag 24 november (seed 004 regel 1280; WPO art. 40c lid 3)
    En heeft de termijn "inspectie_geinformeerd" einddatum "2026-11-24" en status "open"
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "van maandag 23 november 2026 tot en met zondag 29 november 2026"
    En staat in de PDF van de brief "P. Bos"
    En staat in de PDF van de brief "meer dan één dag" of "langer duurt dan één dag"
    # na het einde van zondag 29 november loopt de schorsing af
    Als de tijd verstrijkt tot 2026-11-30
    Dan staat de zaak in stap "school_en_ouders"

  Scenario: Een schorsing van één dag geeft geen meldplicht aan de inspectie (WPO art. 40c lid 3: alleen bij meer dan één dag)
    Gegeven school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=duwen;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    Dan heeft de termijn "einde_schorsing" einddatum "2026-11-23" en status "open"
    En is er geen termijn "inspectie_geinformeerd"
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "tot en met maandag 23 november 2026"
    En staat niet in de brief "WPO artikel 40c lid 3"

  Scenario: Een schorsing langer dan het wettelijk maximum wordt geweigerd (WPO art. 40c lid 1)
    Gegeven school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=x;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=2 weken"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "schorsing_duur"
    En staat de zaak nog in stap "ik_kan_het_zelf" met 1 gebeurtenis

  Scenario: Dezelfde schorsing op een openbare school: bezwaar volgens de Awb (Awb 6:7, 6:8, 3:45)
    # uitgereikt maandag 23 november 2026; de termijn begint dinsdag 24 november; zes weken na
    # maandag 23 november is maandag 4 januari 2027, een werkdag: de Atw verlengt niet
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=3 schooldagen"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "Algemene wet bestuursrecht"
    En staat in de PDF van de brief "uiterlijk op 4 januari 2027"
    En staat in de PDF van de brief "Stichting Proef, Postbus 1, 1234 AA Dorp"
    En staat niet in de brief "14 dagen"
    En heeft de termijn "bezwaartermijn_schorsing" einddatum "2027-01-04" en status "open"
    # drie schooldagen vanaf maandag 23 november: ma 23, di 24, wo 25
    En heeft de termijn "einde_schorsing" einddatum "2026-11-25" en status "open"

  Scenario: Dezelfde schorsing op een bijzondere school: beroep bij het bevoegd gezag (Bijlage 4, stap 6; seed 004 regel 1290)
    Gegeven school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=3 schooldagen"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan staat in de PDF van de brief "uiterlijk binnen 14 dagen"
    En staat niet in de brief "Algemene wet bestuursrecht"
    En is er geen termijn "bezwaartermijn_schorsing"

  Scenario: Zonder denominatie in het scholenregister maakt trede geen besluitbrief
    Gegeven een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-baken"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-11-23;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-11-23;wijze_van_verzending=uitgereikt"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "openbaar of bijzonder"

  Scenario: Een besluit tot verwijdering verzonden op 26 november 2026: bezwaar tot en met 7 januari 2027 (Awb 6:7, 6:8; seed 004 regel 1347)
    # verzonden donderdag 26 november 2026; de termijn begint vrijdag 27 november; zes weken na
    # donderdag 26 november is donderdag 7 januari 2027, een werkdag: de Atw verlengt niet
    Gegeven school "het-anker" is een openbare po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-11-26
    Dan staat in de PDF van de brief "uiterlijk op 7 januari 2027"
    En staat in de PDF van de brief "Geschillencommissie passend onderwijs"
    En heeft de termijn "bezwaartermijn" einddatum "2027-01-07" en status "open"
    # openbaar: de beslisplicht (Awb 7:10) begint pas bij een bezwaar (issue 23, rechtsmiddelen.feature)
    En is er geen termijn "beslissing_op_bezwaar_awb"
    En is er geen termijn "beslissing_op_bezwaar"

  Scenario: Een termijn die de school zelf moet halen: de kalenderdatum is het streven, de Atw-datum de grens
    # bezwaar ontvangen vrijdag 27 november 2026; vier weken later is vrijdag 25 december 2026 (eerste
    # kerstdag), daarna zaterdag 26 (tweede kerstdag) en zondag 27: de Atw (art. 1 en 3) geeft maandag
    # 28 december als uiterste datum; het streven blijft 25 december (WPO art. 63 lid 3)
    Gegeven school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"
    En de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-11-26
    Als het is 2026-11-27
    En de "bevoegd_gezag" "mevr.raad" actie "bezwaar_ontvangen" uitvoert met "bezwaar_ontvangen_op=2026-11-27"
    Dan heeft de termijn "beslissing_op_bezwaar" streefdatum "2026-12-25" en uiterste datum "2026-12-28"
