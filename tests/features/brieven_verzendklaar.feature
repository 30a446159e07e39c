# language: nl
Functionaliteit: Een besluitbrief gaat de deur uit zoals hij wordt afgedrukt (issue 26)
  Bovenaan het logo van de school uit het register, of geen logo (nooit een tekst als
  plaatshouder); naam en postadres van de geadresseerde; als datum de dag van verzending of
  uitreiking, niet de dag waarop de brief is gemaakt; bij elk rechtsmiddel de laatste dag en bij
  wie het wordt ingediend. Een voorbeeld van de brief legt niets vast.

  Scenario: Gemaakt op zondag, verzonden op maandag, bij een bijzondere school met een logo
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-linde" is een bijzondere po-school
    En school "de-linde" heeft een logo
    En het is 2026-12-04
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Finn" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    # de brief wordt gemaakt op zondag 6 december 2026 en maandag 7 december aangetekend verzonden
    En het is 2026-12-06
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Dhr. en mevr. Kramer;geadresseerde_adres=Beukenlaan 3, 5678 CD Veldhoven;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-07;wijze_van_verzending=aangetekend"
    Dan staat in de PDF van de brief "Datum: 7 december 2026"
    En staat in de PDF van de brief "Aan de ouder(s)/verzorger(s) van Leerling-Finn Dhr. en mevr. Kramer Beukenlaan 3 5678 CD Veldhoven"
    # de beroepstermijn (bijzonder onderwijs, Bijlage 4 stap 6) loopt vanaf dinsdag 8 december en
    # eindigt zes weken later op de weekdag van verzending: maandag 18 januari 2027
    En staat in de PDF van de brief "beroep aantekenen bij het bevoegd gezag van de school: Stichting Proef, Postbus 1, 1234 AA Dorp"
    En staat in de PDF van de brief "Dien uw beroepschrift uiterlijk op 18 januari 2027 in"
    En heeft de termijn "beroeptermijn_schorsing" einddatum "2027-01-18" en status "open"
    En draagt de PDF van de brief het logo van de school
    En staat niet in de brief "[logo"
    En staat niet in de brief "6 december 2026"

  Scenario: Een openbare school zonder logo: bezwaar bij het bevoegd gezag, met de laatste dag
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-vonk" is een openbare po-school
    En het is 2026-12-04
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "de-vonk"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    En het is 2026-12-06
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Mevr. de Boer;geadresseerde_adres=Postbus 42, 9700 AB Groningen;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-08;wijze_van_verzending=per post"
    Dan staat in de PDF van de brief "Datum: 8 december 2026"
    En staat in de PDF van de brief "Mevr. de Boer Postbus 42 9700 AB Groningen"
    # verzonden dinsdag 8 december 2026: de bezwaartermijn loopt vanaf woensdag 9 december (Awb 6:8)
    # en eindigt zes weken later op dinsdag 19 januari 2027, een werkdag (Awb 6:7)
    En staat in de PDF van de brief "Dien uw bezwaarschrift uiterlijk op 19 januari 2027 in bij Stichting Proef, Postbus 1, 1234 AA Dorp"
    En staat in de PDF van de brief "(Awb artikel 6:7 en 6:8)"
    En draagt de PDF van de brief geen afbeelding
    En staat niet in de brief "[logo"

  Scenario: Het besluit tot verwijdering noemt bezwaar en Geschillencommissie met hun laatste dag
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-linde" is een bijzondere po-school
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Vink" op school "de-linde"
    # besluit verzonden dinsdag 24 maart 2026; zes weken vanaf woensdag 25 maart eindigen op dinsdag
    # 5 mei 2026, Bevrijdingsdag (Atw art. 3): de termijn loopt door tot woensdag 6 mei 2026 (Atw art. 1)
    Gegeven de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Dan staat in de PDF van de brief "Datum: 24 maart 2026"
    En staat in de PDF van de brief "schriftelijk bezwaar maken bij Stichting Proef, Postbus 1, 1234 AA Dorp (WPO artikel 63)"
    En staat in de PDF van de brief "Uw bezwaarschrift moet uiterlijk op 6 mei 2026 zijn ontvangen"
    En staat in de PDF van de brief "Geschillencommissie passend onderwijs"
    En staat in de PDF van de brief "Dien uw verzoek uiterlijk op 6 mei 2026 in"

  Scenario: Een voorbeeld legt niets vast; opgeslagen wordt precies wat er te zien was
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-linde" is een bijzondere po-school
    En het is 2026-12-04
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Finn" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" een voorbeeld van brief "schorsing" bekijkt met "geadresseerde_naam=Dhr. en mevr. Kramer;geadresseerde_adres=Beukenlaan 3, 5678 CD Veldhoven;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-07;wijze_van_verzending=aangetekend"
    Dan staat in het voorbeeld "Dien uw beroepschrift uiterlijk op <b>18 januari 2027</b> in"
    En staat de zaak nog in stap "schorsing" met 2 gebeurtenissen
    En is er geen termijn "beroeptermijn_schorsing"
    Als de "directeur" "dhr.bos" het voorbeeld opslaat
    Dan is de opgeslagen brief het voorbeeld
    En heeft de termijn "beroeptermijn_schorsing" einddatum "2027-01-18" en status "open"
    En klopt de controle van de hashketen

  Scenario: Een voorbeeld van een zaak die intussen veranderde, wordt niet opgeslagen
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-linde" is een bijzondere po-school
    En het is 2026-12-04
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Finn" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" een voorbeeld van brief "schorsing" bekijkt met "geadresseerde_naam=Dhr. en mevr. Kramer;geadresseerde_adres=Beukenlaan 3, 5678 CD Veldhoven;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-07;wijze_van_verzending=aangetekend"
    En de "directeur" "dhr.bos" actie "incident_vastleggen" uitvoert met "soort_gedrag=fysiek_geweld;plaats=plein"
    En de "directeur" "dhr.bos" het voorbeeld opslaat
    Dan wordt de actie geweigerd met "letter_changed"
    En staat de zaak nog in stap "schorsing" met 3 gebeurtenissen

  Scenario: Zonder geldig postadres geen brief
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En school "de-linde" is een bijzondere po-school
    En het is 2026-12-04
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Finn" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-12-07;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Dhr. en mevr. Kramer;geadresseerde_adres=Beukenlaan 3 Veldhoven;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-12-07;wijze_van_verzending=aangetekend"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "Postadres van de geadresseerde"
    En noemt de fout "elk op een eigen regel"
    En staat de zaak nog in stap "schorsing" met 2 gebeurtenissen
