# language: nl
Functionaliteit: Brieven uit de zaak, bewaard bij de zaak en vastgelegd in de audittrail
  De brieven die de protocollen voorschrijven worden gevuld met wat in de zaak staat: de
  motivering, de berekende termijnen, de bezwaartermijn en waar het bezwaar heen moet.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En school "het-anker" is een bijzondere po-school
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" op school "het-anker"

  Scenario: De schorsingsbrief noemt de periode en de reden
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan op het plein;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    Dan staat in de brief "van <b>maandag 2 maart 2026</b> tot en met <b>zondag 8 maart 2026</b>"
    En staat in de brief "P. Bos"
    En staat in de brief "slaan op het plein"
    En is de brief ook een PDF
    En is de laatste gebeurtenis "letter_generated" door "dhr.bos"
    En klopt de controle van de hashketen

  Scenario: De brief over het besluit tot verwijdering noemt de bezwaartermijn (Atw)
    Gegeven de zaak staat in stap "andere_school_zoeken" na een besluit op 2026-03-24
    Dan staat in de brief "uiterlijk op <b>6 mei 2026</b> zijn ontvangen"
    En staat in de brief "WPO artikel 63"

  Scenario: Een brief die in deze stap niet hoort, wordt geweigerd
    Als de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    Dan wordt de actie geweigerd met "letter_not_available"
    En staat de zaak nog in stap "ik_kan_het_zelf" met 1 gebeurtenis

  Scenario: Een gewijzigde brief wordt bij de controle ontdekt
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=slaan;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    En iemand met toegang tot de database de brief wijzigt
    Dan meldt de controle gebeurtenis 3 als eerste fout

  Scenario: Voornemen tot verwijdering en definitieve verwijdering
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=geweld;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" actie "schorsing_beeindigen" uitvoert
    En de "directeur" "dhr.bos" actie "verwijdering_voorbereiden" uitvoert met "motivering=herhaald geweld"
    En de "directeur" "dhr.bos" actie "voornemen_meedelen" uitvoert met "groepsleraar_gehoord=ja;onderwijskundig_rapport=ja;motivering=veiligheid van medeleerlingen"
    En de "directeur" "dhr.bos" brief "voornemen_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens"
    Dan staat in de brief "voornemens zijn Leerling-Uil van school te verwijderen"
    En staat in de brief "veiligheid van medeleerlingen"
    Als de "bevoegd_gezag" "mevr.raad" actie "verwijderen" uitvoert met "ouders_gehoord=ja;motivering=besluit genomen"
    En de "bevoegd_gezag" "mevr.raad" actie "andere_school_gevonden" uitvoert met "motivering=De Wegwijzer laat de leerling toe"
    En de "bevoegd_gezag" "mevr.raad" brief "definitieve_verwijdering" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens"
    Dan staat in de brief "De Wegwijzer laat de leerling toe"
